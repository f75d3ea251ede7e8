"""Score records against gold annotations exactly as ANNOTATION.md defines. Returns scores; never prints.

Scalar fields: accuracy over the documents where gold or prediction is not null.
Entity fields: micro precision/recall/F1; a prediction matches a gold entity when
its name or acronym equals (after normalisation) any of the entity's names, and
each gold entity is matched at most once. Predictions and gold entities are paired
by a maximum matching, so the order of either list never changes the score.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract.text import fold

SCALARS = ("publication_date", "event_start", "event_end", "event_city", "event_country",
           "participant_count", "participants_female", "participants_male")
ENTITIES = ("locations", "organizers", "funders")
FIELDS = SCALARS + ENTITIES


class LayoutError(ValueError):
    """The evaluation set is not laid out as ANNOTATION.md says (the message says how)."""


def normalise(text: Any) -> str:
    """NFKD without accents, case-folded, non-alphanumerics to spaces, one leading article dropped."""
    return fold(str(text))


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


def _gold_names(entity: Any) -> set[str]:
    """A gold entity's normalised names: a list of names, or (leniently) one name or a {name, acronym} object."""
    if isinstance(entity, str):
        entity = [entity]
    return _names(entity)


def match_entities(gold: list[Any], pred: list[Any]) -> tuple[int, int, int, list, list]:
    """One-to-one matching of predictions to gold entities; returns tp, fp, fn and the unmatched on each side.

    A maximum bipartite matching (augmenting paths): a prediction whose name fits one gold
    entity and whose acronym fits another never costs a match that a different pairing would keep.
    """
    gold = [gold] if isinstance(gold, (str, dict)) else list(gold or [])
    pred = [pred] if isinstance(pred, (str, dict)) else list(pred or [])
    gold_names = [_gold_names(g) for g in gold]
    edges = [[j for j, names in enumerate(gold_names) if _names(p) & names] for p in pred]
    owner: dict[int, int] = {}  # gold index -> prediction index

    def augment(i: int, tried: set[int]) -> bool:
        for j in edges[i]:
            if j not in tried:
                tried.add(j)
                if j not in owner or augment(owner[j], tried):
                    owner[j] = i
                    return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    matched = set(owner.values())
    fps = [p for i, p in enumerate(pred) if i not in matched]
    fns = [g for j, g in enumerate(gold) if j not in owner]
    return len(owner), len(fps), len(fns), fps, fns


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
    where: dict[str, Path] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LayoutError(f"{path}: invalid JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise LayoutError(f"{path}: a gold file holds one JSON object")
        gold_id = str(record.get("id") or path.stem)
        if gold_id in gold:
            raise LayoutError(f"{path}: id {gold_id!r} is already the id of {where[gold_id]}")
        gold[gold_id], where[gold_id] = record, path
    if not gold:
        raise LayoutError(f"{gold_dir}: no gold files")
    return gold


def check_layout(gold: dict[str, dict], doc_ids: set[str], set_dir: Path) -> None:
    """Every item has a gold record and every gold record an item; the message names the files."""
    set_dir = Path(set_dir)
    missing_gold = sorted(doc_ids - set(gold))
    missing_docs = sorted(set(gold) - doc_ids)
    problems = []
    if missing_gold:
        files = ", ".join(str(set_dir / "gold" / f"{i}.json") for i in missing_gold[:5])
        problems.append(f"no gold for {len(missing_gold)} item(s): missing {files}")
    if missing_docs:
        files = ", ".join(str(set_dir / "gold" / f"{i}.json") for i in missing_docs[:5])
        problems.append(f"gold for {len(missing_docs)} item(s) not in {set_dir / 'docs'}: {files}")
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
                if not isinstance(record, dict) or record.get("id") is None:
                    raise LayoutError(f"{path}:{number}: not a record (a JSON object with an id)")
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
