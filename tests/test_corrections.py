"""``pressx corrections``: a records.csv that a person corrected becomes an annotated set (issue 17).

End to end: ``pressx run`` on three small items, records.csv edited with pandas (and saved
as LibreOffice and Excel save it), ``pressx corrections``, then the gold files, the
refusals, idempotence, and ``pressx evaluate`` on the new set.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.corrections import CorrectionsError, entities_gold, parse_scalar, read_table, sniff_separator

ITEMS = {
    "segou": ("Magistrates trained in Ségou\n16-08-2020\n\n"
              "SEGOU In Mali, twenty-five (25) magistrates took part from 10 to 12 August 2020 in a workshop "
              "organized by the United Nations Office on Drugs and Crime (UNODC) and funded by the Netherlands.\n"),
    "mombasa": ("Maritime crime course in Mombasa\n3 March 2024\n\n"
                "MOMBASA - Thirty prosecutors, 12 of them women, attended a course organized by UNODC.\n"),
    "dakar": ("Police officers trained in Dakar\n5 May 2021\n\n"
              "DAKAR - 18 police officers attended a two-day workshop from 3 to 4 May 2021 organized by the "
              "International Organization for Migration (IOM) with funding from Japan.\n"),
}
FIELDS = ["publication_date", "event_start", "event_end", "event_city", "event_country", "locations",
          "participant_count", "participants_female", "participants_male", "organizers", "funders"]
ENTITY_FIELDS = ("locations", "organizers", "funders")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Tables and help as on a wide terminal, so that what they say can be read whatever COLUMNS is."""
    import pipeline.cli
    from rich.console import Console

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(pipeline.cli, "out", Console(width=200))


@pytest.fixture
def ran(cli, tmp_path, monkeypatch) -> Path:
    """``pressx run in --out out`` from tmp_path, so sources are relative paths as an analyst's are."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    for name, text in ITEMS.items():
        (tmp_path / "in" / f"{name}.txt").write_text(text, encoding="utf-8")
    result = cli("run", "in", "--out", "out", "--model", "blank", "-q")
    assert result.code == 0, result
    return tmp_path / "out"


def _records(out: Path) -> dict[str, dict]:
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def _gold(set_dir: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((set_dir / "gold").glob("*.json"))}


def _as_gold(record: dict, name: str):
    """A record's value as gold holds it: entities as lists of names (name, then acronym)."""
    if name in ENTITY_FIELDS:
        return [[e["name"], e["acronym"]] if e.get("acronym") else [e["name"]] for e in record[name]]
    return record[name]


def _refused(set_dir: Path) -> list[dict]:
    with (set_dir / "refused.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _snapshot(set_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(set_dir)): p.read_bytes() for p in sorted(set_dir.rglob("*")) if p.is_file()}


def _edited(out: Path) -> pd.DataFrame:
    """records.csv read as an analyst does, with an event_city and a participant_count corrected."""
    table = pd.read_csv(out / "records.csv")
    table.loc[table["id"] == "segou", "event_city"] = "Bamako"
    table.loc[table["id"] == "dakar", "participant_count"] = 20
    return table


def test_pandas_edit_becomes_gold(cli, ran, tmp_path):
    _edited(ran).to_csv(ran / "records.csv", index=False)  # pandas writes mombasa's female count as "12.0"
    result = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    assert result.code == 0, result
    gold, records = _gold(tmp_path / "reviewed"), _records(ran)
    assert sorted(gold) == sorted(ITEMS)
    assert gold["segou"]["event_city"] == "Bamako" and gold["segou"]["reviewed"] == ["event_city"]
    assert gold["dakar"]["participant_count"] == 20 and gold["dakar"]["reviewed"] == ["participant_count"]
    assert gold["mombasa"]["reviewed"] == [] and gold["mombasa"]["participants_female"] == 12
    for item_id, g in gold.items():  # every cell nobody changed keeps the extracted value
        assert list(g) == ["id", "language", "title", *FIELDS, "reviewed"]
        assert (g["id"], g["language"], g["title"]) == (item_id, records[item_id]["language"],
                                                         records[item_id]["title"])
        for name in FIELDS:
            if name not in g["reviewed"]:
                assert g[name] == _as_gold(records[item_id], name), (item_id, name)
        assert (tmp_path / "reviewed" / "docs" / f"{item_id}.txt").read_text(encoding="utf-8") == ITEMS[item_id]
    assert gold["segou"]["organizers"] == [["United Nations Office on Drugs and Crime", "UNODC"]]
    assert _refused(tmp_path / "reviewed") == []
    assert "segou: Ségou → Bamako" in result.out and "dakar: 18 → 20" in result.out
    assert "3 items" in result.err


def test_a_count_pandas_wrote_as_a_float_is_a_whole_number(cli, ran, tmp_path):
    table = pd.read_csv(ran / "records.csv")
    table.loc[table["id"] == "mombasa", "participants_male"] = 18  # a column with blanks: written "18.0"
    table.to_csv(ran / "records.csv", index=False)
    assert ",18.0," in (ran / "records.csv").read_text(encoding="utf-8")
    result = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    assert result.code == 0, result
    mombasa = _gold(tmp_path / "reviewed")["mombasa"]
    assert (mombasa["participants_male"], mombasa["reviewed"]) == (18, ["participants_male"])
    assert "mombasa: — → 18" in result.out and "18.0" not in result.out


def test_the_new_set_evaluates(cli, ran, tmp_path):
    """The set is a valid annotated set: evaluate extracts its docs and scores the two corrections as misses."""
    _edited(ran).to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 0
    scores_file = tmp_path / "scores.json"
    result = cli("evaluate", tmp_path / "reviewed", "--model", "blank", "--json", scores_file)
    assert result.code == 0, result
    scores = json.loads(scores_file.read_text(encoding="utf-8"))
    assert scores["event_city"] == {"accuracy": round(2 / 3, 4), "n": 3}
    assert scores["participant_count"] == {"accuracy": round(2 / 3, 4), "n": 3}
    assert scores["event_country"]["accuracy"] == 1.0 and scores["organizers"]["f1"] == 1.0


def test_libreoffice_csv_with_bom_semicolons_and_crlf(cli, ran, tmp_path):
    table = _edited(ran)
    table.loc[table["id"] == "segou", "funders"] = "Netherlands; Italy"
    table.loc[table["id"] == "segou", "organizers"] = (
        "United Nations Office on Drugs and Crime (UNODC); Agence française de développement (AFD)")
    table.loc[table["id"] == "mombasa", "locations"] = "Mombasa; Kenya"
    saved = tmp_path / "Downloads" / "records [fixed].csv"  # saved elsewhere: --records says where the run is
    saved.parent.mkdir()
    table.to_csv(saved, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid;source;") and b"\r\n" in data
    result = cli("corrections", saved, "--out", tmp_path / "reviewed", "--records", ran / "records.jsonl")
    assert result.code == 0, result
    assert "records [fixed].csv (3 items, 3 with corrections)" in result.out  # a file name is no markup
    gold = _gold(tmp_path / "reviewed")
    assert gold["segou"]["funders"] == [["Netherlands"], ["Italy"]]
    assert gold["segou"]["organizers"] == [["United Nations Office on Drugs and Crime", "UNODC"],
                                           ["Agence française de développement", "AFD"]]
    assert gold["segou"]["reviewed"] == ["event_city", "organizers", "funders"]
    assert gold["mombasa"]["locations"] == [["Mombasa"], ["Kenya"]]
    assert gold["mombasa"]["reviewed"] == ["locations"]
    assert gold["dakar"]["participant_count"] == 20
    # the same corrections through a plain CSV give the same gold
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "plain").code == 0
    assert _gold(tmp_path / "plain") == gold


def test_xlsx_as_pandas_writes_it(cli, ran, tmp_path):
    table = _edited(ran)
    table.to_excel(ran / "records.xlsx", index=False)
    result = cli("corrections", ran / "records.xlsx", "--out", tmp_path / "from-xlsx")
    assert result.code == 0, result
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "from-csv").code == 0
    assert _snapshot(tmp_path / "from-xlsx") == _snapshot(tmp_path / "from-csv")


def _break_segou(kind: str, table: pd.DataFrame, root: Path) -> pd.DataFrame:
    row = table["id"] == "segou"
    if kind == "date":
        table["event_start"] = table["event_start"].astype(object)
        table.loc[row, "event_start"] = "10/08/2020"
    elif kind == "country":
        table.loc[row, "event_country"] = "Mali"
    elif kind == "count":
        table["participant_count"] = table["participant_count"].astype(object)
        table.loc[row, "participant_count"] = "25.5"
    elif kind == "hash":
        path = root / "in" / "segou.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("twenty-five (25)", "thirty (30)"), encoding="utf-8")
    elif kind == "gone":
        (root / "in" / "segou.txt").unlink()
    elif kind == "column":
        table["notes"] = ""
        table.loc[row, "notes"] = "city looks wrong"
    return table


@pytest.mark.parametrize("kind, reason", [
    ("date", "event_start: '10/08/2020' is not a date written YYYY-MM-DD"),
    ("country", "event_country: 'Mali' is not an ISO 3166-1 alpha-2 country code (for Mali write ML)"),
    ("count", "participant_count: '25.5' is not a whole number"),
    ("hash", "text changed since the run: in/segou.txt now has content hash"),
    ("gone", "text is gone: in/segou.txt not found"),
    ("column", "unknown column 'notes' holds 'city looks wrong'"),
])
def test_bad_rows_are_refused_and_good_rows_go_through(cli, ran, tmp_path, kind, reason):
    table = _break_segou(kind, _edited(ran), tmp_path)
    table.to_csv(ran / "records.csv", index=False)
    result = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    assert result.code == 1, result
    refused = _refused(tmp_path / "reviewed")
    assert [(r["row"], r["id"], r["source"]) for r in refused] == [("4", "segou", "in/segou.txt")]
    assert reason in refused[0]["reason"]
    assert f"refused row 4 (segou): {reason}" in " ".join(result.err.split())
    assert sorted(_gold(tmp_path / "reviewed")) == ["dakar", "mombasa"]
    assert not (tmp_path / "reviewed" / "docs" / "segou.txt").exists()
    assert _gold(tmp_path / "reviewed")["dakar"]["participant_count"] == 20


def test_every_reason_of_a_row_is_given(cli, ran, tmp_path):
    table = _break_segou("country", _break_segou("date", _edited(ran), tmp_path), tmp_path)
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 1
    reason = _refused(tmp_path / "reviewed")[0]["reason"]
    assert "event_start: '10/08/2020'" in reason and "event_country: 'Mali'" in reason


def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused(cli, ran, tmp_path):
    lines = (ran / "records.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += ",extra"  # dakar
    lines[2] = lines[2].rsplit(",", 2)[0]  # mombasa, its last two cells cut
    (ran / "records.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 1
    columns = len(lines[0].split(","))
    assert [(r["id"], r["reason"]) for r in _refused(tmp_path / "reviewed")] == [
        ("dakar", f"row has {columns + 1} cells, the header has {columns}"),
        ("mombasa", "row has no cell for participants_male_confidence, review (fewer cells than the header)")]
    assert sorted(_gold(tmp_path / "reviewed")) == ["segou"]


def test_an_end_before_the_start_is_refused(cli, ran, tmp_path):
    table = pd.read_csv(ran / "records.csv")
    table.loc[table["id"] == "segou", "event_end"] = "2020-08-01"
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 1
    assert _refused(tmp_path / "reviewed")[0]["reason"] == "event_end 2020-08-01 is before event_start 2020-08-10"


def test_idempotent(cli, ran, tmp_path):
    table = _break_segou("country", _edited(ran), tmp_path)
    table.loc[table["id"] == "mombasa", "funders"] = "Japan"
    table.to_csv(ran / "records.csv", index=False)
    first = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    before = _snapshot(tmp_path / "reviewed")
    second = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    assert (first.code, first.out, first.err) == (second.code, second.out, second.err)
    assert _snapshot(tmp_path / "reviewed") == before
    assert sorted(before) == ["docs/dakar.txt", "docs/mombasa.txt", "gold/dakar.json", "gold/mombasa.json",
                              "refused.csv"]


def test_a_later_correction_replaces_the_earlier_one(cli, ran, tmp_path):
    original = pd.read_csv(ran / "records.csv")
    first = original.copy()
    first.loc[first["id"] == "segou", ["event_city", "participant_count"]] = ["Bamako", 30]
    first.to_csv(tmp_path / "first.csv", index=False)
    assert cli("corrections", tmp_path / "first.csv", "--out", tmp_path / "reviewed",
               "--records", ran / "records.jsonl").code == 0
    later = original.copy()
    later.loc[later["id"] == "segou", "event_city"] = "Kayes"
    later.to_csv(tmp_path / "later.csv", index=False)
    assert cli("corrections", tmp_path / "later.csv", "--out", tmp_path / "reviewed",
               "--records", ran / "records.jsonl").code == 0
    segou = _gold(tmp_path / "reviewed")["segou"]
    assert (segou["event_city"], segou["participant_count"], segou["reviewed"]) == ("Kayes", 25, ["event_city"])


def test_within_one_table_the_later_row_wins(cli, ran, tmp_path):
    table = pd.read_csv(ran / "records.csv")
    again = table[table["id"] == "segou"].copy()
    table.loc[table["id"] == "segou", "event_city"] = "Bamako"
    again["event_city"] = "Kayes"
    pd.concat([table, again]).to_csv(ran / "records.csv", index=False)
    result = cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed")
    assert result.code == 0, result
    assert _gold(tmp_path / "reviewed")["segou"]["event_city"] == "Kayes"
    assert "row 5 replaces row 4" in result.err


def test_a_field_reviewed_earlier_stays_reviewed_when_a_new_run_agrees(cli, ran, tmp_path):
    table = pd.read_csv(ran / "records.csv")
    table.loc[table["id"] == "segou", "participant_count"] = 30
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 0
    # a later run extracts 30 itself; its CSV, looked over and left as it is, still counts the earlier check
    lines = []
    for record in _records(ran).values():
        if record["id"] == "segou":
            record["participant_count"] = 30
        lines.append(json.dumps(record, ensure_ascii=False))
    (ran / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 0
    segou = _gold(tmp_path / "reviewed")["segou"]
    assert (segou["participant_count"], segou["reviewed"]) == (30, ["participant_count"])


def test_a_row_found_by_source_when_pandas_mangled_its_id(cli, ran, tmp_path):
    table = pd.read_csv(ran / "records.csv")
    table.loc[table["id"] == "segou", ["id", "event_city"]] = ["7", "Bamako"]
    table.to_csv(ran / "records.csv", index=False)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 0
    assert _gold(tmp_path / "reviewed")["segou"]["event_city"] == "Bamako"


def test_a_killed_write_leaves_whole_files_and_the_next_run_finishes(cli, ran, tmp_path, monkeypatch):
    import pipeline.corrections as corrections

    _edited(ran).to_csv(ran / "records.csv", index=False)
    real, calls = corrections._replace, []

    def dies_after_two(tmp: Path, final: Path) -> None:
        if len(calls) == 2:
            raise OSError("killed")
        calls.append(final)
        real(tmp, final)

    monkeypatch.setattr(corrections, "_replace", dies_after_two)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 2
    visible = [p for p in (tmp_path / "reviewed").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(visible) == 2 and all(p.suffix == ".txt" for p in visible)  # texts first, each one whole
    monkeypatch.setattr(corrections, "_replace", real)
    assert cli("corrections", ran / "records.csv", "--out", tmp_path / "reviewed").code == 0
    assert sorted(_gold(tmp_path / "reviewed")) == sorted(ITEMS)
    assert not [p for p in (tmp_path / "reviewed").rglob(".*")]  # the temporary files are gone


def test_unusable_inputs_are_usage_errors(cli, ran, tmp_path):
    result = cli("corrections", tmp_path / "nope.csv", "--out", tmp_path / "reviewed")
    assert result.code == 2 and "no such file" in result.err
    (tmp_path / "alone.csv").write_bytes((ran / "records.csv").read_bytes())
    result = cli("corrections", tmp_path / "alone.csv", "--out", tmp_path / "reviewed")
    assert result.code == 2 and "give the run's records.jsonl with --records" in " ".join(result.err.split())
    (tmp_path / "other.csv").write_text("name,value\na,1\n", encoding="utf-8")
    result = cli("corrections", tmp_path / "other.csv", "--out", tmp_path / "reviewed", "--records",
                 ran / "records.jsonl")
    assert result.code == 2 and "no id, source or content_hash column" in result.err
    result = cli("corrections", ran / "records.csv", "--out", ran / "records.jsonl")
    assert result.code == 2 and "is a file, not a folder" in result.err


def test_help_names_the_command_and_its_options(cli):
    assert "corrections" in cli("--help").out
    text = cli("corrections", "--help").out
    assert "--out" in text and "--records" in text and "refused.csv" in text


@pytest.mark.parametrize("name, cell, value", [
    ("event_start", "2020-08-10", "2020-08-10"),
    ("event_start", "", None),
    ("participant_count", "25", 25),
    ("participant_count", "25.0", 25),  # pandas writes a count column with blanks as floats
    ("event_country", "ml", "ML"),
    ("event_city", " Ségou ", "Ségou"),
])
def test_cells_parse(name, cell, value):
    assert parse_scalar(name, cell) == value


@pytest.mark.parametrize("name, cell", [
    ("event_start", "2020-02-30"), ("event_start", "2020-8-10"), ("event_start", "10 August 2020"),
    ("participant_count", "-3"), ("participant_count", "1,200"), ("participant_count", "about 25"),
    ("event_country", "XX"), ("event_country", "MLI"),
])
def test_bad_cells_say_why(name, cell):
    with pytest.raises(ValueError, match=name):
        parse_scalar(name, cell)


def test_entity_cells_keep_the_run_s_names_and_parse_new_ones():
    extracted = [{"name": "International Organization for Migration", "acronym": "IOM"}]
    assert entities_gold("organizers", "International Organization for Migration (IOM)", extracted) == (
        [["International Organization for Migration", "IOM"]], False)
    assert entities_gold("organizers", "International Organization for Migration (IOM);  UNHCR", extracted) == (
        [["International Organization for Migration", "IOM"], ["UNHCR"]], True)
    assert entities_gold("organizers", "", extracted) == ([], True)
    assert entities_gold("locations", "Kananga (Kasai)", []) == ([["Kananga (Kasai)"]], True)


@pytest.mark.parametrize("header, separator", [
    ("id,source,event_city", ","), ("id;source;event_city", ";"), ("id\tsource\tevent_city", "\t"),
    ("something else", ","),
])
def test_separator_sniffed_from_the_header(header, separator):
    assert sniff_separator(header) == separator


def test_excel_s_sep_line_and_a_legacy_encoding(tmp_path):
    path = tmp_path / "fixed.csv"
    path.write_bytes("sep=;\r\nid;event_city\r\nsegou;Ségou\r\n\r\n".encode("cp1252"))
    assert read_table(path) == (["id", "event_city"], [(3, {"id": "segou", "event_city": "Ségou"})])


def test_a_date_typed_into_excel_reads_as_its_iso_date(tmp_path):
    path = tmp_path / "fixed.xlsx"
    pd.DataFrame({"id": ["segou"], "event_start": [pd.Timestamp("2020-08-10")], "participant_count": [25.0],
                  "funders": [None]}).to_excel(path, index=False)
    header, rows = read_table(path)
    assert rows == [(2, {"id": "segou", "event_start": "2020-08-10", "participant_count": "25", "funders": ""})]


def test_a_file_that_is_no_table_says_so(tmp_path):
    path = tmp_path / "fixed.ods"
    path.write_bytes(b"PK")
    with pytest.raises(CorrectionsError, match="a .csv or .xlsx file is needed"):
        read_table(path)
