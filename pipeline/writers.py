"""records.jsonl, records.csv and errors.csv, written atomically and streamed.

Records are appended to a checkpoint file as they are made (so a killed run
can ``--resume``); ``finish`` sorts them by id into temporary files and renames
them over the old outputs, so a run killed at any point leaves the previous
outputs whole.
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Iterable

from .ingest import IngestFailure
from .types import Record

CSV_COLUMNS = [
    "id", "source", "language", "title", "publication_date", "event_start", "event_end",
    "event_city", "event_country", "locations", "participant_count", "participants_female",
    "participants_male", "organizers", "funders",
]
ERROR_COLUMNS = ["path", "id", "kind", "message"]
CHECKPOINT = ".records.partial.jsonl"


def _entity_cell(entities: list[dict]) -> str:
    parts = []
    for e in entities:
        name = e.get("name", "")
        parts.append(f"{name} ({e['acronym']})" if e.get("acronym") and e["acronym"] != name else name)
    return "; ".join(parts)


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: record.get(k) for k in CSV_COLUMNS}
    for key in ("locations", "organizers", "funders"):
        row[key] = _entity_cell(record.get(key) or [])
    return {k: ("" if v is None else v) for k, v in row.items()}


def _replace(tmp: Path, final: Path) -> None:
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


class OutputWriter:
    """Collects records and failures for one output folder; ``finish`` publishes them."""

    def __init__(self, out_dir: Path, *, resume: bool = False):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.checkpoint = self.out / CHECKPOINT
        self.previous: dict[str, str] = {}  # id -> JSON line, from an earlier run (for --resume)
        if resume:
            for path in (self.out / "records.jsonl", self.checkpoint):
                if path.exists():
                    for line in path.read_text(encoding="utf-8").splitlines():
                        try:
                            rec = json.loads(line)
                        except json.JSONDecodeError:
                            continue  # a line cut short by a kill
                        self.previous[str(rec["id"])] = line
        elif self.checkpoint.exists():
            self.checkpoint.unlink()
        self._fh = self.checkpoint.open("a", encoding="utf-8")
        self.failures: list[IngestFailure] = []
        self.written: set[str] = set()

    def reusable(self, item_id: str, content_hash: str) -> bool:
        """True when an earlier run already has this item with unchanged content (it is carried over)."""
        line = self.previous.get(item_id)
        if line is None or item_id in self.written:
            return False
        if json.loads(line).get("content_hash") != content_hash:
            return False
        self._write_line(item_id, line)
        return True

    def _write_line(self, item_id: str, line: str) -> None:
        self._fh.write(line.rstrip("\n") + "\n")
        self._fh.flush()
        self.written.add(item_id)

    def add(self, result: Record | IngestFailure) -> None:
        if isinstance(result, IngestFailure):
            self.failures.append(result)
            return
        self._write_line(result.id, json.dumps(result.to_dict(), ensure_ascii=False))

    def add_dict(self, record: dict) -> None:
        self._write_line(str(record["id"]), json.dumps(record, ensure_ascii=False))

    def finish(self) -> int:
        """Sort by id, write the three files atomically, drop the checkpoint; returns the record count."""
        self._fh.close()
        lines: dict[str, str] = {}
        with self.checkpoint.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec_id = json.loads(line)["id"]
                    lines[str(rec_id)] = line.rstrip("\n")
        jsonl_tmp = self.out / "records.jsonl.tmp"
        csv_tmp = self.out / "records.csv.tmp"
        err_tmp = self.out / "errors.csv.tmp"
        with jsonl_tmp.open("w", encoding="utf-8") as js, csv_tmp.open("w", encoding="utf-8", newline="") as cs:
            writer = csv.DictWriter(cs, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for rec_id in sorted(lines):
                js.write(lines[rec_id] + "\n")
                writer.writerow(csv_row(json.loads(lines[rec_id])))
        write_errors(err_tmp, self.failures)
        for tmp, final in ((jsonl_tmp, "records.jsonl"), (csv_tmp, "records.csv"), (err_tmp, "errors.csv")):
            _replace(tmp, self.out / final)
        self.checkpoint.unlink()
        return len(lines)


def write_errors(path: Path, failures: Iterable[IngestFailure]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ERROR_COLUMNS)
        writer.writeheader()
        for f in failures:
            writer.writerow({"path": f.path, "id": f.id or "", "kind": f.kind, "message": f.message})
