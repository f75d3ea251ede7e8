"""The picker: every body an item names is a candidate, a fitted model per role keeps the likely ones;
every town is a candidate, a fitted model picks the event's. Labels, the choice (threshold, one name
per body, one town or none), re-picking a records.jsonl record, the candidates an item yields, and the
rules' choice standing without weights or on --model blank."""
from __future__ import annotations

from dataclasses import replace

from pipeline import candidates, picker
from pipeline.engine import Extractor, Settings, extract
from pipeline.resources import load_resources

CHOSEN = {"organizers:chosen": 1.0, "organizers:proposed": 1.0}
MODEL = {"roles": {"organizers": {"intercept": -2.0, "weights": {"organizers:chosen": 3.0, "in_title": 2.5}},
                   "funders": {"intercept": -2.0, "weights": {"funders:chosen": 4.0}}}}


def cand(name, acronym=None, **features):
    out = {"name": name, "features": features,
           "evidence": {r: {"text": name, "start": 0, "end": len(name), "rule": f"picker.{r}"} for r in picker.ROLES}}
    return {**out, "acronym": acronym} if acronym else out


def test_a_second_name_of_a_body_already_chosen_is_no_gain():
    record = {"candidates": [cand("CARE", **{"order=0": 1.0}), cand("CARE Nepal", **CHOSEN), cand("Oxfam")]}
    gold = {"x": {"organizers": [["CARE Nepal", "CARE"], ["Oxfam"]], "funders": []}}
    labels = [y for _, y in picker.examples({"x": record}, gold)["organizers"]]
    assert labels == [0, 1, 1]  # CARE Nepal (chosen) takes the gold body; CARE would add nothing; Oxfam would


def test_choose_keeps_likely_bodies_once_and_in_text_order():
    candidates = [cand("Oxfam", in_title=1.0), cand("Pacific Community", "SPC", **CHOSEN),
                  cand("SPC"), cand("Fiji", order=1.0)]
    picked = picker.choose(candidates, MODEL)
    assert [i for i, _ in picked["organizers"]] == [0, 1]  # "SPC" names the body already kept
    assert picked["funders"] == []
    assert all(p >= picker.THRESHOLD for _, p in picked["organizers"])


def test_repick_rewrites_the_roles_evidence_and_confidence_from_the_candidates():
    record = {"id": "x", "organizers": [{"name": "Fiji"}], "funders": [],
              "evidence": {"organizers": [{"text": "Fiji", "start": 0, "end": 4, "rule": "organizers.partner"}]},
              "candidates": [cand("Fiji"), cand("Pacific Community", "SPC", **CHOSEN)]}
    out = picker.repick(record, MODEL)
    assert out["organizers"] == [{"name": "Pacific Community", "acronym": "SPC"}]
    assert out["evidence"]["organizers"][0]["rule"] == "picker.organizers"
    assert out["confidence"]["organizers"] == [round(1 / (1 + 2.718281828 ** -1.0), 3)]
    assert "funders" not in out["evidence"]
    assert picker.repick({"id": "y", "organizers": [{"name": "A"}]}, MODEL)["organizers"] == [{"name": "A"}]


TOWN = {"intercept": -3.0, "weights": {"sign=held_in": 4.0, "sign=head": 1.0}}


def town(name, country, **features):
    return {"name": name, "country": country, "features": features,
            "evidence": {"text": name.upper(), "start": 0, "end": len(name), "rule": "places.event_city"}}


def test_town_labels_say_which_town_is_the_gold_events_and_none_for_an_online_event():
    record = {"towns": [town("Lusaka", "ZM", **{"sign=head": 1.0}), town("Chipata", "ZM", **{"sign=held_in": 1.0})]}
    assert [y for _, y in picker.town_examples({"x": record}, {"x": {"event_city": "Chipata"}})] == [0, 1]
    assert [y for _, y in picker.town_examples({"x": record}, {"x": {"event_city": None}})] == [0, 0]


def test_the_likeliest_town_is_the_events_and_none_below_the_threshold():
    towns = [town("Lusaka", "ZM", **{"sign=head": 1.0}), town("Chipata", "ZM", **{"sign=held_in": 1.0})]
    i, p = picker.choose_likeliest(towns, TOWN)
    assert i == 1 and p >= picker.TOWN_THRESHOLD
    assert picker.choose_likeliest(towns[:1], TOWN) is None  # the dateline's town alone: p = 0.12
    assert picker.choose_likeliest([], TOWN) is None


def test_repick_sets_the_town_its_country_evidence_and_confidence():
    record = {"id": "x", "event_city": "Lusaka", "event_country": "ZM", "organizers": [],
              "evidence": {"event_city": [{"text": "LUSAKA", "start": 0, "end": 6, "rule": "places.event_city"}]},
              "confidence": {"event_city": 0.9},
              "towns": [town("Lusaka", "ZM", **{"sign=head": 1.0}), town("Kindia", "GN", **{"sign=held_in": 1.0})]}
    out = picker.repick(record, {"roles": {}, "town": TOWN})
    assert (out["event_city"], out["event_country"]) == ("Kindia", "GN")
    assert out["evidence"]["event_city"][0]["text"] == "KINDIA" and out["confidence"]["event_city"] == 0.731
    none = picker.repick({**record, "towns": record["towns"][:1]}, {"roles": {}, "town": TOWN})
    assert none["event_city"] is None and "event_city" not in none["evidence"] and none["event_country"] == "ZM"
    assert picker.repick(record, {"roles": {}})["event_city"] == "Lusaka"  # no town weights: the rules' town


TEXT = ("UNICEF trains radio journalists in Juba\n\n16 August 2020\n\n"
        "JUBA - UNICEF on Monday opened a five-day training for 25 radio journalists in Juba, "
        "with funding from the European Union. UNICEF has worked in South Sudan since 2006.")


def test_an_item_lists_each_body_once_with_its_rules_and_places(model_extractor):
    record = extract(TEXT, extractor=model_extractor)
    by_name = {c.entity.name: c for c in record.candidates}
    assert "European Union" in by_name and by_name["European Union"].features.get("funders:chosen")
    unicef = next(c for c in record.candidates if c.entity.acronym == "UNICEF")
    assert unicef.features.get("in_title") and unicef.features.get("named=3+") and unicef.features.get("order=0")
    assert record.to_dict()["candidates"][0]["evidence"]["organizers"]["start"] >= 0
    juba = record.to_dict()["towns"][0]
    assert (juba["name"], juba["country"]) == ("Juba", "SS")
    assert juba["features"].get("sign=head") and juba["features"].get("sign=held_in") and juba["features"].get("chosen")


def test_without_weights_or_on_blank_the_rules_choice_stands(model_extractor):
    rules = Extractor(Settings(), resources=replace(load_resources(), picker_model=None))
    picked = extract(TEXT, extractor=model_extractor)
    plain = extract(TEXT, extractor=rules)
    assert [f.name for f in plain.funders] == ["European Union"]
    assert [f.name for f in picked.funders] == ["European Union"]
    blank = extract(TEXT, model="blank")
    assert blank.confidence == {} and blank.candidates  # candidates are listed, no model picks among them


def test_a_body_the_parse_coordinates_with_a_chosen_one_is_marked(model_extractor):
    nlp, _ = model_extractor.pipeline("en")
    text = "The Pacific Community and the Youth Action Network launched the course."
    doc = nlp(text)
    first, second = (text.index("Pacific"), text.index(" and")), (text.index("Youth"), text.index(" launched"))
    assert candidates._coordinated(doc, [second], [first])  # "... and the Youth Action Network": a conjunct
    assert not candidates._coordinated(doc, [first], [second])  # the first conjunct heads the pair
    assert not candidates._coordinated(doc, [second], [])


COUNT = {"intercept": -2.0, "weights": {"sign=attend": 3.0, "sign=planned": -3.0}}


def count(value, female=None, **features):
    ev = {"text": str(value), "start": 0, "end": len(str(value)), "rule": "participants.count_before_noun"}
    split = {"value": female, "evidence": {**ev, "rule": "participants.female"}} if female else None
    return {"value": value, "evidence": ev, "female": split, "male": None, "features": features}


def test_count_labels_say_which_count_is_the_gold_attendance():
    record = {"counts": [count(40, **{"sign=attend": 1.0}), count(18, **{"sign=planned": 1.0})]}
    assert [y for _, y in picker.count_examples({"x": record}, {"x": {"participant_count": 40}})] == [1, 0]
    assert [y for _, y in picker.count_examples({"x": record}, {"x": {"participant_count": None}})] == [0, 0]


def test_repick_sets_the_count_its_split_evidence_and_confidence():
    record = {"id": "x", "participant_count": 18, "participants_female": None, "organizers": [],
              "evidence": {"participant_count": [{"text": "18", "start": 0, "end": 2, "rule": "r"}]},
              "counts": [count(18, **{"sign=planned": 1.0}), count(40, female=12, **{"sign=attend": 1.0})]}
    out = picker.repick(record, {"roles": {}, "count": COUNT})
    assert (out["participant_count"], out["participants_female"], out["participants_male"]) == (40, 12, None)
    assert out["evidence"]["participants_female"][0]["rule"] == "participants.female"
    assert out["confidence"]["participant_count"] == 0.731
    none = picker.repick({**record, "counts": record["counts"][:1]}, {"roles": {}, "count": COUNT})
    assert none["participant_count"] is None and "participant_count" not in none["evidence"]
    assert picker.repick(record, {"roles": {}})["participant_count"] == 18  # no count weights: the rules' count


def test_an_item_lists_every_sentences_count_with_the_rules_signs(model_extractor):
    record = extract(TEXT, extractor=model_extractor).to_dict()
    assert [c["value"] for c in record["counts"]] == [25]
    assert record["counts"][0]["features"].get("chosen") and record["counts"][0]["features"].get("sign=lede")
