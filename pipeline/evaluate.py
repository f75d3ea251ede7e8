"""Score records against gold annotations exactly as ANNOTATION.md defines. Returns scores; never prints.

Scalar fields: accuracy over the documents where gold or prediction is not null.
Entity fields: micro precision/recall/F1; a prediction matches a gold entity when
its name or acronym equals (after normalisation) any of the entity's names, and
each gold entity is matched at most once.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCALARS = ("publication_date", "event_start", "event_end", "event_city", "event_country",
           "participant_count", "participants_female", "participants_male")
ENTITIES = ("locations", "organizers", "funders")
FIELDS = SCALARS + ENTITIES


class LayoutError(ValueError):
    """The evaluation set is not laid out as ANNOTATION.md says (the message says how)."""


def normalise(text: Any) -> str:
    """NFKD without accents, case-folded, non-alphanumerics to spaces, one leading article dropped."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(?:the|le|la|les|l) ", "", text)


def _scalar_equal(gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if isinstance(gold, (int, float)) or isinstance(pred, (int, float)):
        try:
            return int(gold) == int(pred)
        except (TypeError, ValueError):
            return False
    return normalise(gold) == normalise(pred)


def _names(pred: Any) -> set[str]:
    if isinstance(pred, dict):
        return {normalise(pred[k]) for k in ("name", "acronym") if pred.get(k)}
    if isinstance(pred, (list, tuple)):
        return {normalise(p) for p in pred if p}
    return {normalise(pred)} if pred else set()


@dataclass
class Miss:
    id: str
    field: str
    expected: Any
    got: Any
    evidence: list = field(default_factory=list)


@dataclass
class Scores:
    scalars: dict[str, dict[str, float]]
    entities: dict[str, dict[str, float]]
    misses: list[Miss]
    documents: int

    def to_json(self) -> dict[str, dict]:
        return {**self.scalars, **self.entities}


def match_entities(gold: list[list[str]], pred: list[Any]) -> tuple[int, int, int, list, list]:
    """Greedy one-to-one matching; returns tp, fp, fn and the unmatched on each side."""
    remaining = [(g, {normalise(n) for n in g}) for g in gold]
    tp, fps = 0, []
    for p in pred:
        names = _names(p)
        hit = next((i for i, (_, g) in enumerate(remaining) if names & g), None)
        if hit is None:
            fps.append(p)
        else:
            remaining.pop(hit)
            tp += 1
    return tp, len(fps), len(remaining), fps, [g for g, _ in remaining]


def score(gold: dict[str, dict], predicted: dict[str, dict]) -> Scores:
    """Score predicted records (by id) against gold records (by id)."""
    scalars: dict[str, dict[str, float]] = {}
    entities: dict[str, dict[str, float]] = {}
    misses: list[Miss] = []
    for name in SCALARS:
        correct = n = 0
        for doc_id, g in gold.items():
            p = predicted.get(doc_id, {})
            gv, pv = g.get(name), p.get(name)
            if gv is None and pv is None:
                continue
            n += 1
            if _scalar_equal(gv, pv):
                correct += 1
            else:
                misses.append(Miss(doc_id, name, gv, pv, (p.get("evidence") or {}).get(name, [])))
        scalars[name] = {"accuracy": round(correct / n, 4) if n else 1.0, "n": n}
    for name in ENTITIES:
        tp = fp = fn = 0
        for doc_id, g in gold.items():
            p = predicted.get(doc_id, {})
            a, b, c, fps, fns = match_entities(g.get(name) or [], p.get(name) or [])
            tp, fp, fn = tp + a, fp + b, fn + c
            for x in fps:
                misses.append(Miss(doc_id, name, None, x))
            for x in fns:
                misses.append(Miss(doc_id, name, x, None))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        entities[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                          "tp": tp, "fp": fp, "fn": fn}
    return Scores(scalars, entities, misses, len(gold))


def load_gold(set_dir: Path) -> dict[str, dict]:
    """Gold records of a set, keyed by id, with clear errors for a wrong layout."""
    gold_dir = Path(set_dir) / "gold"
    if not gold_dir.is_dir():
        raise LayoutError(f"{set_dir}: no gold/ folder (expected {set_dir}/docs/*.txt and {set_dir}/gold/*.json)")
    gold: dict[str, dict] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LayoutError(f"{path}: invalid JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise LayoutError(f"{path}: a gold file holds one JSON object")
        gold[str(record.get("id") or path.stem)] = record
    if not gold:
        raise LayoutError(f"{gold_dir}: no gold files")
    return gold


def check_layout(gold: dict[str, dict], doc_ids: set[str], set_dir: Path) -> None:
    missing_gold = sorted(doc_ids - set(gold))
    missing_docs = sorted(set(gold) - doc_ids)
    problems = []
    if missing_gold:
        problems.append(f"no gold for {len(missing_gold)} item(s): {', '.join(missing_gold[:5])}")
    if missing_docs:
        problems.append(f"gold for {len(missing_docs)} missing item(s): {', '.join(missing_docs[:5])}")
    if problems:
        raise LayoutError(f"{set_dir}: " + "; ".join(problems))


def load_records(path: Path) -> dict[str, dict]:
    """Records from a records.jsonl file, keyed by id."""
    out = {}
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LayoutError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
                out[str(record["id"])] = record
    return out


def evaluate_set(set_dir: Path, *, records_file: Path | None = None, settings=None, workers: int = 1) -> Scores:
    """Extract SET/docs (or read ``records_file``) and score it against SET/gold."""
    import tempfile

    set_dir = Path(set_dir)
    gold = load_gold(set_dir)
    if records_file is not None:
        predicted = load_records(records_file)
        check_layout(gold, set(predicted), set_dir)
        return score(gold, predicted)
    from .batch import run_batch
    from .engine import Settings

    if not (set_dir / "docs").is_dir():
        raise LayoutError(f"{set_dir}: no docs/ folder (expected {set_dir}/docs/*.txt and {set_dir}/gold/*.json)")
    with tempfile.TemporaryDirectory(prefix="pressx-eval-") as tmp:
        summary = run_batch([set_dir / "docs"], Path(tmp), settings=settings or Settings(), workers=workers)
        predicted = load_records(Path(tmp) / "records.jsonl")
    failed = {f.id for f in summary.failures if f.id}
    check_layout(gold, set(predicted) | failed, set_dir)
    return score(gold, predicted)
