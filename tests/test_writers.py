"""Outputs are published atomically, and ``--resume`` after a kill gives exactly a clean run's table."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pipeline.batch
import pipeline.writers as writers
from pipeline.batch import CHUNK
from pipeline.engine import Settings
from pipeline.writers import CHECKPOINT, OutputWriter, run_stamp

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "corpus" / "docs"
OUTPUTS = ("records.jsonl", "records.csv", "errors.csv")


def _items(folder: Path, count: int) -> Path:
    """``count`` small, distinct news items."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"item{n:03d}.txt").write_text(
            f"Workshop number {n} in Dakar\n{1 + n % 28} May 2021\n\n"
            f"DAKAR - {10 + n} police officers attended a two-day workshop organized by the IOM.\n",
            encoding="utf-8")
    return folder


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS if (out / name).exists()}


def _assert_whole(out: Path) -> None:
    """Every output present parses completely."""
    for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    for name in ("records.csv", "errors.csv"):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows and all(len(row) == len(rows[0]) for row in rows)


def _record(item_id: str, content_hash: str = "h") -> dict:
    return {"id": item_id, "source": f"{item_id}.txt", "title": item_id, "locations": [], "organizers": [],
            "funders": [], "evidence": {}, "content_hash": content_hash}


def _reused(stderr: str) -> int:
    match = re.search(r"(\d+) reused", stderr)
    return int(match.group(1)) if match else 0


# --- atomic publication --------------------------------------------------------------------------

@pytest.fixture
def published(tmp_path) -> Path:
    out = tmp_path / "out"
    writer = OutputWriter(out, stamp="s")
    for item_id in ("a", "b", "c"):
        writer.add_dict(_record(item_id))
    writer.finish()
    return out


def test_failure_while_writing_leaves_the_previous_outputs_untouched(published, monkeypatch):
    before = _snapshot(published)
    real_row = writers.csv_row
    calls = []

    def failing_row(record, **options):
        calls.append(record["id"])
        if len(calls) == 2:
            raise OSError("disk full")
        return real_row(record)

    monkeypatch.setattr(writers, "csv_row", failing_row)
    writer = OutputWriter(published, stamp="s")
    for item_id in ("x", "y", "z"):
        writer.add_dict(_record(item_id))
    with pytest.raises(OSError, match="disk full"):
        writer.finish()
    assert _snapshot(published) == before


def test_kill_between_renames_leaves_every_file_whole(published, monkeypatch):
    real_replace = os.replace
    done = []

    def replace_once(src, dst):
        if done:
            raise KeyboardInterrupt("killed")  # as if the process died after the first rename
        done.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(writers.os, "replace", replace_once)
    writer = OutputWriter(published, stamp="s")
    writer.add_dict(_record("new"))
    with pytest.raises(KeyboardInterrupt):
        writer.finish()
    monkeypatch.undo()
    _assert_whole(published)
    ids = [json.loads(line)["id"] for line in (published / "records.jsonl").read_text().splitlines()]
    assert ids in (["a", "b", "c"], ["new"])


def test_run_that_fails_midway_leaves_the_previous_outputs_untouched(cli, tmp_path, monkeypatch):
    folder = _items(tmp_path / "in", 40)
    out = tmp_path / "out"
    assert cli("run", folder, "--out", out, "--model", "blank", "-q").code == 0
    before = _snapshot(out)
    real = pipeline.batch.process_chunk
    calls = []

    def crash_on_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("simulated crash in the middle of a run")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.batch, "process_chunk", crash_on_second_chunk)
    (folder / "item000.txt").write_text("Changed title\n\nSomething else entirely happened.", encoding="utf-8")
    result = cli("run", folder, "--out", out, "--model", "blank", "-q")
    assert result.code == 2
    assert "simulated crash" in result.err
    assert _snapshot(out) == before
    assert (out / CHECKPOINT).exists()  # what was done so far is kept for --resume


def test_outputs_are_sorted_by_id_and_the_same_on_every_run(cli, tmp_path):
    folder = _items(tmp_path / "in", 5)
    (folder / "item002.txt").rename(folder / "zz.txt")
    (folder / "item004.txt").rename(folder / "aa.txt")
    snapshots = []
    for out in (tmp_path / "one", tmp_path / "two"):
        assert cli("run", folder, "--out", out, "--model", "blank", "-q").code == 0
        snapshots.append(_snapshot(out))
    ids = [json.loads(line)["id"] for line in snapshots[0]["records.jsonl"].decode().splitlines()]
    assert ids == sorted(ids) == ["aa", "item000", "item001", "item003", "zz"]
    assert snapshots[0] == snapshots[1]
    assert not list((tmp_path / "one").glob("*.tmp")) and not (tmp_path / "one" / CHECKPOINT).exists()


# --- resume --------------------------------------------------------------------------------------

def test_resume_after_editing_one_input_redoes_only_that_one(cli, tmp_path):
    folder = _items(tmp_path / "in", 6)
    out = tmp_path / "out"
    assert cli("run", folder, "--out", out, "--model", "blank", "-q").code == 0
    edited = folder / "item003.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("police officers", "judges"), encoding="utf-8")
    resumed = cli("run", folder, "--out", out, "--model", "blank", "-q", "--resume")
    assert resumed.code == 0
    assert _reused(resumed.err) == 5
    clean = tmp_path / "clean"
    assert cli("run", folder, "--out", clean, "--model", "blank", "-q").code == 0
    assert _snapshot(out) == _snapshot(clean)


def test_resume_leaves_out_inputs_that_are_gone(cli, tmp_path):
    folder = _items(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert cli("run", folder, "--out", out, "--model", "blank", "-q").code == 0
    (folder / "item001.txt").unlink()
    resumed = cli("run", folder, "--out", out, "--model", "blank", "-q", "--resume")
    assert _reused(resumed.err) == 3
    ids = [json.loads(line)["id"] for line in (out / "records.jsonl").read_text().splitlines()]
    assert ids == ["item000", "item002", "item003"]


def test_resume_skips_a_line_cut_short_by_a_kill(tmp_path):
    out = tmp_path / "out"
    writer = OutputWriter(out, stamp="s")
    writer.add_dict(_record("a", "ha"))
    writer.add_dict(_record("b", "hb"))
    writer._fh.write('{"id": "c", "sou')  # the kill came in the middle of a line
    writer._fh.close()
    resumed = OutputWriter(out, resume=True, stamp="s")
    assert set(resumed.previous) == {"a", "b"}
    assert resumed.reusable("a", "ha") and resumed.reusable("b", "hb")
    resumed.add_dict(_record("c", "hc"))
    assert resumed.finish() == 3
    assert [json.loads(line)["id"] for line in (out / "records.jsonl").read_text().splitlines()] == ["a", "b", "c"]


def test_resume_does_not_reuse_records_made_differently(tmp_path):
    out = tmp_path / "out"
    writer = OutputWriter(out, stamp="blank-model")
    writer.add_dict(_record("a", "ha"))
    writer.finish()
    partial = OutputWriter(out, stamp="blank-model")
    partial.add_dict(_record("b", "hb"))
    partial._fh.close()  # killed: records.jsonl and the checkpoint both come from the blank model
    resumed = OutputWriter(out, resume=True, stamp="real-model")
    assert resumed.previous == {}
    assert not resumed.reusable("a", "ha")


def test_resume_does_not_trust_a_checkpoint_from_another_run(tmp_path):
    out = tmp_path / "out"
    OutputWriter(out, stamp="first").add_dict(_record("a", "ha"))
    assert OutputWriter(out, resume=True, stamp="second").previous == {}


def test_run_stamp_follows_the_settings_that_change_records():
    assert run_stamp(Settings()) == run_stamp(Settings())
    assert run_stamp(Settings(model="blank")) != run_stamp(Settings())
    assert run_stamp(Settings(language="fr")) != run_stamp(Settings())
    assert run_stamp(Settings(n_process=4)) == run_stamp(Settings())


# --- a real kill ---------------------------------------------------------------------------------

def _start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "-q", *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def _kill_once_records_are_checkpointed(proc: subprocess.Popen, out: Path, timeout: float = 240) -> None:
    checkpoint = out / CHECKPOINT
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the run ended (code {proc.returncode}) before it could be killed:\n{proc.stderr.read()}")
        # the stamp and a whole first chunk: records are appended one line at a time, so a kill on the first
        # line could land while the rest of its chunk is still being written
        if checkpoint.exists() and checkpoint.read_text(encoding="utf-8").count("\n") >= 1 + CHUNK:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
            assert proc.returncode == -signal.SIGTERM
            return
        time.sleep(0.02)
    proc.kill()
    pytest.fail("no record reached the checkpoint in time")


@pytest.mark.slow
def test_sigterm_mid_run_then_resume_gives_the_clean_table(tmp_path):
    english = sorted(p for p in DOCS.glob("en-*.txt"))
    assert english, "corpus/docs has no English .txt items"
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(64):  # ~60 items: enough for several chunks after the first is checkpointed
        source = english[n % len(english)]
        shutil.copy(source, folder / f"{n:02d}-{source.name}")
    out, clean = tmp_path / "out", tmp_path / "clean"

    # killed before any run finished: there are no outputs, not half-written ones
    _kill_once_records_are_checkpointed(_start(folder, out), out)
    assert not any((out / name).exists() for name in OUTPUTS)
    code, err = _finish(_start(folder, out, "--resume"))
    assert code == 0, err
    assert _reused(err) >= 16

    code, err = _finish(_start(folder, clean))
    assert code == 0, err
    assert (out / "records.jsonl").read_bytes() == (clean / "records.jsonl").read_bytes()

    # killed while an earlier complete run's outputs are in place: they stay whole and unchanged
    before = _snapshot(out)
    _kill_once_records_are_checkpointed(_start(folder, out), out)
    _assert_whole(out)
    assert _snapshot(out) == before
    code, err = _finish(_start(folder, out, "--resume"))
    assert code == 0, err
    assert _reused(err) >= 16
    assert (out / "records.jsonl").read_bytes() == (clean / "records.jsonl").read_bytes()
    assert _snapshot(out) == _snapshot(clean)


def test_pandas_reads_the_review_column_as_the_readme_filters_it(tmp_path):
    """README: ``df[df.review.notna()]`` keeps exactly the rows with a field to review."""
    pd = pytest.importorskip("pandas")
    from pipeline.writers import CSV_COLUMNS, csv_row

    rows = [csv_row({"id": "a", "confidence": {"event_city": 0.95}}),
            csv_row({"id": "b", "confidence": {"event_city": 0.4}})]
    path = tmp_path / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    df = pd.read_csv(path)
    assert df[df.review.notna()].id.tolist() == ["b"]
