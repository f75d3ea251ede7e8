"""The evaluation gate: per-field floors (tests/floors.json) asserted on whole sets.

Sets: the project's corpus/, and ../shared/devset and ../shared/devset-fr when
present (skipped with a reason otherwise). corpus/ is scored in two parts: the items
of the batches the rules were tuned on ("corpus"), and the batches added since the
blind-score ledger began ("corpus-new", the batches listed in floors.json), whose
floors start from their scores after they joined. Floors only rise: a floor lower
than the committed one fails the gate.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_set, extract_sets, score

ROOT = Path(__file__).resolve().parents[1]
FLOORS_FILE = Path(__file__).with_name("floors.json")
FLOORS = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
SETS = {"corpus": ROOT / "corpus", "corpus-new": ROOT / "corpus", "devset": ROOT.parent / "shared" / "devset",
        "devset-fr": ROOT.parent / "shared" / "devset-fr"}
NEW_BATCHES = tuple(f"{prefix}-" for prefix in FLOORS["_new_batches"])


@pytest.fixture(scope="module")
def corpus_run(extractor_settings):
    return extract_sets([ROOT / "corpus"], settings=extractor_settings)


@pytest.fixture(scope="module", params=sorted(SETS))
def set_scores(request, extractor_settings):
    name = request.param
    path = SETS[name]
    if not path.is_dir():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    if name.startswith("corpus"):
        gold, predicted = request.getfixturevalue("corpus_run")
        new = name == "corpus-new"
        part = {i: g for i, g in gold.items() if i.startswith(NEW_BATCHES) == new}
        return name, score(part, predicted)
    return name, evaluate_set(path, settings=extractor_settings)


@pytest.mark.slow
def test_every_field_meets_its_floor(set_scores):
    name, scores = set_scores
    measured = {**{k: v["accuracy"] for k, v in scores.scalars.items()},
                **{k: v["f1"] for k, v in scores.entities.items()}}
    below = {field: (measured[field], floor) for field, floor in FLOORS[name].items() if measured[field] < floor}
    assert not below, f"{name}: fields below their floor (measured, floor): {below}"


def test_floors_only_rise():
    try:
        committed = subprocess.run(["git", "show", "HEAD:tests/floors.json"], cwd=ROOT, capture_output=True,
                                   text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no git history to compare the floors with")
    before = json.loads(committed)
    lowered = {(s, f): (before[s][f], v) for s, fields in FLOORS.items() if isinstance(fields, dict)
               for f, v in fields.items() if s in before and f in before[s] and v < before[s][f]}
    assert not lowered, f"floors lowered (committed, now): {lowered}"
