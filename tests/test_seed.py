"""The item the project was created from: every field equals its gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import FIELDS, match_entities, _scalar_equal
from pipeline.ingest import read_file

SEED = Path(__file__).resolve().parents[2] / "shared" / "devset"
SEED_ID = "000_7b66e727b83d7cc9"


def test_seed_item_matches_gold_on_every_field():
    if not (SEED / "docs" / f"{SEED_ID}.txt").exists():
        pytest.skip("../shared/devset is absent")
    from pipeline.engine import Extractor

    gold = json.loads((SEED / "gold" / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    item = next(read_file(SEED / "docs" / f"{SEED_ID}.txt"))
    record = Extractor().extract_one(item).to_dict()
    for field in FIELDS:
        if isinstance(gold[field], list):
            tp, fp, fn, _, _ = match_entities(gold[field], record[field])
            assert (fp, fn) == (0, 0), field
        else:
            assert _scalar_equal(gold[field], record[field]), (field, gold[field], record[field])
