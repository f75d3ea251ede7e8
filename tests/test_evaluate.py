"""The scorer, exactly as ANNOTATION.md defines it, and ``pressx evaluate``'s handling of a set."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import ENTITIES, SCALARS, match_entities, normalise, score

IOM = ["International Organization for Migration", "IOM"]
ITALY = ["Italy", "Republic of Italy", "the Republic of Italy"]
GOLD_RECORD = {
    "id": "segou", "language": "en", "title": "Magistrates trained", "publication_date": "2020-08-16",
    "event_start": "2020-08-10", "event_end": "2020-08-12", "event_city": "Ségou", "event_country": "ML",
    "locations": [["Ségou", "Segou"], ["Mali"]], "participant_count": 25, "participants_female": None,
    "participants_male": None, "organizers": [["United Nations Office on Drugs and Crime", "UNODC"]],
    "funders": [["Netherlands", "the Netherlands"]],
}
ITEM_TEXT = ("Magistrates trained\n16-08-2020\n\nSEGOU In Mali, twenty-five (25) magistrates took part from 10 to "
             "12 August 2020 in a workshop organized by UNODC and funded by the Netherlands.\n")


@pytest.mark.parametrize("raw, expected", [
    ("Ségou", "segou"),
    ("SÉGOU", "segou"),
    ("the Republic of Italy", "republic of italy"),
    ("The  Netherlands ", "netherlands"),
    ("l'OIM", "oim"),
    ("L’OIM", "oim"),
    ("les Cayes", "cayes"),
    ("the the Gambia", "the gambia"),  # one leading article only
    ("Theatre", "theatre"),  # an article is a whole word
    ("Côte d'Ivoire", "cote d ivoire"),
    ("U.N.O.D.C.", "u n o d c"),
    ("Guinea-Bissau", "guinea bissau"),
    ("ＵＮＯＤＣ", "unodc"),  # NFKD folds full-width letters
    ("Straße", "strasse"),  # case-folding
    ("  multiple\t\nspaces  ", "multiple spaces"),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("gold, pred, counts", [
    ([ITALY], [{"name": "Republic of Italy"}], (1, 0, 0)),
    ([ITALY], [{"name": "the Republic of Italy"}], (1, 0, 0)),
    ([ITALY], [{"name": "ITALY."}], (1, 0, 0)),
    ([IOM], [{"name": "X", "acronym": "IOM"}], (1, 0, 0)),
    ([IOM], [{"name": "International Organization for Migration", "acronym": "OIM"}], (1, 0, 0)),
    ([IOM], [{"name": "IOM"}, {"name": "IOM"}], (1, 1, 0)),
    ([IOM], [{"name": "IOM"}, {"name": "International Organization for Migration"}], (1, 1, 0)),
    ([IOM, ITALY], [{"name": "Italy"}], (1, 0, 1)),
    ([IOM], [{"name": "UNHCR"}], (0, 1, 1)),
    ([], [], (0, 0, 0)),
    ([IOM], [], (0, 0, 1)),
    ([], [{"name": "IOM"}], (0, 1, 0)),
    ([["Mali"]], ["Mali"], (1, 0, 0)),  # a bare name as prediction
    (["Mali"], [{"name": "Mali"}], (1, 0, 0)),  # a bare name as gold entity
], ids=["alias", "alias-article", "alias-punctuation", "acronym", "name-with-wrong-acronym", "duplicate",
        "same-entity-twice", "partial", "miss", "both-empty", "nothing-predicted", "nothing-gold", "bare-prediction",
        "bare-gold"])
def test_match_entities(gold, pred, counts):
    tp, fp, fn, fps, fns = match_entities(gold, pred)
    assert (tp, fp, fn) == counts
    assert (len(fps), len(fns)) == (fp, fn)


def test_each_gold_entity_is_matched_once_whatever_the_order():
    # the first prediction could take either entity (name "B", acronym "AA"); the second only "B"
    gold = [["B"], ["Alpha Agency", "AA"]]
    pred = [{"name": "B", "acronym": "AA"}, {"name": "B"}]
    assert match_entities(gold, pred)[:3] == (2, 0, 0)
    assert match_entities(gold[::-1], pred[::-1])[:3] == (2, 0, 0)


def _doc(**fields) -> dict:
    return {"locations": [], "organizers": [], "funders": [], **fields}


def test_scalar_nulls_on_both_sides_are_skipped():
    scores = score({"a": _doc(participant_count=None), "b": _doc(participant_count=25)},
                   {"a": _doc(participant_count=None), "b": _doc(participant_count=25)})
    assert scores.scalars["participant_count"] == {"accuracy": 1.0, "n": 1}


@pytest.mark.parametrize("gold, pred", [(None, 25), (25, None), (25, 24)], ids=["spurious", "missed", "wrong"])
def test_scalar_null_against_a_value_is_wrong(gold, pred):
    scores = score({"a": _doc(participant_count=gold)}, {"a": _doc(participant_count=pred)})
    assert scores.scalars["participant_count"] == {"accuracy": 0.0, "n": 1}
    assert [(m.field, m.expected, m.got) for m in scores.misses] == [("participant_count", gold, pred)]


@pytest.mark.parametrize("gold, pred", [("Ségou", "Segou"), ("ML", "ml"), (25, "25"), ("2020-08-10", "2020-08-10")])
def test_scalar_values_compare_after_normalisation(gold, pred):
    assert score({"a": {"event_city": gold}}, {"a": {"event_city": pred}}).scalars["event_city"]["accuracy"] == 1.0


def test_a_missing_prediction_counts_as_all_null():
    scores = score({"a": GOLD_RECORD}, {})
    assert scores.scalars["event_start"] == {"accuracy": 0.0, "n": 1}
    assert scores.scalars["participants_female"] == {"accuracy": 1.0, "n": 0}
    assert scores.entities["locations"]["fn"] == 2


def test_entity_scores_are_micro_averaged_over_documents():
    gold = {"a": _doc(locations=[["Mali"], ["Ségou"]]), "b": _doc(locations=[["Kenya"]])}
    pred = {"a": _doc(locations=[{"name": "Mali"}]), "b": _doc(locations=[{"name": "Kenya"}, {"name": "Oslo"}])}
    got = score(gold, pred).entities["locations"]
    assert (got["tp"], got["fp"], got["fn"]) == (2, 1, 1)
    assert got["precision"] == round(2 / 3, 4) and got["recall"] == round(2 / 3, 4) and got["f1"] == round(2 / 3, 4)


def test_empty_entity_sets_score_perfectly():
    got = score({"a": _doc()}, {"a": _doc()}).entities["funders"]
    assert got == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 0, "fp": 0, "fn": 0}


def test_scores_json_has_the_contract_shape():
    shape = score({"segou": GOLD_RECORD}, {"segou": GOLD_RECORD}).to_json()
    _assert_contract_shape(shape)
    assert all(shape[f]["accuracy"] == 1.0 for f in SCALARS)
    assert all(shape[f]["f1"] == 1.0 for f in ENTITIES)


def _assert_contract_shape(shape: dict) -> None:
    assert set(shape) == set(SCALARS) | set(ENTITIES)
    for field in SCALARS:
        assert set(shape[field]) == {"accuracy", "n"}
    for field in ENTITIES:
        assert set(shape[field]) == {"precision", "recall", "f1", "tp", "fp", "fn"}


# --- pressx evaluate on a set --------------------------------------------------------------------

@pytest.fixture
def eval_set(tmp_path) -> Path:
    root = tmp_path / "set"
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    (root / "docs" / "segou.txt").write_text(ITEM_TEXT, encoding="utf-8")
    (root / "gold" / "segou.json").write_text(json.dumps(GOLD_RECORD, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture
def records_file(tmp_path) -> Path:
    path = tmp_path / "records.jsonl"
    prediction = {**GOLD_RECORD, "locations": [{"name": "Segou"}, {"name": "Mali"}],
                  "organizers": [{"name": "X", "acronym": "UNODC"}], "funders": [{"name": "the Netherlands"}]}
    path.write_text(json.dumps(prediction) + "\n", encoding="utf-8")
    return path


def test_evaluate_json_from_records(cli, eval_set, records_file, tmp_path):
    out = tmp_path / "scores.json"
    result = cli("evaluate", eval_set, "--records", records_file, "--json", out)
    assert result.code == 0, result
    shape = json.loads(out.read_text(encoding="utf-8"))
    _assert_contract_shape(shape)
    assert shape["organizers"]["tp"] == 1 and shape["locations"]["f1"] == 1.0
    assert "event_city" in result.out


def test_evaluate_json_by_extracting(cli, eval_set, tmp_path):
    out = tmp_path / "scores.json"
    result = cli("evaluate", eval_set, "--json", out, "--model", "blank", "--errors")
    assert result.code == 0, result
    _assert_contract_shape(json.loads(out.read_text(encoding="utf-8")))


def _break_missing_gold(root: Path) -> str:
    (root / "docs" / "extra.txt").write_text(ITEM_TEXT, encoding="utf-8")
    return str(root / "gold" / "extra.json")


def _break_gold_without_item(root: Path) -> str:
    (root / "gold" / "orphan.json").write_text(json.dumps({**GOLD_RECORD, "id": "orphan"}), encoding="utf-8")
    return str(root / "gold" / "orphan.json")


def _break_invalid_gold(root: Path) -> str:
    (root / "gold" / "segou.json").write_text('{"id": "segou", ', encoding="utf-8")
    return str(root / "gold" / "segou.json")


def _break_gold_not_object(root: Path) -> str:
    (root / "gold" / "segou.json").write_text('[1, 2]', encoding="utf-8")
    return str(root / "gold" / "segou.json")


def _break_duplicate_gold_id(root: Path) -> str:
    (root / "gold" / "copy.json").write_text(json.dumps(GOLD_RECORD), encoding="utf-8")
    return str(root / "gold" / "segou.json")


def _break_no_gold_folder(root: Path) -> str:
    for path in (root / "gold").iterdir():
        path.unlink()
    (root / "gold").rmdir()
    return str(root)


BREAKS = [_break_missing_gold, _break_gold_without_item, _break_invalid_gold, _break_gold_not_object,
          _break_duplicate_gold_id, _break_no_gold_folder]


@pytest.mark.parametrize("break_set", BREAKS, ids=[b.__name__[7:] for b in BREAKS])
def test_evaluate_names_the_file_of_a_broken_set(cli, eval_set, break_set):
    named = break_set(eval_set)
    result = cli("evaluate", eval_set, "--model", "blank")
    assert result.code == 2, result
    assert named in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("content, where", [
    ('{"id": "segou", "title": \n', ":1"),
    (json.dumps(GOLD_RECORD) + '\n{"title": "no id"}\n', ":2"),
])
def test_evaluate_names_the_line_of_a_broken_records_file(cli, eval_set, tmp_path, content, where):
    records = tmp_path / "bad.jsonl"
    records.write_text(content, encoding="utf-8")
    result = cli("evaluate", eval_set, "--records", records)
    assert result.code == 2, result
    assert f"{records}{where}" in result.err


def test_evaluate_records_that_miss_a_gold_item(cli, eval_set, records_file):
    missing = _break_gold_without_item(eval_set)
    result = cli("evaluate", eval_set, "--records", records_file)
    assert result.code == 2 and missing in result.err


@pytest.mark.parametrize("argv", [["{missing}"], ["{set}", "--records", "{missing}"]], ids=["set", "records"])
def test_evaluate_missing_paths_are_usage_errors(cli, eval_set, tmp_path, argv):
    paths = {"missing": tmp_path / "nope", "set": eval_set}
    result = cli("evaluate", *[a.format(**paths) for a in argv])
    assert result.code == 2 and "nope" in result.err
