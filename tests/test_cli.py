"""The command line as CONTRACT.md describes it: outputs, exit codes, help, ``show``."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_COLUMNS = [
    "id", "source", "language", "title", "publication_date", "event_start", "event_end", "event_city",
    "event_country", "locations", "participant_count", "participants_female", "participants_male",
    "organizers", "funders",
] + [f"{name}_confidence" for name in ("publication_date", "event_start", "event_end", "event_city", "event_country",
                                      "participant_count", "participants_female", "participants_male")] + ["review"]
RECORD_FIELDS = {*CONTRACT_COLUMNS[:15], "evidence"}
ITEMS = {
    "b-segou": ("Magistrates trained in Ségou, Mali: \"methods\", evidence; and more\n16-08-2020\n\n"
                "SEGOU In Mali, twenty-five (25) magistrates took part from 10 to 12 August 2020 in a workshop "
                "organized by the United Nations Office on Drugs and Crime (UNODC) and funded by the Netherlands.\n"),
    "a-mombasa": ("Maritime crime course in Mombasa\n3 March 2024\n\n"
                  "MOMBASA - Thirty prosecutors, 12 of them women, attended a course organized by UNODC.\n"),
}


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name, text in ITEMS.items():
        (root / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def ran(cli, folder, tmp_path) -> Path:
    out = tmp_path / "out"
    result = cli("run", folder, "--out", out, "--model", "blank", "-q")
    assert result.code == 0, result
    return out


def test_run_writes_the_three_outputs(ran):
    assert sorted(p.name for p in ran.iterdir() if not p.name.startswith(".")) == [
        "errors.csv", "records.csv", "records.jsonl"]


def test_records_csv_opens_with_pandas_and_has_the_contract_columns(ran):
    table = pd.read_csv(ran / "records.csv")
    assert list(table.columns) == CONTRACT_COLUMNS
    assert len(table) == len(ITEMS)
    assert table.loc[table["id"] == "b-segou", "title"].item() == ITEMS["b-segou"].split("\n")[0]


def test_records_csv_joins_entities_and_shows_acronyms(ran):
    row = pd.read_csv(ran / "records.csv").set_index("id").loc["b-segou"]
    assert "United Nations Office on Drugs and Crime (UNODC)" in row["organizers"].split("; ")
    assert "Netherlands" in row["funders"].split("; ")


def test_records_jsonl_is_sorted_by_id_with_the_contract_fields(ran):
    records = [json.loads(line) for line in (ran / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == sorted(ITEMS)
    for record in records:
        assert RECORD_FIELDS <= set(record)


def test_evidence_offsets_index_the_file_as_read(ran, folder):
    for line in (ran / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = Path(record["source"]).read_text(encoding="utf-8")
        spans = [ev for evs in record["evidence"].values() for ev in evs]
        assert spans
        for ev in spans:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_errors_csv_has_only_its_header_when_nothing_failed(ran):
    assert (ran / "errors.csv").read_text(encoding="utf-8").splitlines() == ["path,id,kind,message"]


@pytest.mark.parametrize("argv, code", [
    (["run", "{folder}"], 0),
    (["run", "{folder}", "{broken}"], 1),
    (["run", "{folder}", "{missing}"], 2),
    (["run", "{folder}", "--no-such-option"], 2),
    (["run", "{folder}", "--engine", "spark"], 2),
    (["run", "{folder}", "--lang", "de"], 2),
    (["run", "{folder}", "--workers", "0"], 2),
    (["run", "{folder}", "--out", "{broken}"], 2),
    (["no-such-command"], 2),
], ids=["all-good", "some-failed", "missing-path", "unknown-option", "bad-engine", "bad-lang", "bad-workers",
        "out-is-a-file", "unknown-command"])
def test_run_exit_codes(cli, folder, tmp_path, argv, code):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    paths = {"folder": folder, "broken": broken, "missing": tmp_path / "missing"}
    argv = [a.format(**paths) for a in argv]
    if argv[0] == "run":
        argv += [] if "--out" in argv else ["--out", str(tmp_path / "out")]
        argv += ["--model", "blank", "-q"]
    result = cli(*argv)
    assert result.code == code, result
    if code == 2:
        assert result.err.strip()


def test_failed_inputs_are_named_on_stderr(cli, folder, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01")
    result = cli("run", folder, broken, "--out", tmp_path / "out", "--model", "blank", "-q")
    assert result.code == 1
    assert f"failed {broken}: binary: " in result.err
    assert "2 records, 1 failed" in result.err


@pytest.mark.parametrize("command", ["run", "evaluate", "show", "report"])
def test_every_subcommand_has_help(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    assert "Usage" in result.out and command in result.out


def test_top_level_help_lists_the_subcommands(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ("run", "evaluate", "show", "report"):
        assert command in result.out


def test_python_dash_m_pipeline_has_help():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "run" in proc.stdout and "evaluate" in proc.stdout


def test_show_json_prints_the_record_as_json(cli, folder):
    result = cli("show", folder / "b-segou.txt", "--format", "json", "--model", "blank")
    assert result.code == 0, result
    record = json.loads(result.out)
    assert record["id"] == "b-segou" and RECORD_FIELDS <= set(record)
    text = ITEMS["b-segou"]
    for ev in (ev for evs in record["evidence"].values() for ev in evs):
        assert text[ev["start"]:ev["end"]] == ev["text"]


def test_show_json_prints_a_list_for_a_file_of_several_items(cli, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": i, "text": ITEMS[i]}) for i in sorted(ITEMS)), encoding="utf-8")
    result = cli("show", feed, "--format", "json", "--model", "blank")
    assert result.code == 0, result
    assert [r["id"] for r in json.loads(result.out)] == sorted(ITEMS)


def test_show_text_names_the_values(cli, folder):
    result = cli("show", folder / "a-mombasa.txt", "--model", "blank")
    assert result.code == 0, result
    assert "Mombasa" in result.out


@pytest.mark.parametrize("argv, code", [
    (["show", "{missing}"], 2),
    (["show", "{item}", "--format", "xml"], 2),
    (["show", "{empty}"], 1),
])
def test_show_refuses_bad_arguments(cli, folder, tmp_path, argv, code):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = {"missing": tmp_path / "missing.txt", "item": folder / "a-mombasa.txt", "empty": empty}
    result = cli(*[a.format(**paths) for a in argv], "--model", "blank")
    assert result.code == code, result
    assert result.err.strip()


def test_report_without_records_is_a_usage_error(cli, tmp_path):
    result = cli("report", tmp_path)
    assert result.code == 2
    assert "records.jsonl" in result.err


def test_show_prints_each_rule_id_as_written(cli, folder, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    result = cli("show", folder / "b-segou.txt", "--model", "blank")
    assert result.code == 0, result
    assert "[dates." in result.out and "[participants." in result.out  # rule ids, not swallowed as rich markup
    assert "confidence" in result.out
