"""Rules propose, a fitted model picks: the organizers and funders among every body an item names,
the event's town among every town, the count among every sentence's count.

``candidates.body_candidates`` lists each body with its features (the rules that gave it a role,
the rules' own choice, how often and where it is named, its kind, its place in the parse). One
logistic regression per role turns them into the probability that the body holds that role; a
body is kept when that probability reaches ``THRESHOLD``, and the probability is its confidence.
``places.TownCandidate`` and ``participants.CountCandidate`` carry the signs the rules weigh, their
sum and choice: one logistic regression each keeps the likeliest town (``TOWN_THRESHOLD``) and the
likeliest count with its split (``COUNT_THRESHOLD``), else none.
The weights are fitted by ``pressx train`` (``fit``) and shipped as reviewable JSON
(models/weights/picker.json); applying them needs no scikit-learn. Without weights, or on
``--model blank`` (the features were fitted on the statistical pipeline's parse), the rules'
choice stands. Cross-validation fits the picker inside each fold, as it does the confidence.
"""
from __future__ import annotations

from typing import Any

from .candidates import ROLES
from .evaluate import _scalar_equal, match_entities
from .extract.text import fold
from .logistic import fit_rows, probability
from .types import Record

C = 0.3  # inverse regularisation strength, chosen by cross-validation grouped by publisher
THRESHOLD = 0.4  # a body is kept for a role from this probability on (chosen by cross-validation)
TOWN_C = 0.3
TOWN_THRESHOLD = 0.3  # the likeliest town is the event's from this probability on (chosen by cross-validation)
COUNT_C = 1.0
COUNT_THRESHOLD = 0.3  # the likeliest count is the attendance from this probability on (chosen by cross-validation)
SEED = 0


def examples(records: dict[str, dict], gold: dict[str, dict]) -> dict[str, list[tuple[dict, int]]]:
    """(features, 1 if picking the body adds a right value) for every candidate of every annotated item.

    A body is right for a role when it matches a gold entity of that role that no body before it
    matched: the rules' choices first, then the others in text order, so that a second name of a body
    already picked ("CARE" after "CARE Nepal") teaches the model to leave it, as picking it would cost.
    """
    out: dict[str, list[tuple[dict, int]]] = {role: [] for role in ROLES}
    for doc_id, g in sorted(gold.items()):
        candidates = (records.get(doc_id) or {}).get("candidates") or []
        for role in ROLES:
            left = list(g.get(role) or [])
            order = sorted(range(len(candidates)), key=lambda i: not candidates[i]["features"].get(f"{role}:chosen"))
            labels = {}
            for i in order:
                entity = {k: candidates[i][k] for k in ("name", "acronym") if candidates[i].get(k)}
                _, _, _, _, missed = match_entities(left, [entity])
                labels[i] = int(len(missed) < len(left))
                left = missed
            out[role] += [(candidates[i]["features"], labels[i]) for i in range(len(candidates))]
    return out


def town_examples(records: dict[str, dict], gold: dict[str, dict]) -> list[tuple[dict, int]]:
    """(features, 1 if the town is the gold event's) for every town of every annotated item: an item
    whose gold names no town (online, or not said) teaches the model to name none."""
    rows = []
    for doc_id, g in sorted(gold.items()):
        for town in (records.get(doc_id) or {}).get("towns") or []:
            rows.append((town["features"], int(_scalar_equal(g.get("event_city"), town["name"]))))
    return rows


def count_examples(records: dict[str, dict], gold: dict[str, dict]) -> list[tuple[dict, int]]:
    """(features, 1 if the count is the gold attendance) for every sentence's count of every annotated
    item: an item whose gold states no count teaches the model to give none."""
    rows = []
    for doc_id, g in sorted(gold.items()):
        for count in (records.get(doc_id) or {}).get("counts") or []:
            rows.append((count["features"], int(_scalar_equal(g.get("participant_count"), count["value"]))))
    return rows


def fit(records: dict[str, dict], gold: dict[str, dict]) -> dict:
    """One logistic regression per role, one for the event's town and one for the count, fitted on the
    candidates of annotated items (deterministic)."""
    import sklearn

    roles: dict[str, dict] = {}
    for role, rows in examples(records, gold).items():
        labels = [y for _, y in rows]
        if len(set(labels)) < 2:
            continue  # nothing to tell apart: the rules' choice stands for this role
        roles[role] = {**fit_rows(rows, c=C, max_iter=5000, seed=SEED), "positives": sum(labels)}
    model = {"model": f"logistic regression per role (scikit-learn), C={C}, kept at p >= {THRESHOLD}; "
                      f"for the event's town C={TOWN_C}, the likeliest kept at p >= {TOWN_THRESHOLD}; "
                      f"for the count C={COUNT_C}, the likeliest kept at p >= {COUNT_THRESHOLD}",
             "sklearn": sklearn.__version__, "roles": roles}
    for key, rows, c in (("town", town_examples(records, gold), TOWN_C), ("count", count_examples(records, gold), COUNT_C)):
        if len({y for _, y in rows}) == 2:
            model[key] = {**fit_rows(rows, c=c, max_iter=5000, seed=SEED), "positives": sum(y for _, y in rows)}
    return model


def choose_likeliest(options: list[dict], weights: dict, threshold: float = TOWN_THRESHOLD) -> tuple[int, float] | None:
    """The likeliest of ``options`` (towns, or counts with ``COUNT_THRESHOLD``) as (index, probability),
    or None when none reaches ``threshold``."""
    scored = [(i, probability(weights, t["features"])) for i, t in enumerate(options)]
    if not scored:
        return None
    best = max(scored, key=lambda ip: ip[1])  # the first named wins a tie
    return best if best[1] >= threshold else None


def choose(candidates: list[dict], model: dict) -> dict[str, list[tuple[int, float]]]:
    """Per role the model has weights for: (candidate index, probability) of the bodies kept, in text order.

    ``candidates`` are dicts with a name, maybe an acronym, and features. Of two kept candidates that
    name one body, the likelier stays.
    """
    out: dict[str, list[tuple[int, float]]] = {}
    for role, weights in model["roles"].items():
        scored = sorted(((i, probability(weights, c["features"])) for i, c in enumerate(candidates)),
                        key=lambda ip: -ip[1])
        kept: list[tuple[int, float]] = []
        for i, p in scored:
            if p >= THRESHOLD and not any(_same_body(candidates[i], candidates[j]) for j, _ in kept):
                kept.append((i, p))
        out[role] = sorted(kept)
    return out


def _same_body(a: dict, b: dict) -> bool:
    """Two candidates that name one body ("CARE" and "CARE Nepal"): one name holds the other."""
    names_a = {fold(a[k]) for k in ("name", "acronym") if a.get(k)}
    names_b = {fold(b[k]) for k in ("name", "acronym") if b.get(k)}
    return any(x in y or y in x for x in names_a for y in names_b)


def repick(record: dict, model: dict | None) -> dict:
    """A records.jsonl record with its organizers and funders picked from its candidates, its event's
    town from its towns and its count (with that count's split) from its counts (as is without any)."""
    candidates = record.get("candidates") or []
    if not model or not (candidates or record.get("towns") or record.get("counts")):
        return record
    out = dict(record)
    evidence = dict(record.get("evidence") or {})
    confidence = dict(record.get("confidence") or {})
    for role, picked in choose(candidates, model).items() if candidates else ():
        out[role] = [{k: candidates[i][k] for k in ("name", "acronym") if candidates[i].get(k)} for i, _ in picked]
        evidence[role] = [candidates[i]["evidence"][role] for i, _ in picked]
        confidence[role] = [round(p, 3) for _, p in picked]
    towns = record.get("towns") or []
    if towns and model.get("town"):
        picked = choose_likeliest(towns, model["town"])
        if picked is None:
            out["event_city"] = None
            evidence.pop("event_city", None)
            confidence.pop("event_city", None)
        else:
            town = towns[picked[0]]
            out["event_city"] = town["name"]
            out["event_country"] = town["country"] or out.get("event_country")
            evidence["event_city"] = evidence["event_country"] = [town["evidence"]]
            confidence["event_city"] = round(picked[1], 3)
    counts = record.get("counts") or []
    if counts and model.get("count"):
        picked = choose_likeliest(counts, model["count"], COUNT_THRESHOLD)
        count = counts[picked[0]] if picked else None
        out["participant_count"] = count["value"] if count else None
        for field, key in (("participant_count", None), ("participants_female", "female"), ("participants_male", "male")):
            part = (count if key is None else count[key]) if count else None
            if key is not None:
                out[field] = part["value"] if part else None
            evidence.pop(field, None)
            confidence.pop(field, None)
            if part:
                evidence[field] = [part["evidence"]]
        if picked:
            confidence["participant_count"] = round(picked[1], 3)
    out["evidence"] = {k: v for k, v in evidence.items() if v}
    out["confidence"] = {k: v for k, v in confidence.items() if v != []}
    return out


def apply(record: Record, model: dict | None) -> Record:
    """``repick`` for a Record fresh from assembly: its candidates are objects, not yet JSON."""
    if not model:
        return record
    if record.towns and model.get("town"):
        picked = choose_likeliest([{"features": t.features} for t in record.towns], model["town"])
        if picked is None:
            record.event_city = None
            record.evidence.pop("event_city", None)
        else:
            town = record.towns[picked[0]]
            record.event_city = town.name
            record.event_country = town.country or record.event_country
            record.evidence["event_city"] = record.evidence["event_country"] = [town.evidence]
            record.confidence["event_city"] = round(picked[1], 3)
    if record.counts and model.get("count"):
        picked = choose_likeliest([{"features": c.features} for c in record.counts], model["count"], COUNT_THRESHOLD)
        count = record.counts[picked[0]] if picked else None
        record.participant_count = count.value if count else None
        record.participants_female = count.female.value if count and count.female else None
        record.participants_male = count.male.value if count and count.male else None
        for field, part in (("participant_count", count), ("participants_female", count and count.female),
                            ("participants_male", count and count.male)):
            record.evidence.pop(field, None)
            if part:
                record.evidence[field] = [part.evidence if field == "participant_count" else part.evidence[0]]
        if picked:
            record.confidence["participant_count"] = round(picked[1], 3)
    if not record.candidates:
        return record
    as_dicts = [{**c.entity.to_dict(), "features": c.features} for c in record.candidates]
    for role, picked in choose(as_dicts, model).items():
        bodies = [record.candidates[i] for i, _ in picked]
        setattr(record, role, [b.entity for b in bodies])
        record.evidence[role] = [b.evidence[role] for b in bodies]
        record.confidence[role] = [round(p, 3) for _, p in picked]
    return record


def picked_confidence(record: dict[str, Any]) -> dict[str, list[float]]:
    """The picker's probabilities a record carries (they are its organizers' and funders' confidence)."""
    confidence = record.get("confidence") or {}
    out = {role: v for role, v in confidence.items() if role in ROLES} if record.get("candidates") else {}
    if record.get("towns") and "event_city" in confidence and record.get("event_city") is not None:
        out["event_city"] = confidence["event_city"]
    if record.get("counts") and "participant_count" in confidence and record.get("participant_count") is not None:
        out["participant_count"] = confidence["participant_count"]
    return out



