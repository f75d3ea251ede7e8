"""Properties of the records pressx writes for the whole corpus (one extraction, default models)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.ingest import read_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_records(tmp_path_factory, extractor_settings):
    out = tmp_path_factory.mktemp("corpus-run")
    run_batch([ROOT / "corpus"], out, settings=extractor_settings)
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = {item.id: item.text for path in sorted((ROOT / "corpus" / "docs").iterdir())
             for item in read_file(path) if not hasattr(item, "kind")}
    return records, texts


@pytest.mark.slow
def test_every_organisation_name_starts_and_ends_on_a_word_boundary(corpus_records):
    """A name the text writes is never a piece of a longer word ("tin American Center" for "Latin ...")."""
    from pipeline.resources import load_resources

    countries = set(load_resources().country_names.values())  # "Australian Government" -> Australia: a name given, not cut
    records, texts = corpus_records
    cut = []
    for record in records:
        text = texts[record["id"]]
        for field in ("organizers", "funders"):
            for entity in record[field]:
                name = entity["name"]
                if name in countries:
                    continue
                found = [m.span() for m in re.finditer(re.escape(name), text)]
                if found and not any((s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum())
                                     for s, e in found):
                    cut.append((record["id"], field, name))
    assert not cut


@pytest.mark.slow
def test_no_organisation_name_runs_across_a_sentence_end(corpus_records):
    """"Suva. The workshop was organized by the Pacific Community" is not a name."""
    records, _ = corpus_records
    across = [(r["id"], e["name"]) for r in records for f in ("organizers", "funders") for e in r[f]
              if re.search(r"[a-z]{2}\. +[A-Z]", e["name"])]
    assert not across


@pytest.mark.slow
def test_every_evidence_quote_is_the_text_as_read(corpus_records):
    records, texts = corpus_records
    wrong = [(r["id"], field, e) for r in records for field, spans in r["evidence"].items() for e in spans
             if texts[r["id"]][e["start"]:e["end"]] != e["text"]]
    assert not wrong and records


@pytest.mark.slow
def test_every_value_has_a_confidence_between_zero_and_one(corpus_records):
    records, _ = corpus_records
    for record in records:
        confidence = record.get("confidence", {})
        for field in ("publication_date", "event_start", "event_city", "participant_count"):
            assert (record[field] is None) == (field not in confidence), (record["id"], field)
        for field in ("locations", "organizers", "funders"):
            assert len(confidence.get(field, [])) == len(record[field])
        assert all(0.0 <= p <= 1.0 for value in confidence.values() for p in (value if isinstance(value, list) else [value]))
