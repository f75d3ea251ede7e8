"""Paths in, NewsItems out: finding files, decoding, reading HTML/JSON, and layout.

Layout follows ANNOTATION.md: the title on the first line, an optional
publication-date line, then the body, which may open with a dateline
("SEGOU In Mali, ...", "DUSHANBE, 24 September 2024 -"). Every failure becomes
an :class:`IngestFailure` with a one-line reason; nothing here raises on bad input.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .layout import blank, default_grammar, match_text, read_layout
from .types import NewsItem

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
MAX_CHARS = 200_000  # a news item is far shorter; longer inputs are refused, never truncated
# Files are sized up before they are read. A text file over 4 bytes a character (UTF-8's widest)
# is over MAX_CHARS for sure; pages and feeds carry markup or many items, so they get a byte limit.
MAX_TEXT_BYTES = 4 * MAX_CHARS + len(codecs.BOM_UTF8)
MAX_CONTAINER_BYTES = 256 * 2**20
MIN_ARTICLE_WORDS = 5  # a web page whose article has fewer words has no article
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1250", "mac_roman")  # in order of preference
TEXT_FIELDS = ("text", "body", "content", "article", "full_text")

_BOILERPLATE = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
                "button", "select", "svg", "iframe")


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not become a NewsItem, with a one-line reason."""

    path: str
    kind: str
    message: str
    id: str | None = None


def iter_files(inputs: Iterable[str | os.PathLike], *,
               exclude: Iterable[str | os.PathLike] = ()) -> Iterator[Path | IngestFailure]:
    """Expand files and folders (recursively) into a sorted, de-duplicated file list.

    A file named on its own is always read. In a folder, only files with a known suffix
    are taken; hidden files and folders (".name") are passed over, and so is anything
    under ``exclude`` (say, the output folder inside an input folder). A symbolic link
    back to an enclosing folder is reported as a loop; a second way into a folder
    already read is simply not read twice.
    """
    skip = {Path(p).resolve() for p in exclude}
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir() and (path / "docs").is_dir() and (path / "gold").is_dir():
            path = path / "docs"  # an annotated set (ANNOTATION.md): the items, not their gold files
        if path.is_dir():
            candidates: list[Path] = []
            for entry in _walk(path, skip):
                if isinstance(entry, IngestFailure):
                    yield entry
                else:
                    candidates.append(entry)
            candidates.sort()
        else:
            candidates = [path]
        for file in candidates:
            try:
                key = file.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                reason = "broken symbolic link" if file.is_symlink() else f"cannot resolve path: {exc}"
                yield IngestFailure(str(file), "unreadable", reason, id=file.stem)
                continue
            if key not in seen:
                seen.add(key)
                yield file


def _walk(top: Path, skip: set[Path]) -> Iterator[Path | IngestFailure]:
    """Files with a known suffix under ``top`` (following links), and the folders that could not be read.

    Depth first in name order; a folder reachable by several paths is read by the first.
    """
    visited: set[tuple[int, int]] = set()
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = []
    try:
        st = os.stat(top)
        stack.append((top, ((st.st_dev, st.st_ino),)))
    except OSError as exc:
        yield IngestFailure(str(top), "unreadable", f"cannot read folder: {exc.strerror or exc}")
    while stack:
        folder, ancestors = stack.pop()
        if ancestors[-1] in visited:
            continue
        visited.add(ancestors[-1])
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)  # reversed: the stack pops in name order
        except OSError as exc:
            yield IngestFailure(str(folder), "unreadable", f"cannot read folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                if path.suffix.lower() in SUFFIXES:
                    yield path
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                yield IngestFailure(str(path), "unreadable", f"cannot read folder: {exc.strerror or exc}")
                continue
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield IngestFailure(str(path), "symlink-loop",
                                    "symbolic link back to an enclosing folder (a loop); skipped")
            elif path.resolve() not in skip:
                stack.append((path, (*ancestors, key)))


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, else the best-fitting legacy encoding.

    Among legacy encodings that fit equally well, the earlier in LEGACY_ENCODINGS wins:
    French or English text in Windows-1252 must not come out as Central European.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError("undecodable", "starts with a UTF-16 byte-order mark but is not UTF-16") from None
    if b"\x00" in data:
        raise IngestError("binary", "file contains NUL bytes: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        raise IngestError("undecodable", "not UTF-8 and no legacy encoding fits")
    rank = {name: i for i, name in enumerate(LEGACY_ENCODINGS)}
    best = min(matches, key=lambda m: (round(m.chaos, 2), rank.get(m.encoding, len(rank))))
    return str(best)


class IngestError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def html_to_text(html: str) -> str:
    """Reduce a web page to its article: title, date and paragraphs (trafilatura).

    A page counts as having no article when, with scripts, navigation, headers,
    footers and forms set aside, it has fewer than MIN_ARTICLE_WORDS words (trafilatura
    would otherwise fall back to the menu). The article's own copy of the title is dropped.
    """
    import trafilatura

    if _article_words(html) < MIN_ARTICLE_WORDS:
        raise IngestError("no-article", "HTML page has no article text (only navigation, scripts or boilerplate)")
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True,
    )
    doc = doc.as_dict() if hasattr(doc, "as_dict") else doc
    body = (doc or {}).get("text") or ""
    if len(re.findall(r"\w+", body)) < MIN_ARTICLE_WORDS:
        raise IngestError("no-article", "HTML page has no article text")
    title = (doc.get("title") or "").strip()
    first, _, rest = body.strip().partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold() and rest.strip():
        body = rest
    parts = [title, doc.get("date") or "", body]
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _article_words(html: str) -> int:
    """Words on the page outside scripts, navigation, headers, footers and forms."""
    import lxml.etree
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses a str that declares its encoding
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return 0
    for element in root.xpath(" | ".join(f"//{tag}" for tag in _BOILERPLATE)):
        element.drop_tree()
    body = root.find("body")
    return len(re.findall(r"\w+", (body if body is not None else root).text_content()))


def compose(record: dict) -> str:
    """The text of a JSON item: title, date line and body, laid out like a .txt item."""
    body = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), None)
    if body is None or not body.strip():
        raise IngestError("no-text", f"JSON object has no non-empty text field ({', '.join(TEXT_FIELDS)})")
    head = [str(record[k]).strip() for k in ("title", "date") if record.get(k)]
    return "\n\n".join([*head, body.strip()])


def read_file(path: Path) -> Iterator[NewsItem | IngestFailure]:
    """One file to its items (a JSON list or a JSONL file holds several); never raises.

    This is ingest's per-item boundary: an unexpected error becomes a ``read-error``
    failure that keeps the exception's message.
    """
    path = Path(path)
    try:
        yield from _read(path)
    except Exception as exc:  # noqa: BLE001 - the per-file boundary: report, keep going
        yield IngestFailure(str(path), "read-error", f"{type(exc).__name__}: {exc}", id=path.stem)


def _read(path: Path) -> Iterator[NewsItem | IngestFailure]:
    suffix = path.suffix.lower()
    try:
        info = path.stat()
    except OSError as exc:
        yield IngestFailure(str(path), "unreadable", f"cannot read file: {exc.strerror or exc}", id=path.stem)
        return
    if stat.S_ISDIR(info.st_mode):
        yield IngestFailure(str(path), "unreadable", "is a folder, not a file", id=path.stem)
        return
    if not stat.S_ISREG(info.st_mode):
        yield IngestFailure(str(path), "unreadable", "not a regular file (a device, pipe or socket)", id=path.stem)
        return
    limit = MAX_TEXT_BYTES if suffix not in JSON_SUFFIXES | HTML_SUFFIXES else MAX_CONTAINER_BYTES
    if info.st_size > limit:
        what = f"over {MAX_CHARS} characters" if limit == MAX_TEXT_BYTES else f"the limit is {limit} bytes"
        yield IngestFailure(str(path), "too-large", f"file is {info.st_size} bytes ({what}); not read", id=path.stem)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield IngestFailure(str(path), "unreadable", f"cannot read file: {exc.strerror or exc}", id=path.stem)
        return
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
        # split on newlines only: str.splitlines would also cut at U+2028 and friends, which
        # JSON allows unescaped inside strings
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield IngestFailure(f"{path}:{number}", "bad-json", f"line {number}: invalid JSON ({exc.msg})")
            except RecursionError:
                yield IngestFailure(f"{path}:{number}", "bad-json", f"line {number}: JSON nested too deeply")
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            yield IngestFailure(str(path), "bad-json", f"invalid JSON at line {exc.lineno}: {exc.msg}", id=path.stem)
            return
        except RecursionError:
            yield IngestFailure(str(path), "bad-json", "JSON nested too deeply", id=path.stem)
            return
        loaded = loaded if isinstance(loaded, list) else [loaded]
        if not loaded:
            yield IngestFailure(str(path), "empty", "JSON list holds no items", id=path.stem)
            return
        records = [(n, r) for n, r in enumerate(loaded, 1)]
    for number, record in records:
        where = f"{path}:{number}" if lines or len(records) > 1 else str(path)
        if not isinstance(record, dict):
            yield IngestFailure(where, "bad-json", f"item {number} is not a JSON object")
            continue
        own_id = str(record["id"]).strip() if record.get("id") not in (None, "") else ""
        item_id = own_id or (path.stem if len(records) == 1 else f"{path.stem}-{number}")
        try:
            yield make_item(item_id, where if len(records) > 1 else str(path), compose(record),
                            publication_hint=record.get("date"))
        except IngestError as exc:
            yield IngestFailure(where, exc.kind, exc.message, id=item_id)


def make_item(item_id: str, source: str, text: str, *, publication_hint: str | None = None,
              language: str | None = None) -> NewsItem:
    """Work out the layout of one text (title, date line, dateline, body, furniture) into a NewsItem."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError("empty", "text is empty or only whitespace")
    if len(text) > MAX_CHARS:
        raise IngestError("too-large", f"{len(text)} characters; the limit is {MAX_CHARS} per item")
    matched = match_text(text)
    layout = read_layout(matched, default_grammar())
    return NewsItem(
        id=item_id, source=source, text=text, title=text[slice(*layout.title)].strip() if layout.title else "",
        language=language, content_end=layout.content_end, publication_hint=publication_hint,
        date_line=layout.date_line, dateline=layout.dateline, body_start=layout.body_start,
        content_hash=item_fingerprint(source, text), clean=blank(matched, layout.furniture),
        layout=layout.decisions,
    )


def item_fingerprint(source: str, text: str) -> str:
    """What ``--resume`` compares: the item's text and where it was read from (both go into its record)."""
    return hashlib.sha256(f"{source}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
