"""How likely each extracted value is right: a small fitted model per field, applied to a record.

The rules propose and choose a value; this module says how sure that value is. Each value is
described by plain features read off its record (the rule that produced it, where in the text
its evidence lies, how many spans support it, the item's language, for organisations whether
an acronym was paired) and a logistic regression per field turns them into a probability.
The weights are fitted from gold by ``pressx train`` (``fit``) and shipped as reviewable JSON
under ``models/weights/``; applying them needs no scikit-learn. Cross-validation fits them
inside each fold (``evaluate.cross_validate(fit=...)``), so the calibration it reports is
measured on items the weights never saw.
"""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any, Iterable

from .evaluate import ENTITIES, SCALARS, _scalar_equal, match_entities
from .logistic import fit_rows, probability
from .picker import picked_confidence

C = 0.5  # inverse regularisation strength: few hundred items, many rule ids; chosen by cross-validation
SEED = 0


def _position(start: int | None) -> str:
    """Where a value's evidence lies: the head (title, date line, lede), or how far into the body."""
    if start is None:
        return "none"
    return "head" if start < 400 else ("early" if start < 1500 else ("middle" if start < 3000 else "late"))


def value_features(record: dict, field: str, index: int | None = None) -> dict[str, float]:
    """The features of one value: a scalar field's, or the ``index``-th entity of an entity field."""
    evidence = (record.get("evidence") or {}).get(field) or []
    feats: dict[str, float] = {f"lang={record.get('language') or '?'}": 1.0, "bias_field": 1.0}
    if index is not None:
        spans = [evidence[index]] if index < len(evidence) else []
        entity = (record.get(field) or [])[index]
        if not isinstance(entity, dict):  # records scored from elsewhere may list names only
            entity = {"name": entity[0] if isinstance(entity, list) and entity else entity}
        feats["has_acronym"] = 1.0 if entity.get("acronym") else 0.0
        feats["has_country"] = 1.0 if entity.get("country") else 0.0
        feats["words=" + str(min(len(str(entity.get("name", "")).split()), 6))] = 1.0
        feats["list_size"] = min(len(record.get(field) or []), 10) / 10
    else:
        spans = evidence
        feats["n_evidence"] = min(len(spans), 5) / 5
    first = spans[0] if spans else {}
    rule = first.get("rule") or "none"
    feats["rule=" + rule] = 1.0
    feats["rule_family=" + rule.split(".")[0]] = 1.0
    feats["position=" + _position(first.get("start"))] = 1.0
    if field in ("participants_female", "participants_male") and record.get("participant_count"):
        feats["has_total"] = 1.0
    if field == "event_end" and record.get("event_start") == record.get("event_end"):
        feats["one_day"] = 1.0
    if field in ("event_city", "event_country") and not record.get("event_city"):
        feats["no_city"] = 1.0
    return feats


def examples(records: dict[str, dict], gold: dict[str, dict]) -> dict[str, list[tuple[dict, int]]]:
    """(features, right or wrong) for every value the records hold, per field."""
    out: dict[str, list[tuple[dict, int]]] = {f: [] for f in SCALARS + ENTITIES}
    for doc_id, g in sorted(gold.items()):
        record = records.get(doc_id)
        for field, index, right in judged_values(record or {}, g):
            out[field].append((value_features(record, field, index), right))
    return out


def judged_values(record: dict, gold: dict):
    """(field, entity index or None, 1 if right else 0) for every value ``record`` holds, as evaluate scores it."""
    for field in SCALARS:
        if record.get(field) is not None:
            yield field, None, int(_scalar_equal(gold.get(field), record[field]))
    for field in ENTITIES:
        predicted = record.get(field) or []
        if predicted:
            _, _, _, wrong, _ = match_entities(gold.get(field) or [], predicted)
            wrong_ids = {id(x) for x in wrong}
            for i, entity in enumerate(predicted):
                yield field, i, int(id(entity) not in wrong_ids)


def fit(records: dict[str, dict], gold: dict[str, dict]) -> dict:
    """Weights per field, fitted on the records of annotated items (deterministic)."""
    import sklearn

    fields: dict[str, dict] = {}
    for field, rows in examples(records, gold).items():
        labels = [y for _, y in rows]
        if len(set(labels)) < 2:  # every value right (or wrong): the base rate is all there is to learn
            rate = (sum(labels) + 1) / (len(labels) + 2)
            fields[field] = {"intercept": round(math.log(rate / (1 - rate)), 6), "weights": {}, "n": len(labels)}
            continue
        fields[field] = fit_rows(rows, c=C, max_iter=2000, seed=SEED)
    return {"model": "logistic regression per field (scikit-learn), C=%s" % C, "sklearn": sklearn.__version__,
            "fields": fields}


def annotate(record: dict, model: dict) -> dict:
    """``record`` with a ``confidence`` map: a probability per scalar value, a list per entity field."""
    fields = model["fields"]
    confidence: dict[str, Any] = {}
    for field in SCALARS:
        if record.get(field) is not None and field in fields:
            confidence[field] = round(probability(fields[field], value_features(record, field)), 3)
    for field in ENTITIES:
        if field in fields and record.get(field):
            confidence[field] = [round(probability(fields[field], value_features(record, field, i)), 3)
                                 for i in range(len(record[field]))]
    confidence.update(picked_confidence(record))  # a picked body's confidence is the picker's probability
    return {**record, "confidence": confidence}


def fit_in_fold(train_gold: dict[str, dict], train_records: dict[str, dict]):
    """For ``evaluate.cross_validate``: the picker and the confidence weights fitted on the training
    side, applied to the held-out side (the picker first: the confidence is fitted on its picks)."""
    from . import picker

    chooser = picker.fit(train_records, train_gold)
    model = fit({i: picker.repick(r, chooser) for i, r in train_records.items()}, train_gold)
    return lambda held_out: {i: annotate(picker.repick(r, chooser), model) if r else r for i, r in held_out.items()}


def training_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def confidence_pairs(gold: dict[str, dict], predicted: dict[str, dict]) -> dict[str, list[tuple[float, int]]]:
    """Per field, (confidence, 1 if right else 0) for every value of an annotated item that has a confidence."""
    pairs: dict[str, list[tuple[float, int]]] = {f: [] for f in SCALARS + ENTITIES}
    for doc_id, g in gold.items():
        record = predicted.get(doc_id) or {}
        conf = record.get("confidence") or {}
        for field, index, right in judged_values(record, g):
            if field in conf:
                pairs[field].append((conf[field] if index is None else conf[field][index], right))
    return pairs


def _bins(rows: list[tuple[float, int]], bins: int) -> list[list[tuple[float, int]]]:
    """``rows`` in equal-width confidence bins (1.0 falls in the last)."""
    out: list[list[tuple[float, int]]] = [[] for _ in range(bins)]
    for p, y in rows:
        out[min(int(p * bins), bins - 1)].append((p, y))
    return out


def reliability(gold: dict[str, dict], predicted: dict[str, dict], *, bins: int = 10) -> dict[str, list[dict]]:
    """Per field, one point per non-empty bin: mean confidence, share right, and how many values."""
    out: dict[str, list[dict]] = {}
    for field, rows in confidence_pairs(gold, predicted).items():
        points = [{"confidence": round(sum(p for p, _ in inside) / len(inside), 4),
                   "observed": round(sum(y for _, y in inside) / len(inside), 4), "n": len(inside)}
                  for inside in _bins(rows, bins) if inside]
        if points:
            out[field] = points
    return out


def calibration(gold: dict[str, dict], predicted: dict[str, dict], *, bins: int = 10) -> dict[str, dict]:
    """Per field: Brier score, expected calibration error (equal-width bins), and accuracy at >= 0.9."""
    out: dict[str, dict] = {}
    for field, rows in confidence_pairs(gold, predicted).items():
        if not rows:
            continue
        brier = sum((p - y) ** 2 for p, y in rows) / len(rows)
        ece = sum(len(inside) / len(rows) * abs(sum(p for p, _ in inside) / len(inside)
                                                - sum(y for _, y in inside) / len(inside))
                  for inside in _bins(rows, bins) if inside)
        sure = [y for p, y in rows if p >= 0.9]
        out[field] = {"brier": round(brier, 4), "ece": round(ece, 4), "n": len(rows),
                      "accuracy_at_0.9": round(sum(sure) / len(sure), 4) if sure else None,
                      "share_at_0.9": round(len(sure) / len(rows), 4)}
    return out


def dump(model: dict) -> str:
    """The weights as committed: sorted keys, one stable text (``pressx train`` reproduces it byte for byte)."""
    return json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
