"""Paths in, NewsItems out: finding files, decoding, reading HTML/JSON, and layout.

Layout follows ANNOTATION.md: the title on the first line, an optional
publication-date line, then the body, which may open with a dateline
("SEGOU In Mali, ...", "DUSHANBE, 24 September 2024 -"). Every failure becomes
an :class:`IngestFailure` with a one-line reason; nothing here raises on bad input.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .types import NewsItem

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
MAX_CHARS = 200_000  # a news item is far shorter; longer inputs are refused, never truncated
TEXT_FIELDS = ("text", "body", "content", "article", "full_text")

DATE_LINE_MAX = 90
_DIGIT = re.compile(r"\d")
_CAPS_DATELINE = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]{2,}(?: [A-ZÀ-Þ][A-ZÀ-Þ'’.\-]+)*(?=[ ,(])")
_DATELINE_SEP = re.compile(r"\s+[-–—]+\s+|:\s|\s[-–—]+(?=[A-Z])")
_TRAILER = re.compile(
    r"(?im)^(?:more news|related (?:stories|news|articles|content|links)|read more|see also|"
    r"other news|autres actualités|à lire aussi|lire aussi|articles connexes)\b.*$"
)
_DATELINE_WORD = re.compile(r"^[\w'’.()/,\- ]+$")


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not become a NewsItem, with a one-line reason."""

    path: str
    kind: str
    message: str
    id: str | None = None


def iter_files(inputs: Iterable[str | os.PathLike]) -> Iterator[Path | IngestFailure]:
    """Expand files and folders (recursively) into a sorted, de-duplicated file list."""
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            visited: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(path, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in visited:
                    dirs[:] = []
                    yield IngestFailure(root, "symlink-loop", "folder already visited (symbolic link loop); skipped")
                    continue
                visited.add((st.st_dev, st.st_ino))
                dirs.sort()
                found.extend(Path(root) / f for f in files if Path(f).suffix.lower() in SUFFIXES)
            candidates = sorted(found)
        else:
            candidates = [path]
        for file in candidates:
            try:
                key = file.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                yield IngestFailure(str(file), "unreadable", f"cannot resolve path: {exc}")
                continue
            if key not in seen:
                seen.add(key)
                yield file


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else the detected legacy encoding."""
    if b"\x00" in data[:4096]:
        raise IngestError("binary", "file contains NUL bytes: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1250", "mac_roman"]).best()
    if best is None:
        raise IngestError("undecodable", "not UTF-8 and no legacy encoding fits")
    return str(best)


class IngestError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def html_to_text(html: str) -> str:
    """Reduce a web page to its article: title, date and paragraphs (trafilatura)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True,
        favor_precision=True, as_dict=True,
    )
    if not doc or not (doc.get("text") or "").strip():
        raise IngestError("no-article", "HTML page has no article text")
    parts = [doc.get("title") or "", doc.get("date") or "", doc["text"]]
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def compose(record: dict) -> str:
    """The text of a JSON item: title, date line and body, laid out like a .txt item."""
    body = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), None)
    if body is None or not body.strip():
        raise IngestError("no-text", f"JSON object has no non-empty text field ({', '.join(TEXT_FIELDS)})")
    head = [str(record[k]).strip() for k in ("title", "date") if record.get(k)]
    return "\n\n".join([*head, body.strip()])


def read_file(path: Path) -> Iterator[NewsItem | IngestFailure]:
    """One file to its items (a JSON list or a JSONL file holds several)."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        yield IngestFailure(str(path), "unreadable", "is a directory")
        return
    except OSError as exc:
        yield IngestFailure(str(path), "unreadable", f"cannot read file: {exc.strerror or exc}")
        return
    suffix = path.suffix.lower()
    try:
        text = decode(data)
        if not text.strip():
            raise IngestError("empty", "file is empty or only whitespace")
        if suffix in JSON_SUFFIXES:
            yield from _json_items(path, text, lines=suffix != ".json")
            return
        if suffix in HTML_SUFFIXES:
            text = html_to_text(text)
        yield make_item(path.stem, str(path), text)
    except IngestError as exc:
        yield IngestFailure(str(path), exc.kind, exc.message, id=path.stem)


def _json_items(path: Path, text: str, *, lines: bool) -> Iterator[NewsItem | IngestFailure]:
    if lines:
        records = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield IngestFailure(f"{path}:{number}", "bad-json", f"line {number}: invalid JSON ({exc.msg})")
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            yield IngestFailure(str(path), "bad-json", f"invalid JSON at line {exc.lineno}: {exc.msg}")
            return
        loaded = loaded if isinstance(loaded, list) else [loaded]
        records = [(n, r) for n, r in enumerate(loaded, 1)]
    for number, record in records:
        where = f"{path}:{number}"
        if not isinstance(record, dict):
            yield IngestFailure(where, "bad-json", f"item {number} is not a JSON object")
            continue
        item_id = str(record.get("id") or (path.stem if len(records) == 1 else f"{path.stem}-{number}"))
        try:
            yield make_item(item_id, where if len(records) > 1 else str(path), compose(record),
                            publication_hint=record.get("date"))
        except IngestError as exc:
            yield IngestFailure(where, exc.kind, exc.message, id=item_id)


def make_item(item_id: str, source: str, text: str, *, publication_hint: str | None = None,
              language: str | None = None) -> NewsItem:
    """Work out the layout of one text (title, date line, dateline) into a NewsItem."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError("empty", "text is empty or only whitespace")
    if len(text) > MAX_CHARS:
        raise IngestError("too-large", f"{len(text)} characters; the limit is {MAX_CHARS} per item")
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    title_span = lines[0]
    title = text[slice(*title_span)].strip()
    date_line = None
    body_index = 1
    for index in (1, 2):
        if index >= len(lines):
            break
        s, e = lines[index]
        line = text[s:e].strip()
        if len(line) <= DATE_LINE_MAX and _DIGIT.search(line) and not line.endswith("."):
            date_line = (s, e)
            body_index = index + 1
            break
        if index == 1 and len(line) <= 50 and not line.endswith("."):
            continue  # a by-line or source line may sit between the title and the date line
        break
    while body_index < len(lines) - 1 and _is_header(text[slice(*lines[body_index])]):
        body_index += 1  # by-lines and source lines ("By: IOM Bangladesh", "Report from ...")
    body_start = lines[body_index][0] if body_index < len(lines) else len(text)
    trailer = _TRAILER.search(text, body_start)
    return NewsItem(
        id=item_id, source=source, text=text, title=title, language=language,
        content_end=trailer.start() if trailer else len(text),
        publication_hint=publication_hint, date_line=date_line,
        dateline=find_dateline(text, body_start), body_start=body_start,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def _is_header(line: str) -> bool:
    line = line.strip()
    return len(line) < 60 and not line.endswith((".", ":")) and (
        bool(re.match(r"(?i)(by|source|report from|published|posted|author|photo)\b", line))
    )


def find_dateline(text: str, start: int) -> tuple[int, int] | None:
    """The dateline opening the body: "DHAKA, 3 February 2021 -", "SEGOU In ...", "Moshi - "."""
    head = text[start:start + 120]
    sep = _DATELINE_SEP.search(head)
    if sep and sep.start() > 1:
        prefix = head[:sep.start()]
        words = re.findall(r"[A-Za-zÀ-ÿ]+", prefix)
        if _DATELINE_WORD.match(prefix) and words and "\n" not in prefix \
                and sum(w[0].islower() for w in words) <= 1 and len(words) <= 10:
            return start, start + sep.start()
    caps = _CAPS_DATELINE.match(head)
    if caps and not caps.group().isdigit():
        return start, start + caps.end()
    return None
