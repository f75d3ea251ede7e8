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


# --- gold validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("change, problem", [
    ({"event_start": "10/08/2020"}, "event_start"),
    ({"event_country": "Mali"}, "event_country"),
    ({"event_country": "QQ"}, "event_country"),
    ({"participant_count": 25.5}, "participant_count"),
    ({"participant_count": "25"}, "participant_count"),
    ({"organizers": "UNODC"}, "organizers"),
    ({"funders": [[]]}, "funders"),
    ({"reviewed": ["event_city", "colour"]}, "reviewed"),
    ({"colour": "blue"}, "colour"),
], ids=lambda v: str(v)[:30])
def test_gold_problems_name_the_field(change, problem):
    from pipeline.evaluate import gold_problems

    assert gold_problems(GOLD_RECORD) == []
    assert gold_problems({**GOLD_RECORD, "reviewed": ["event_city"], "publisher": "UNODC"}) == []
    problems = gold_problems({**GOLD_RECORD, **change})
    assert len(problems) == 1 and problem in problems[0]


def test_a_gold_field_left_out_is_a_problem():
    from pipeline.evaluate import gold_problems

    record = {k: v for k, v in GOLD_RECORD.items() if k != "funders"}
    assert gold_problems(record) == ["missing field 'funders'"]


def test_evaluate_refuses_invalid_gold_with_its_path(cli, eval_set):
    path = eval_set / "gold" / "segou.json"
    path.write_text(json.dumps({**GOLD_RECORD, "event_end": "12 August"}), encoding="utf-8")
    result = cli("evaluate", eval_set, "--model", "blank")
    assert result.code == 2 and str(path) in result.err and "event_end" in result.err


# --- reviewed-only and cross-validation -----------------------------------------------------------

def test_reviewed_only_scores_just_the_checked_fields():
    gold = {"a": {**GOLD_RECORD, "id": "a", "reviewed": ["event_city"]}, "b": {**GOLD_RECORD, "id": "b"}}
    wrong = {**GOLD_RECORD, "event_city": "Bamako", "participant_count": 3, "funders": []}
    scores = score(gold, {"a": wrong, "b": wrong}, reviewed_only=True)
    assert scores.scalars["event_city"] == {"accuracy": 0.0, "n": 1}
    assert scores.scalars["participant_count"]["n"] == 0
    assert scores.entities["funders"]["fn"] == 0
    assert score(gold, {"a": wrong, "b": wrong}).scalars["participant_count"]["n"] == 2


def _publishers_set(n_per: dict[str, int]) -> dict[str, dict]:
    gold = {}
    for publisher, n in n_per.items():
        for i in range(n):
            doc_id = f"{publisher.lower()}-{i}"
            gold[doc_id] = {**GOLD_RECORD, "id": doc_id, "publisher": publisher}
    return gold


def test_cross_validation_keeps_each_publisher_on_one_side():
    from pipeline.evaluate import cross_validate, publisher_of

    gold = _publishers_set({"UNDP": 5, "PNUD ": 0, "Daily Nation": 3, "GIZ": 2, "OSCE": 4, "WFP": 1})
    seen_in_training: list[set[str]] = []

    def fit(train_gold, train_predicted):
        train = {publisher_of(i, g) for i, g in train_gold.items()}
        seen_in_training.append(train)
        return lambda held_out: held_out

    folds = cross_validate(gold, gold, k=3, fit=fit)
    assert len(folds.folds) == 3 and len(seen_in_training) == 3
    for train, scored in zip(seen_in_training, folds.fold_publishers):
        assert scored and not train & set(scored)
    assert sorted(p for ps in folds.fold_publishers for p in ps) == sorted({publisher_of(i, g) for i, g in gold.items()})
    assert sum(f.documents for f in folds.folds) == len(gold)


def test_cross_validation_without_fitting_scores_the_rules_fold_by_fold():
    from pipeline.evaluate import cross_validate

    gold = _publishers_set({"A": 2, "B": 2, "C": 2, "D": 2})
    predicted = {i: ({**g, "event_city": "Bamako"} if i.startswith("a-") else g) for i, g in gold.items()}
    summary = cross_validate(gold, predicted, k=4).summary()
    assert summary["event_city"]["accuracy"] == 0.75 and summary["event_city"]["n"] == 8
    assert summary["event_city"]["min"] == 0.0 and summary["event_city"]["max"] == 1.0
    assert summary["event_country"] == {"accuracy": 1.0, "sd": 0.0, "min": 1.0, "max": 1.0, "n": 8}


def test_the_group_is_the_ids_leading_word_without_a_publisher():
    from pipeline.evaluate import publisher_of

    assert publisher_of("iom-nepal-2018", {}) == "iom"
    assert publisher_of("x", {"publisher": "The Daily Star"}) == publisher_of("y", {"publisher": "daily star"})


def test_cv_needs_at_least_k_publishers():
    from pipeline.evaluate import LayoutError, cross_validate

    gold = _publishers_set({"A": 3, "B": 3})
    with pytest.raises(LayoutError, match="--cv 3"):
        cross_validate(gold, gold, k=3)


def test_evaluate_cv_json_has_the_contract_shape(cli, tmp_path):
    gold = _publishers_set({"A": 1, "B": 1, "C": 1})
    root = tmp_path / "cvset"
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    records = tmp_path / "records.jsonl"
    with records.open("w", encoding="utf-8") as fh:
        for doc_id, g in gold.items():
            (root / "docs" / f"{doc_id}.txt").write_text(ITEM_TEXT, encoding="utf-8")
            (root / "gold" / f"{doc_id}.json").write_text(json.dumps(g), encoding="utf-8")
            fh.write(json.dumps(g) + "\n")
    out = tmp_path / "cv.json"
    result = cli("evaluate", root, "--records", records, "--cv", 3, "--json", out)
    assert result.code == 0, result
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["cv"]["k"] == 3 and data["cv"]["groups"] == "publisher"
    assert data["event_city"]["accuracy"] == 1.0 and data["organizers"]["f1"] == 1.0
    assert "3 folds grouped by publisher" in result.out


def test_evaluate_several_sets_in_one_run(cli, eval_set, tmp_path):
    other = tmp_path / "other"
    (other / "docs").mkdir(parents=True)
    (other / "gold").mkdir()
    (other / "docs" / "bamako.txt").write_text(ITEM_TEXT, encoding="utf-8")
    (other / "gold" / "bamako.json").write_text(json.dumps({**GOLD_RECORD, "id": "bamako"}), encoding="utf-8")
    out = tmp_path / "scores.json"
    result = cli("evaluate", eval_set, other, "--model", "blank", "--json", out)
    assert result.code == 0, result
    assert json.loads(out.read_text(encoding="utf-8"))["event_city"]["n"] == 2
    (other / "gold" / "bamako.json").write_text(json.dumps(GOLD_RECORD), encoding="utf-8")
    (other / "docs" / "bamako.txt").rename(other / "docs" / "segou.txt")
    result = cli("evaluate", eval_set, other, "--model", "blank")
    assert result.code == 2 and "also in another set" in result.err


def test_every_corpus_gold_file_validates_and_names_its_publisher():
    from pipeline.evaluate import load_gold

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    gold = load_gold(corpus)  # raises, naming the file, on any invalid record
    assert all(g.get("publisher") for g in gold.values())
