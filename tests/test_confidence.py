"""Confidence per value: features read off a record, a fitted model per field, calibration measures,
the review column, and shipped weights that ``pressx train corpus`` reproduces byte for byte."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.confidence import annotate, calibration, dump, fit, probability, value_features
from pipeline.writers import csv_row, review_fields

ROOT = Path(__file__).resolve().parents[1]
RECORD = {
    "id": "a", "language": "en", "event_city": "Suva", "event_country": "FJ", "participant_count": 33,
    "organizers": [{"name": "Pacific Community", "acronym": "SPC"}, {"name": "Ministry of Finance"}],
    "evidence": {"event_city": [{"text": "SUVA", "start": 80, "end": 84, "rule": "places.dateline"}],
                 "organizers": [{"text": "organized by the Pacific Community", "start": 500, "end": 534,
                                 "rule": "organizers.cue_by"},
                                {"text": "Fiji's Ministry of Finance", "start": 548, "end": 574,
                                 "rule": "org.agent_of_organize_conj"}]},
}


def test_features_name_the_rule_and_where_the_evidence_lies():
    city = value_features(RECORD, "event_city")
    assert city["rule=places.dateline"] == 1.0 and city["position=head"] == 1.0 and city["lang=en"] == 1.0
    second = value_features(RECORD, "organizers", 1)
    assert second["rule=org.agent_of_organize_conj"] == 1.0 and second["has_acronym"] == 0.0
    assert value_features(RECORD, "organizers", 0)["has_acronym"] == 1.0


def _set(n: int):
    """A toy set: city values from the dateline are right, from elsewhere wrong."""
    gold, records = {}, {}
    for i in range(n):
        good = i % 3 != 0
        rule = "places.dateline" if good else "places.body_mention"
        gold[f"d{i}"] = {"event_city": "Suva", "organizers": [["SPC"]]}
        records[f"d{i}"] = {"language": "en", "event_city": "Suva" if good else "Nadi",
                            "organizers": [{"name": "SPC"}],
                            "evidence": {"event_city": [{"start": 10, "rule": rule}],
                                         "organizers": [{"start": 500, "rule": "organizers.cue_by"}]}}
    return gold, records


def test_fit_learns_which_rule_is_right_and_is_deterministic():
    gold, records = _set(60)
    model = fit(records, gold)
    assert dump(model) == dump(fit(records, gold))
    city = model["fields"]["event_city"]
    assert probability(city, {"rule=places.dateline": 1.0}) > 0.8 > 0.3 > probability(city, {"rule=places.body_mention": 1.0})
    assert model["fields"]["organizers"]["weights"] == {}  # every organiser right: only the base rate
    annotated = annotate(records["d1"], model)
    assert set(annotated["confidence"]) == {"event_city", "organizers"}
    assert len(annotated["confidence"]["organizers"]) == 1


def test_calibration_of_a_perfectly_calibrated_and_of_an_overconfident_model():
    gold = {f"d{i}": {"event_city": "Suva"} for i in range(10)}
    right = {f"d{i}": {"event_city": "Suva" if i < 8 else "Nadi", "confidence": {"event_city": 0.8}} for i in range(10)}
    measured = calibration(gold, right)["event_city"]
    assert measured["ece"] == pytest.approx(0.0) and measured["brier"] == pytest.approx(0.16)
    sure = {i: {**r, "confidence": {"event_city": 0.99}} for i, r in right.items()}
    measured = calibration(gold, sure)["event_city"]
    assert measured["ece"] == pytest.approx(0.19) and measured["accuracy_at_0.9"] == 0.8
    assert measured["share_at_0.9"] == 1.0


def test_review_names_the_fields_under_the_threshold():
    confidence = {"event_city": 0.55, "event_country": 0.9, "organizers": [0.95, 0.4], "funders": [0.8]}
    assert review_fields(confidence, 0.7) == ["event_city", "organizers"]
    row = csv_row({**RECORD, "confidence": confidence}, review_below=0.7)
    assert row["review"] == "event_city; organizers" and row["event_city_confidence"] == 0.55
    assert row["participant_count_confidence"] == ""
    assert csv_row({**RECORD, "confidence": confidence}, review_below=0.5)["review"] == "organizers"


@pytest.mark.slow
def test_train_on_the_corpus_reproduces_the_shipped_weights(cli, tmp_path):
    result = cli("train", ROOT / "corpus", "--out", tmp_path)
    assert result.code == 0, result
    for name in ("picker.json", "confidence.json"):
        shipped = ROOT / "models" / "weights" / name
        assert (tmp_path / name).read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), name
