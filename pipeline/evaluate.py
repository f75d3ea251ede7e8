"""Score records against gold annotations exactly as ANNOTATION.md defines. Returns scores; never prints.

Scalar fields: accuracy over the documents where gold or prediction is not null.
Entity fields: micro precision/recall/F1; a prediction matches a gold entity when
its name or acronym equals (after normalisation) any of the entity's names, and
each gold entity is matched at most once. Predictions and gold entities are paired
by a maximum matching, so the order of either list never changes the score.
"""
from __future__ import annotations

import json
import statistics
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


def score(gold: dict[str, dict], predicted: dict[str, dict], *, reviewed_only: bool = False) -> Scores:
    """Score predicted records (by id) against gold records (by id).

    With ``reviewed_only``, a document counts for a field only when its gold lists that
    field under ``reviewed`` (the fields a person checked, see ``pressx corrections``).
    """
    if reviewed_only:
        def counts(g: dict, name: str) -> bool:
            return name in (g.get("reviewed") or ())
    else:
        def counts(g: dict, name: str) -> bool:
            return True
    scalars: dict[str, dict[str, float]] = {}
    entities: dict[str, dict[str, float]] = {}
    misses: list[Miss] = []
    for name in SCALARS:
        correct = n = 0
        for doc_id, g in gold.items():
            p = predicted.get(doc_id, {})
            gv, pv = g.get(name), p.get(name)
            if (gv is None and pv is None) or not counts(g, name):
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
            if not counts(g, name):
                continue
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


OPTIONAL_KEYS = {"id", "language", "publisher", "title", "reviewed"}
DATES = ("publication_date", "event_start", "event_end")
COUNTS = ("participant_count", "participants_female", "participants_male")


def gold_problems(record: dict) -> list[str]:
    """What is wrong with one gold record, per ANNOTATION.md (empty when it is valid)."""
    import datetime

    import pycountry

    problems = [f"missing field {name!r}" for name in FIELDS if name not in record]
    problems += [f"unknown key {key!r}" for key in record if key not in FIELDS and key not in OPTIONAL_KEYS]
    for name in DATES:
        value = record.get(name)
        if value is not None:
            try:
                datetime.date.fromisoformat(str(value))
            except ValueError:
                problems.append(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)")
    country = record.get("event_country")
    if country is not None and (not isinstance(country, str) or len(country) != 2
                                or (pycountry.countries.get(alpha_2=country) is None and country != "XK")):
        problems.append(f"event_country: {country!r} is not an ISO 3166-1 alpha-2 code")
    for name in COUNTS:
        value = record.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            problems.append(f"{name}: {value!r} is not a whole number")
    for name in ENTITIES:
        value = record.get(name)
        if value is None:
            continue
        entities = value if isinstance(value, list) else None
        if entities is None or not all(
                (isinstance(e, str) and e) or (isinstance(e, list) and e and all(isinstance(n, str) and n for n in e))
                for e in entities):
            problems.append(f"{name}: a list of entities, each a list of names, is expected")
    reviewed = record.get("reviewed")
    if reviewed is not None and (not isinstance(reviewed, list) or set(reviewed) - set(FIELDS)):
        problems.append(f"reviewed: {reviewed!r} is not a list of field names")
    return problems


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
        problems = gold_problems(record)
        if problems:
            raise LayoutError(f"{path}: " + "; ".join(problems))
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


def extract_sets(set_dirs: list[Path], *, records_file: Path | None = None, settings=None,
                 workers: int = 1) -> tuple[dict[str, dict], dict[str, dict]]:
    """Gold and predicted records (by id) of one or more annotated sets, extracted in one batch.

    ``records_file`` scores an existing records.jsonl instead of extracting (one set only).
    An id found in two sets is an error: its scores could not be told apart.
    """
    import tempfile

    set_dirs = [Path(d) for d in set_dirs]
    golds = {d: load_gold(d) for d in set_dirs}
    gold: dict[str, dict] = {}
    for set_dir, records in golds.items():
        for doc_id in records:
            if doc_id in gold:
                raise LayoutError(f"{set_dir}: id {doc_id!r} is also in another set")
        gold.update(records)
    if records_file is not None:
        if len(set_dirs) != 1:
            raise LayoutError("--records scores one set at a time")
        predicted = load_records(records_file)
        check_layout(gold, set(predicted), set_dirs[0])
        return gold, predicted
    from .batch import run_batch
    from .engine import Settings

    for set_dir in set_dirs:
        if not (set_dir / "docs").is_dir():
            raise LayoutError(f"{set_dir}: no docs/ folder (expected {set_dir}/docs/*.txt and {set_dir}/gold/*.json)")
    with tempfile.TemporaryDirectory(prefix="pressx-eval-") as tmp:
        summary = run_batch([d / "docs" for d in set_dirs], Path(tmp), settings=settings or Settings(),
                            workers=workers)
        predicted = load_records(Path(tmp) / "records.jsonl")
    for set_dir, records in golds.items():
        docs_dir = (set_dir / "docs").resolve()
        seen = {i for i, r in predicted.items() if _under(r.get("source"), docs_dir)}
        seen |= {f.id for f in summary.failures if f.id and _under(f.path, docs_dir)}
        check_layout(records, seen, set_dir)
    return gold, predicted


def _under(path, folder: Path) -> bool:
    return path is not None and Path(path).resolve().is_relative_to(folder)


def evaluate_set(set_dir: Path, *, records_file: Path | None = None, settings=None, workers: int = 1) -> Scores:
    """Extract SET/docs (or read ``records_file``) and score it against SET/gold."""
    return score(*extract_sets([set_dir], records_file=records_file, settings=settings, workers=workers))


# -- cross-validation -------------------------------------------------------------------------

def publisher_of(doc_id: str, gold: dict) -> str:
    """The group an item is kept in during cross-validation: its gold ``publisher``, else its id's leading word."""
    if gold.get("publisher"):
        return fold(str(gold["publisher"]))
    return doc_id.replace("_", "-").split("-")[0].lower()


@dataclass
class CrossValidation:
    """Scores of K folds grouped by publisher: no publisher is on both the fitted and the scored side."""

    k: int
    folds: list[Scores]
    fold_publishers: list[list[str]]
    held_out: dict[str, dict] = field(default_factory=dict)  # every item's prediction, made in its fold

    def summary(self) -> dict[str, dict]:
        """Per field: the mean over folds (folds where the field never occurs are left out), its sd and range."""
        out: dict[str, dict] = {}
        for name in SCALARS:
            values = [f.scalars[name]["accuracy"] for f in self.folds if f.scalars[name]["n"]]
            n = sum(f.scalars[name]["n"] for f in self.folds)
            out[name] = {"accuracy": _mean(values), "sd": _sd(values), "min": min(values, default=1.0),
                         "max": max(values, default=1.0), "n": n}
        for name in ENTITIES:
            used = [f.entities[name] for f in self.folds if f.entities[name]["tp"] + f.entities[name]["fp"]
                    + f.entities[name]["fn"]]
            f1s = [e["f1"] for e in used]
            out[name] = {"precision": _mean([e["precision"] for e in used]),
                         "recall": _mean([e["recall"] for e in used]),
                         "f1": _mean(f1s), "sd": _sd(f1s), "min": min(f1s, default=1.0), "max": max(f1s, default=1.0),
                         **{c: sum(e[c] for e in used) for c in ("tp", "fp", "fn")}}
        return out

    def to_json(self) -> dict[str, dict]:
        return {**self.summary(), "cv": {"k": self.k, "groups": "publisher",
                                         "folds": [sorted(p) for p in self.fold_publishers]}}


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 1.0


def _sd(values: list[float]) -> float:
    return round(statistics.stdev(values), 4) if len(values) > 1 else 0.0


def cross_validate(gold: dict[str, dict], predicted: dict[str, dict], *, k: int, fit=None,
                   reviewed_only: bool = False) -> CrossValidation:
    """K folds grouped by publisher (scikit-learn's GroupKFold); each fold scores its held-out items.

    ``fit(train_gold, train_predicted)``, when given, returns a function that re-chooses the
    held-out predictions; everything fitted from gold is fitted inside the fold this way.
    Without it the folds simply score the rules.
    """
    from sklearn.model_selection import GroupKFold

    ids = sorted(gold)
    groups = [publisher_of(i, gold[i]) for i in ids]
    if k < 2 or k > len(set(groups)):
        raise LayoutError(f"--cv {k}: needs 2 <= K <= the number of publishers ({len(set(groups))})")
    folds, publishers, predictions = [], [], {}
    for train, test in GroupKFold(n_splits=k).split(ids, groups=groups):
        test_ids = [ids[i] for i in test]
        held_out = {i: predicted.get(i, {}) for i in test_ids}
        if fit is not None:
            train_ids = [ids[i] for i in train]
            choose = fit({i: gold[i] for i in train_ids}, {i: predicted.get(i, {}) for i in train_ids})
            held_out = choose(held_out)
        folds.append(score({i: gold[i] for i in test_ids}, held_out, reviewed_only=reviewed_only))
        publishers.append(sorted({groups[i] for i in test}))
        predictions.update(held_out)
    return CrossValidation(k, folds, publishers, predictions)
