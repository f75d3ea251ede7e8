"""records.jsonl, records.csv and errors.csv, written atomically and streamed.

Records are appended to a checkpoint file as they are made (so a killed run
can ``--resume``); ``finish`` sorts them by id into temporary files and renames
them over the old outputs, so a run killed at any point leaves each previous
output file whole. Record lines stay on disk: memory holds only an index of
(id, byte offset), never the records, so it does not grow with their size.

``--resume`` reuses a record only when the item is unchanged (its fingerprint:
source path and text) and the run is made the same way: the same settings, the
same pipeline code and the same data under ``models/`` (the run's stamp, kept
beside the outputs).
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from .ingest import IngestFailure
from .types import Record

CSV_COLUMNS = [
    "id", "source", "language", "title", "publication_date", "event_start", "event_end",
    "event_city", "event_country", "locations", "participant_count", "participants_female",
    "participants_male", "organizers", "funders",
]
SCALAR_FIELDS = ["publication_date", "event_start", "event_end", "event_city", "event_country",
                 "participant_count", "participants_female", "participants_male"]
CSV_COLUMNS += [f"{name}_confidence" for name in SCALAR_FIELDS] + ["review"]
REVIEW_BELOW = 0.7  # a value less likely than this to be right is named in the review column
ERROR_COLUMNS = ["path", "id", "kind", "message"]
CHECKPOINT = ".records.partial.jsonl"
STAMP = ".run-stamp"


def _entity_cell(entities: list[dict]) -> str:
    parts = []
    for e in entities:
        name = e.get("name", "")
        parts.append(f"{name} ({e['acronym']})" if e.get("acronym") and e["acronym"] != name else name)
    return "; ".join(parts)


def csv_row(record: dict[str, Any], *, review_below: float = REVIEW_BELOW) -> dict[str, Any]:
    row = {k: record.get(k) for k in CSV_COLUMNS}
    for key in ("locations", "organizers", "funders"):
        row[key] = _entity_cell(record.get(key) or [])
    confidence = record.get("confidence") or {}
    for name in SCALAR_FIELDS:
        row[f"{name}_confidence"] = confidence.get(name)
    row["review"] = "; ".join(review_fields(confidence, review_below))
    return {k: ("" if v is None else v) for k, v in row.items()}


def review_fields(confidence: dict[str, Any], below: float) -> list[str]:
    """The fields with a value (or, for an entity field, some value) less likely than ``below`` to be right."""
    out = []
    for name, value in confidence.items():
        values = value if isinstance(value, list) else [value]
        if any(v is not None and v < below for v in values):
            out.append(name)
    return out


def _replace(tmp: Path, final: Path) -> None:
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def _sync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def run_stamp(settings: Any) -> str:
    """A fingerprint of how records are made: settings that change them, pipeline code and models/ data."""
    from . import __version__
    from .resources import MODELS_DIR

    digest = hashlib.sha256(__version__.encode())
    fields = dataclasses.asdict(settings) if dataclasses.is_dataclass(settings) else {"settings": repr(settings)}
    fields.pop("n_process", None)  # how many processes parse does not change a record
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    code = sorted(Path(__file__).resolve().parent.rglob("*.py"))
    data = sorted(p for p in MODELS_DIR.rglob("*") if p.is_file()) if MODELS_DIR.is_dir() else []
    for path in code + data:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class Stored(NamedTuple):
    """Where a record line is on disk, and its item's content hash (for ``--resume``)."""

    path: Path
    offset: int
    length: int
    content_hash: str | None


def _index_records(path: Path) -> Iterator[tuple[str, Stored]]:
    """(id, where) for every whole record line of a JSONL file; lines cut short or without an id are passed over."""
    with path.open("rb") as fh:
        offset = 0
        for raw in fh:
            try:
                rec = json.loads(raw.decode("utf-8", errors="replace"))
            except json.JSONDecodeError:
                rec = None  # a line cut short by a kill
            if isinstance(rec, dict) and rec.get("id") is not None:
                yield str(rec["id"]), Stored(path, offset, len(raw), rec.get("content_hash"))
            offset += len(raw)


def _read_line(fh, where: Stored) -> str:
    fh.seek(where.offset)
    return fh.read(where.length).decode("utf-8", errors="replace").rstrip("\r\n")


def _cut_partial_line(path: Path) -> None:
    """Drop a last line left unfinished by a kill, so that new lines start on a line of their own."""
    with path.open("rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


class OutputWriter:
    """Collects records and failures for one output folder; ``finish`` publishes them."""

    def __init__(self, out_dir: Path, *, resume: bool = False, stamp: str = "", review_below: float = REVIEW_BELOW):
        self.review_below = review_below
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.checkpoint = self.out / CHECKPOINT
        self.stamp = stamp
        self.previous: dict[str, Stored] = {}  # id -> its line in an earlier run's output (for --resume)
        if resume:
            if _stamp_of(self.out / STAMP) == stamp and (self.out / "records.jsonl").exists():
                self.previous.update(_index_records(self.out / "records.jsonl"))
            if _stamp_of(self.checkpoint) == stamp:
                self.previous.update(_index_records(self.checkpoint))
                _cut_partial_line(self.checkpoint)
            else:
                self.checkpoint.unlink(missing_ok=True)
        else:
            self.checkpoint.unlink(missing_ok=True)
        new_checkpoint = not self.checkpoint.exists()
        self._fh = self.checkpoint.open("a", encoding="utf-8")
        if new_checkpoint:  # its first line says how its records were made
            self._fh.write(json.dumps({"run_stamp": stamp}) + "\n")
            self._fh.flush()
        self.failures: list[IngestFailure] = []
        self.written: set[str] = set()
        self._sources: dict[Path, Any] = {}  # earlier outputs, open for reading reused lines

    def reusable(self, item_id: str, content_hash: str) -> bool:
        """True when an earlier run already has this item with unchanged content (it is carried over)."""
        where = self.previous.get(item_id)
        if where is None or item_id in self.written:
            return False
        if where.content_hash != content_hash:
            return False
        if where.path not in self._sources:
            self._sources[where.path] = where.path.open("rb")
        self._write_line(item_id, _read_line(self._sources[where.path], where))
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
        for source in self._sources.values():
            source.close()
        self._sources.clear()
        # only this run's items: a resumed checkpoint also holds items since removed or edited;
        # an item's last line wins. The index holds offsets, the lines are read back one by one.
        index = {rec_id: where for rec_id, where in _index_records(self.checkpoint) if rec_id in self.written}
        jsonl_tmp = self.out / "records.jsonl.tmp"
        csv_tmp = self.out / "records.csv.tmp"
        err_tmp = self.out / "errors.csv.tmp"
        with self.checkpoint.open("rb") as src, jsonl_tmp.open("w", encoding="utf-8") as js, \
                csv_tmp.open("w", encoding="utf-8", newline="") as cs:
            writer = csv.DictWriter(cs, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for rec_id in sorted(index):
                line = _read_line(src, index[rec_id])
                js.write(line + "\n")
                writer.writerow(csv_row(json.loads(line), review_below=self.review_below))
        write_errors(err_tmp, self.failures)
        stamp_file = self.out / STAMP
        stamp_file.unlink(missing_ok=True)  # records.jsonl and its stamp never disagree, even after a kill
        for tmp, final in ((jsonl_tmp, "records.jsonl"), (csv_tmp, "records.csv"), (err_tmp, "errors.csv")):
            _replace(tmp, self.out / final)
        stamp_tmp = self.out / (STAMP + ".tmp")
        stamp_tmp.write_text(json.dumps({"run_stamp": self.stamp}) + "\n", encoding="utf-8")
        _replace(stamp_tmp, stamp_file)
        _sync_dir(self.out)
        self.checkpoint.unlink()
        return len(index)


def _stamp_of(path: Path) -> str | None:
    """The run stamp on the first line of a checkpoint or stamp file (None when absent or unreadable)."""
    try:
        with path.open(encoding="utf-8") as fh:
            value = json.loads(fh.readline()).get("run_stamp")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def write_errors(path: Path, failures: Iterable[IngestFailure]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ERROR_COLUMNS)
        writer.writeheader()
        for f in failures:
            writer.writerow({"path": f.path, "id": f.id or "", "kind": f.kind, "message": f.message})
