"""The analyst's loop: a records.csv that a person corrected becomes an annotated set.

``read_corrections`` reads the edited table (CSV saved by pandas, LibreOffice or Excel:
UTF-8 with or without BOM or a legacy encoding, ``,``/``;``/tab separators, CRLF; or
``.xlsx``), finds each row's record in the run's records.jsonl and its text on disk,
and compares every extracted-field cell with what the run wrote there. It returns,
per item, the gold record of ANNOTATION.md (the corrected value where a cell changed,
the extracted one where not, and ``reviewed``: the fields a person changed) and, per
refused row, the reason. It writes nothing. ``write_set`` writes the result as
SET/docs/<id>.txt, SET/gold/<id>.json and SET/refused.csv, each file whole (a temporary
file renamed over the old one).

A row is matched to its record by ``id``, else by ``source``, else by ``content_hash``
(pandas turns an id like ``007`` into ``7``); its text is read again from ``source`` with
the same ingest code as ``pressx run`` and must still have the record's content hash.
The same table gives the same set (idempotent); a later correction of an item replaces
the earlier one, and a field reviewed earlier stays reviewed where the new row agrees
with its earlier gold value.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from .ingest import IngestError, IngestFailure, decode, item_fingerprint, read_file
from .types import NewsItem, Record
from .writers import CSV_COLUMNS, _entity_cell, _replace, _sync_dir, csv_row

SCALARS = Record.SCALARS
ENTITIES = Record.ENTITIES
FIELDS = tuple(c for c in CSV_COLUMNS if c in SCALARS + ENTITIES)  # what a person corrects, in ANNOTATION.md's order
DATES = ("publication_date", "event_start", "event_end")
COUNTS = ("participant_count", "participants_female", "participants_male")
KEYS = ("id", "source", "content_hash")  # how a row finds its record
# columns read but never turned into gold: the run's own (title and language come from the run)
# and those CONTRACT.md announces for later versions (confidences, the review column)
INFORMATIONAL = {"language", "title", "review"} | {f"{name}_confidence" for name in SCALARS}
KNOWN = set(CSV_COLUMNS) | set(KEYS) | INFORMATIONAL
TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SEPARATORS = (",", ";", "\t")
REFUSED_COLUMNS = ["row", "id", "source", "reason"]
TMP_SUFFIX = ".corrections.tmp"  # temporary files are hidden (".id.txt.corrections.tmp"): no run reads them
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d+(?:\.0*)?")  # "25", and "25.0" as pandas writes a count column that has blanks
_ACRONYM = re.compile(r"(?P<name>.*?\S)\s*\((?P<acronym>[^()\s;]+)\)")
_SAFE_ID = re.compile(r"[^/\\\x00]{1,200}")


class CorrectionsError(ValueError):
    """The table or the records as a whole cannot be used (the message says why); no row is read."""


@dataclass(frozen=True)
class Change:
    """One cell a person changed: the value as the run wrote it and as corrected, both as CSV cells."""

    id: str
    field: str
    extracted: str
    corrected: str


@dataclass(frozen=True)
class Refusal:
    """A row that does not become gold, with every reason found (``row`` counts the header as row 1)."""

    row: int
    id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Correction:
    """One item of the set: its text, its gold record and the cells changed."""

    id: str
    row: int
    text: str
    gold: dict[str, Any]
    changes: tuple[Change, ...]


@dataclass
class Corrections:
    """What a corrected table gives: items (by id) and refused rows, in table order."""

    items: dict[str, Correction] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)
    replaced: list[tuple[int, int]] = field(default_factory=list)  # (earlier row, later row) of one item

    def changes(self) -> list[Change]:
        return [c for item in self.items.values() for c in item.changes]


# -- reading the table ------------------------------------------------------------------------

def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows (spreadsheet row number, cells by column) of a CSV or .xlsx file.

    A row with more or fewer cells than the header keeps them under the key ``None`` / as a
    ``None`` value, for the caller to refuse.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix not in TABLE_SUFFIXES:
        raise CorrectionsError(f"{path}: a .csv or .xlsx file is needed, not {suffix or 'a file without suffix'} "
                               "(save the sheet as CSV or as Excel .xlsx)")
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise CorrectionsError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except IngestError as exc:
        raise CorrectionsError(f"{path}: {exc.message}") from exc
    lines = text.splitlines(keepends=True)
    start = 0
    hint = re.fullmatch(r"sep=(.)\r?\n?", lines[0]) if lines else None  # Excel's "sep=;" first line
    if hint:
        separator, start = hint.group(1), 1
    else:
        separator = sniff_separator(lines[0] if lines else "")
    reader = csv.reader(io.StringIO("".join(lines[start:]), newline=""), delimiter=separator)
    try:
        table = list(reader)
    except csv.Error as exc:
        raise CorrectionsError(f"{path}: not a readable CSV file ({exc})") from exc
    if not table:
        raise CorrectionsError(f"{path}: the file is empty")
    header = [h.strip() for h in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start + 2):
        if not any(c.strip() for c in cells):
            continue  # a blank line that spreadsheets leave at the end
        row: dict[Any, Any] = dict(zip(header, cells))
        if len(cells) > len(header):
            row[None] = cells[len(header):]
        for name in header[len(cells):]:
            row[name] = None
        rows.append((number, row))
    return header, rows


def sniff_separator(header_line: str) -> str:
    """The separator that splits the header into the most known column names (``,`` when none does better)."""
    def known(sep: str) -> int:
        cells = next(csv.reader([header_line], delimiter=sep), [])
        return sum(c.strip() in KNOWN for c in cells)

    return max(SEPARATORS, key=known)  # max keeps the first of equals: ","


def _read_excel(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        import openpyxl  # noqa: F401 - pandas reads .xlsx through it
    except ImportError:
        raise CorrectionsError(f"{path}: reading .xlsx needs the openpyxl package "
                               "(pip install openpyxl==3.1.5, or save the sheet as CSV)") from None
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, header=0)
    except Exception as exc:  # noqa: BLE001 - openpyxl's errors are many; say it in one line
        raise CorrectionsError(f"{path}: not a readable .xlsx file ({type(exc).__name__}: {exc})") from exc
    header = ["" if str(c).startswith("Unnamed: ") else str(c).strip() for c in frame.columns]
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), 2):
        cells = [_excel_cell(v) for v in values]
        if any(c.strip() for c in cells):
            rows.append((number, dict(zip(header, cells))))
    return header, rows


def _excel_cell(value: Any) -> str:
    """A cell as the CSV would show it: a date typed into Excel as its ISO date, 25.0 as 25."""
    import pandas as pd

    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- cells to values --------------------------------------------------------------------------

def parse_scalar(name: str, cell: str) -> Any:
    """A scalar cell to its value (empty: None); raises ValueError with the reason for a bad value."""
    cell = cell.strip()
    if not cell:
        return None
    if name in DATES:
        try:
            if not _ISO_DATE.fullmatch(cell):
                raise ValueError
            return date.fromisoformat(cell).isoformat()
        except ValueError:
            raise ValueError(f"{name}: {cell!r} is not a date written YYYY-MM-DD") from None
    if name in COUNTS:
        if not _WHOLE.fullmatch(cell):
            raise ValueError(f"{name}: {cell!r} is not a whole number")
        return int(float(cell)) if "." in cell else int(cell)
    if name == "event_country":
        return country_code(cell)
    return cell


def country_code(cell: str) -> str:
    """An ISO 3166-1 alpha-2 code (any case) as upper case; raises ValueError naming the code for a country name."""
    import pycountry

    code = cell.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    hint = ""
    try:
        found = pycountry.countries.lookup(cell.strip())
        hint = f" (for {found.name} write {found.alpha_2})"
    except LookupError:
        pass
    raise ValueError(f"event_country: {cell!r} is not an ISO 3166-1 alpha-2 country code{hint}")


def split_entities(cell: str) -> list[str]:
    """An entity cell's parts, as the CSV joins them with "; "."""
    return [part for part in (p.strip() for p in (cell or "").split(";")) if part]


def entity_names(entity: dict[str, Any]) -> list[str]:
    """A record's entity as a gold entity: its name, then its acronym where it has one."""
    names = [str(entity.get("name") or "").strip()]
    acronym = str(entity.get("acronym") or "").strip()
    if acronym and acronym != names[0]:
        names.append(acronym)
    return [n for n in names if n]


def parse_entity(name: str, part: str) -> list[str]:
    """One typed entity: ``Name (ACR)`` gives [Name, ACR] for organisations; a place is its whole text."""
    if name != "locations":
        match = _ACRONYM.fullmatch(part)
        if match:
            return [match.group("name"), match.group("acronym")]
    return [part]


def entities_gold(name: str, cell: str, extracted: list[dict]) -> tuple[list[list[str]], bool]:
    """The gold entities of a cell and whether a person changed it (order aside).

    A part written exactly as the run wrote one of its entities keeps that entity's names;
    a new part is parsed as typed.
    """
    parts = split_entities(cell)
    shown = [_entity_cell([e]) for e in extracted]
    if sorted(parts) == sorted(shown):
        return [entity_names(e) for e in extracted], False
    unused = list(zip(shown, extracted))
    gold = []
    for part in parts:
        same = next((i for i, (text, _) in enumerate(unused) if text == part), None)
        gold.append(entity_names(unused.pop(same)[1]) if same is not None else parse_entity(name, part))
    return gold, True


# -- rows to gold -----------------------------------------------------------------------------

def read_corrections(table: Path, *, records_file: Path | None = None, set_dir: Path | None = None) -> Corrections:
    """Compare an edited table with its run's records; nothing is written.

    ``records_file`` defaults to records.jsonl next to the table. ``set_dir``, when it
    already holds gold for an item, lets fields reviewed earlier stay reviewed where the
    new row gives the same value and the text is the same.
    """
    from .evaluate import LayoutError, load_records

    table = Path(table)
    records_file = Path(records_file) if records_file else table.parent / "records.jsonl"
    if not table.is_file():
        raise CorrectionsError(f"no such file: {table}")
    if not records_file.is_file():
        raise CorrectionsError(f"{records_file} not found: give the run's records.jsonl with --records")
    try:
        records = load_records(records_file)
    except (LayoutError, OSError, UnicodeDecodeError) as exc:
        raise CorrectionsError(f"{records_file}: {exc}") from exc
    header, rows = read_table(table)
    if not set(KEYS) & set(header):
        raise CorrectionsError(f"{table}: no id, source or content_hash column: is it a records.csv written by "
                               f"pressx run? (columns: {', '.join(h for h in header if h) or 'none'})")
    unknown = [h for h in header if h and h not in KNOWN]
    finder = _Finder(records)
    texts = _Texts()
    out = Corrections()
    where: dict[str, int] = {}
    for number, row in rows:
        item = _correct_row(number, row, unknown, finder, texts, set_dir)
        if isinstance(item, Refusal):
            out.refused.append(item)
            continue
        if item.id in where:
            out.replaced.append((where[item.id], number))
            del out.items[item.id]
        where[item.id] = number
        out.items[item.id] = item
    out.items = dict(sorted(out.items.items()))
    return out


class _Finder:
    """A row's record: by id, else by source, else by content hash."""

    def __init__(self, records: dict[str, dict]):
        self.by_id = records
        self.by_source = _unique((str(r.get("source")), r) for r in records.values())
        self.by_hash = _unique((str(r.get("content_hash")), r) for r in records.values())

    def find(self, row: dict) -> tuple[dict | None, str]:
        key = {k: (row.get(k) or "").strip() for k in KEYS}
        record = (self.by_id.get(key["id"]) or self.by_source.get(key["source"])
                  or self.by_hash.get(key["content_hash"]))
        if record is None:
            given = ", ".join(f"{k} {v!r}" for k, v in key.items() if v) or "no id, source or content_hash"
            return None, f"no record in records.jsonl has {given}"
        if key["source"] and key["source"] != record.get("source"):
            return None, (f"source {key['source']!r} is not the source of {record['id']!r} in records.jsonl "
                          f"({record.get('source')!r}): id and source are how a row finds its text; leave them")
        if key["content_hash"] and key["content_hash"] != record.get("content_hash"):
            return None, f"content_hash {key['content_hash']!r} is not the one records.jsonl has for {record['id']!r}"
        return record, ""


def _unique(pairs: Iterable[tuple[str, dict]]) -> dict[str, dict]:
    seen: dict[str, dict | None] = {}
    for key, record in pairs:
        seen[key] = None if key in seen else record
    return {k: v for k, v in seen.items() if v is not None and k not in ("", "None")}


class _Texts:
    """Items read again from their source files, each file once (a JSONL file holds many)."""

    def __init__(self):
        self._files: dict[Path, list] = {}

    def text_of(self, record: dict) -> tuple[str | None, str]:
        """The item's text as ``pressx run`` read it, or None and why it cannot be had."""
        source = str(record.get("source") or "")
        path = Path(source)
        if not path.is_file():
            numbered = re.fullmatch(r"(.+):(\d+)", source)  # an item of a JSONL file or a JSON list
            if numbered and Path(numbered.group(1)).is_file():
                path = Path(numbered.group(1))
            else:
                return None, f"text is gone: {source} not found (paths are read from the current folder)"
        if path not in self._files:
            self._files[path] = list(read_file(path))
        items = [i for i in self._files[path] if isinstance(i, NewsItem) and i.id == record["id"]]
        if not items:
            failure = next((f for f in self._files[path] if isinstance(f, IngestFailure)
                            and f.id == record["id"]), None)
            if failure is not None:
                return None, f"text cannot be read: {failure.path}: {failure.kind}: {failure.message}"
            return None, f"text is gone: {path} no longer holds item {record['id']!r}"
        text = items[0].text
        now = item_fingerprint(source, text)
        if now != record.get("content_hash"):
            return None, (f"text changed since the run: {source} now has content hash {now}, "
                          f"records.jsonl has {record.get('content_hash')}; run pressx again and correct the new CSV")
        return text, ""


def _correct_row(number: int, row: dict, unknown: list[str], finder: _Finder, texts: _Texts,
                 set_dir: Path | None) -> Correction | Refusal:
    def refuse(*reasons: str) -> Refusal:
        return Refusal(number, (row.get("id") or "").strip(), (row.get("source") or "").strip(), "; ".join(reasons))

    if None in row:
        return refuse(f"row has {len(row) - 1 + len(row[None])} cells, the header has {len(row) - 1}")
    short = [k for k, v in row.items() if v is None]
    if short:
        return refuse(f"row has no cell for {', '.join(short)} (fewer cells than the header)")
    reasons = [f"unknown column {name!r} holds {row[name].strip()!r}: pressx cannot tell which field it is for"
               for name in unknown if row[name].strip()]
    record, why = finder.find(row)
    if record is None:
        return refuse(why, *reasons)
    item_id = str(record["id"])
    if not _SAFE_ID.fullmatch(item_id) or item_id.startswith("."):
        return refuse(f"id {item_id!r} cannot be a file name in SET/docs", *reasons)
    text, why = texts.text_of(record)
    if text is None:
        reasons.insert(0, why)
    shown = csv_row(record)
    gold: dict[str, Any] = {"id": item_id, "language": record.get("language"), "title": record.get("title")}
    changes = []
    for name in FIELDS:
        if name not in row:  # a column the person deleted: the extracted value stands, unreviewed
            gold[name] = [entity_names(e) for e in record.get(name) or []] if name in ENTITIES else record.get(name)
            continue
        cell, before = row[name].strip(), str(shown[name])
        if name in ENTITIES:
            gold[name], changed = entities_gold(name, cell, record.get(name) or [])
        elif cell == before.strip():
            gold[name], changed = record.get(name), False
        else:
            try:
                gold[name] = parse_scalar(name, cell)
            except ValueError as exc:
                reasons.append(str(exc))
                continue
            changed = gold[name] != record.get(name)
            if not changed:
                gold[name] = record.get(name)
        if changed:  # shown as the gold value reads in a cell: "12.0" typed by pandas is 12
            after = "; ".join(split_entities(cell)) if name in ENTITIES else _cell(gold[name])
            changes.append(Change(item_id, name, before, after))
    changed_fields = {c.field for c in changes}
    if reasons:
        return refuse(*reasons)
    start, end = gold["event_start"], gold["event_end"]
    if {"event_start", "event_end"} & changed_fields and start and end and end < start:
        return refuse(f"event_end {end} is before event_start {start}")
    reviewed = changed_fields | _still_reviewed(set_dir, item_id, text, gold)
    gold["reviewed"] = [name for name in FIELDS if name in reviewed]
    return Correction(item_id, number, text, gold, tuple(changes))


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _still_reviewed(set_dir: Path | None, item_id: str, text: str, gold: dict) -> set[str]:
    """Fields the set's earlier gold for this item lists as reviewed and that keep their value (same text)."""
    if set_dir is None:
        return set()
    try:
        earlier = json.loads((Path(set_dir) / "gold" / f"{item_id}.json").read_text(encoding="utf-8-sig"))
        same_text = (Path(set_dir) / "docs" / f"{item_id}.txt").read_text(encoding="utf-8") == text
    except (OSError, ValueError):
        return set()
    if not same_text or not isinstance(earlier, dict) or not isinstance(earlier.get("reviewed"), list):
        return set()
    return {name for name in earlier["reviewed"] if name in FIELDS and earlier.get(name) == gold.get(name)}


# -- writing the set --------------------------------------------------------------------------

def gold_json(gold: dict[str, Any]) -> str:
    return json.dumps(gold, ensure_ascii=False, indent=2) + "\n"


def write_set(corrections: Corrections, set_dir: Path) -> Corrections:
    """Write SET/docs/<id>.txt, SET/gold/<id>.json and SET/refused.csv; returns what was written.

    Every file is first written whole to a hidden temporary file, then renamed over the
    old one (the text before its gold), so no file is ever half-written; files whose
    content is already right are left alone. An item whose id the set already holds as
    another kind of document (``<id>.html``) is refused: the set would hold it twice.
    Gold from earlier runs for items not in this table stays.
    """
    set_dir = Path(set_dir)
    docs, gold_dir = set_dir / "docs", set_dir / "gold"
    for folder in (docs, gold_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f".*{TMP_SUFFIX}"):  # left by a run killed before its renames
            stale.unlink()
    result = Corrections(replaced=list(corrections.replaced), refused=list(corrections.refused))
    for item_id, item in corrections.items.items():
        others = sorted(p.name for p in docs.glob(f"{_glob_escape(item_id)}.*")
                        if p.stem == item_id and p.suffix != ".txt")
        if others:
            result.refused.append(Refusal(item.row, item_id, "", f"{docs} already holds {others[0]} for this id"))
        else:
            result.items[item_id] = item
    result.refused.sort(key=lambda r: r.row)
    pending: list[tuple[Path, Path]] = []
    for item_id, item in result.items.items():
        pending += _stage(docs / f"{item_id}.txt", item.text)
    for item_id, item in result.items.items():
        pending += _stage(gold_dir / f"{item_id}.json", gold_json(item.gold))
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=REFUSED_COLUMNS)
    writer.writeheader()
    for refusal in result.refused:
        writer.writerow({"row": refusal.row, "id": refusal.id, "source": refusal.source, "reason": refusal.reason})
    pending += _stage(set_dir / "refused.csv", buffer.getvalue())
    for tmp, final in pending:
        _replace(tmp, final)
    for folder in (docs, gold_dir, set_dir):
        _sync_dir(folder)
    return result


def _stage(final: Path, content: str) -> list[tuple[Path, Path]]:
    """Write ``content`` to a hidden temporary file beside ``final``; [] when ``final`` already holds it."""
    data = content.encode("utf-8")
    try:
        if final.read_bytes() == data:
            return []
    except OSError:
        pass
    tmp = final.with_name(f".{final.name}{TMP_SUFFIX}")
    tmp.write_bytes(data)
    return [(tmp, final)]


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
