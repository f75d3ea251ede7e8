"""Where an item's parts are: page furniture, title, publication date, dateline, body, trailer.

Nothing here trusts the first line to be the title. Each line of the head is classed on
its own (a menu, a share bar, a label with a date, a byline, a bare date, a short title-like
line, or prose); the title, the line that carries the publication date, the dateline and the
start of the body are then separate decisions, each kept with its span and rule id. Page
furniture (menus, breadcrumbs, share bars, "last updated" lines, footers) is blanked in the
text that is matched, never cut, so every offset still points into the text as read.

The words that mark these parts are data (``models/layout.json``, month names from the
language lexicons); this module holds the logic only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .extract.text import any_phrase

HEAD_LINES = 40  # a page's head (menus, title, date lines) is shorter than this many lines
DATE_LINE_MAX = 90  # characters: a line this short that holds a date is a date line, not prose
DATE_LINE_WORDS = 12
PROSE_WORDS = 8  # a head line of this many words that ends a sentence is the body's first paragraph
PROSE_CHARS = 250  # and so is any line this long (a title is shorter)
TITLE_CHARS = 200
STANDFIRST_REACH = 3  # lines after a head paragraph in which a date line shows it was a standfirst
TITLE_WORDS = 4  # a title candidate shorter than this may be a menu item: a later line can replace it
MENU_PART_WORDS = 4

# how characters are matched; each replacement has the length of what it replaces, so offsets hold
_SAME_LENGTH = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-",  # hyphens that are not U+002D ("ten\u2011day")
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " ", "\u00ad": " ",
})
_SUP = re.compile(r"<sup>(\w{1,4})</sup>", re.I)  # "14<sup>th</sup>" (an ordinal left in a scraped text)


@dataclass(frozen=True)
class Decision:
    """One layout decision: which part a span is, and the rule that said so."""

    part: str  # "furniture", "title", "date_line", "dateline", "body", "trailer"
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Layout:
    title: tuple[int, int] | None
    date_line: tuple[int, int] | None
    dateline: tuple[int, int] | None
    body_start: int
    content_end: int
    furniture: tuple[tuple[int, int], ...]
    decisions: tuple[Decision, ...]


class LayoutGrammar:
    """The layout words compiled once: labels, menus, share bars, footers, trailers, dates."""

    def __init__(self, words: dict, month_names: tuple[str, ...]):
        self.publication = re.compile(rf"(?i)^\W*(?:{any_phrase(words['publication_labels'])})\b\s*(?:on|le|:|-|–)?\s*")
        self.update = re.compile(rf"(?i)^\W*(?:{any_phrase(words['update_labels'])})\b")
        self.byline = re.compile(rf"(?i)^\W*(?:{any_phrase(words['byline_labels'])})\s*[:\s]\s*\S")
        self.menu_words = frozenset(_key(w) for w in words["menu_words"])
        self.breadcrumb_labels = tuple(_key(w) for w in words["breadcrumb_labels"])
        self.share_words = frozenset(w for phrase in words["share_words"] for w in _key(phrase).split())
        self.separators = re.compile("|".join(rf"\s{re.escape(s)}\s" for s in words["list_separators"])
                                     + r"|\s*[|•·›»]\s*")
        self.footer = re.compile(rf"(?i)(?:{any_phrase(words['footer_marks'])})")
        self.trailer = re.compile(rf"(?im)^\W*(?:{any_phrase(words['trailer_heads'])})\b.*$")
        self.meta = re.compile(rf"(?i)^\W*(?:{any_phrase(words['meta_labels'])})\s*:\s*\S")
        months = any_phrase(month_names)
        self.month = re.compile(rf"(?i)(?<![^\W\d_])(?:{months})\.?(?![^\W\d_])")
        self.numeric_date = re.compile(r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?!\d)")
        self.particles = frozenset(w.lower() for w in words["dateline_particles"]) | {m.lower() for m in month_names}

    def has_date(self, line: str) -> bool:
        return bool(self.numeric_date.search(line)) or (
            bool(re.search(r"\d", line)) and bool(self.month.search(line)))


def _key(text: str) -> str:
    """A line or phrase reduced to lower-case words, for look-ups in a word set."""
    return " ".join(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text.casefold()))


@lru_cache(maxsize=1)
def default_grammar() -> LayoutGrammar:
    """The grammar of ``models/layout.json``, compiled once per process."""
    from .resources import load_layout_words

    words, months = load_layout_words()
    return LayoutGrammar(words, months)


def match_text(text: str) -> str:
    """The text as it is matched: typographic quotes and apostrophes plain, odd spaces a space.

    Same length as ``text`` (each replacement is one character for one, an ordinal's
    ``<sup>`` tags become trailing spaces), so every offset into it is an offset into ``text``.
    """
    text = text.translate(_SAME_LENGTH)
    if "<sup" in text or "<SUP" in text:
        text = _SUP.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), text)
    return text


def blank(text: str, spans) -> str:
    """``text`` with each span's characters (but not its line breaks) made spaces."""
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# -- line classes -------------------------------------------------------------------------------

_SENTENCE_END = (".", "!", "?", '."', ".'", ".»", ". »", ")", '"')
MENU, SHARE, UPDATED, FOOTER, META, LABELLED, BYLINE, DATE, SHORT, PROSE = (
    "menu", "share", "updated", "footer", "meta", "labelled", "byline", "date", "short", "prose")
FURNITURE = (MENU, SHARE, UPDATED, FOOTER, META)


DATED = (LABELLED, BYLINE, DATE)


def _head_classes(text: str, lines: list[tuple[int, int]], g: LayoutGrammar) -> list[tuple[str, tuple | None]]:
    """The class of each head line, down to the first paragraph of prose (included)."""
    classes = []
    for index, (s, e) in enumerate(lines[:HEAD_LINES]):
        kind, date_at = classify(text[s:e], g)
        if kind == PROSE and index == 0 and e - s < TITLE_CHARS and len(lines) > 1 \
                and classify(text[slice(*lines[1])], g)[0] in (LABELLED, DATE):
            kind = SHORT  # a title that ends with a full stop: its date line follows
        if kind == PROSE and any(after_kind in DATED and after_date is not None
                                 for after_kind, after_date in (classify(text[slice(*after)], g)
                                                                for after in lines[index + 1:index + 1 + STANDFIRST_REACH])):
            kind = SHORT  # a standfirst under the title: the date line is still to come
        classes.append((kind, date_at))
        if kind == PROSE:
            break
    return classes


def classify(line: str, g: LayoutGrammar) -> tuple[str, tuple[int, int] | None]:
    """A head line's class, and where in it a publication date is written (offsets in the line)."""
    stripped = line.strip()
    words = stripped.split()
    key = _key(stripped)
    if g.update.match(stripped):
        return UPDATED, None
    if g.meta.match(stripped) and len(words) <= 12:
        return META, None  # "Catégorie : Actualités", "Tags: health, training": the site's filing, not a dateline
    label = g.publication.match(line)
    if label and g.has_date(line[label.end():]) and len(stripped) <= DATE_LINE_MAX + 20:
        return LABELLED, (label.end(), len(line.rstrip()))
    if g.byline.match(stripped) and len(stripped) <= 160 and not stripped.endswith("."):
        return BYLINE, ((0, len(line.rstrip())) if g.has_date(line) else None)
    if key and (key in g.menu_words or all(w in g.share_words for w in key.split())):
        return (MENU if key in g.menu_words else SHARE), None
    parts = [p for p in g.separators.split(stripped) if p.strip()]
    sep = _DATELINE_SEP.search(stripped)
    opens_lede = bool(sep) and sep.start() > 1 and len(stripped[sep.end():].split()) >= 3 \
        and stripped[sep.end():sep.end() + 1].isupper()
    if opens_lede and (g.has_date(stripped[:sep.start()]) or stripped.endswith(_SENTENCE_END)) \
            and find_dateline(stripped, 0, g):
        return PROSE, None  # "DHAKA, 3 February 2021 - The workshop opened.": a dateline and its sentence
    if g.has_date(stripped) and len(stripped) <= DATE_LINE_MAX and len(words) <= DATE_LINE_WORDS:
        return DATE, (0, len(line.rstrip()))
    if len(parts) >= 3 and all(len(p.split()) <= MENU_PART_WORDS and not p.rstrip().endswith(".") for p in parts):
        return MENU, None
    if len(parts) >= 2 and (_key(parts[0]) in g.menu_words or any(_key(parts[0]).startswith(label + " ")
                                                                  for label in g.breadcrumb_labels)):
        return MENU, None  # a breadcrumb: "Home > News > 2019", "Vous êtes ici : Accueil » Actualités"
    if g.footer.search(stripped) and len(words) <= 25:
        return FOOTER, None
    if len(stripped) >= PROSE_CHARS or (len(words) >= PROSE_WORDS and stripped.endswith(_SENTENCE_END)):
        return PROSE, None
    return SHORT, None


def read_layout(text: str, g: LayoutGrammar) -> Layout:
    """The parts of one item's text (already passed through :func:`match_text`)."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    decisions: list[Decision] = []
    furniture: list[tuple[int, int]] = []
    title = date_line = None
    head_end = 0  # the index of the line after the last one known to be head
    body_index = None
    skipped = False  # a short line was passed over: the title is settled
    classes = _head_classes(text, lines, g)
    date_at_index = next((i for i, (kind, at) in enumerate(classes) if kind in DATED and at is not None), None)
    if date_at_index is not None:
        # a page that carries its publication date above the body: the head runs down to that line,
        # and the title is the last title-like line above it ("Site name / menu / Title / Posted on ...")
        shorts = [i for i in range(date_at_index) if classes[i][0] == SHORT]
        long_enough = [i for i in shorts if len(text[slice(*lines[i])].split()) >= TITLE_WORDS]
        title_index = (long_enough or shorts or [None])[-1]
        title = lines[title_index] if title_index is not None else None
    for index, (s, e) in enumerate(lines[:len(classes)]):
        kind, date_at = classes[index]
        if kind == PROSE:
            body_index = index
            break
        if kind in FURNITURE:
            furniture.append((s, e))
            decisions.append(Decision("furniture", s, e, f"layout.{kind}"))
            head_end = index + 1
            continue
        if kind in DATED:
            if date_line is None and date_at is not None:
                date_line = (s + date_at[0], s + date_at[1])
                decisions.append(Decision("date_line", *date_line, f"layout.{kind}"))
            head_end = index + 1
            continue
        # a short, title-like line
        if date_at_index is not None and index < date_at_index:
            head_end = index + 1
            continue  # above the date line: the title or a site's name, either way head
        if title is None or (date_line is None and not skipped and len(text[slice(*title)].split()) < TITLE_WORDS
                             and len(text[s:e].split()) >= TITLE_WORDS):
            title = (s, e)  # the first title-like line, or a longer one after what was a menu item
            head_end = index + 1
            continue
        if date_line is None and e - s <= 50 and not text[s:e].rstrip().endswith("."):
            skipped = True
            continue  # perhaps a by-line or source line between the title and its date line
        body_index = index
        break
    if body_index is None:
        body_index = head_end  # no paragraph of prose in the head: the body starts after the last head line
    if title is not None:
        decisions.append(Decision("title", *title, "layout.title"))
    body_start = lines[body_index][0] if body_index < len(lines) else len(text)
    decisions.append(Decision("body", body_start, body_start, "layout.body_start"))
    dateline = find_dateline(text, body_start, g)
    if dateline:
        decisions.append(Decision("dateline", *dateline, "layout.dateline"))
    trailer = g.trailer.search(text, body_start)
    content_end = trailer.start() if trailer else len(text)
    if trailer:
        decisions.append(Decision("trailer", trailer.start(), len(text), "layout.trailer"))
    for s, e in lines[body_index:]:  # share bars and footers after the body
        if s >= content_end:
            break
        kind, _ = classify(text[s:e], g)
        if kind in (SHARE, FOOTER, UPDATED) or (kind == MENU and e - s < 120):
            furniture.append((s, e))
            decisions.append(Decision("furniture", s, e, f"layout.{kind}"))
    return Layout(title, date_line, dateline, body_start, content_end, tuple(furniture), tuple(decisions))


# " - ", ": ", " -Word", "5—Word", and the wire agencies' "(ACP).- " / "(APS) - "
# a wire's tag ends a dateline too: "Ulaanbaatar, June 15, 2023 /MONTSAME/. An international ..."
_DATELINE_SEP = re.compile(r"\s+/[A-Za-z][\w .-]{1,30}/\.?\s+|\s+[-–—]+\s+|:\s|\s[-–—]+(?=[A-Z])|(?<=\d)[–—]+(?=\S)|(?<=\d)—(?=\s)|(?<=[.)])[-–—]+\s+")
_CAPS_DATELINE = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ'.\-]{2,}(?: [A-ZÀ-Þ][A-ZÀ-Þ'.\-]+)*(?=[ ,(])")
_DATELINE_CHARS = re.compile(r"^[\w'.()/,\- ]+$")
_TOWN_STOP = re.compile(r"([A-ZÀ-Þ][a-zà-ÿ'’-]{2,}(?: [A-ZÀ-Þ][a-zà-ÿ'’-]{2,})?)\. (?=[A-ZÀ-Þ][a-zà-ÿ]+ \w)")


def find_dateline(text: str, start: int, g: LayoutGrammar) -> tuple[int, int] | None:
    """The dateline opening the body: "DHAKA, 3 February 2021 -", "Dakar, le 14 mars 2018 -",
    "NAIROBI,Kenya,Mar 5—", "SEGOU In ...", "Moshi - "."""
    head = text[start:start + 120]
    sep = _DATELINE_SEP.search(head)
    if sep and sep.start() > 1:
        prefix = head[:sep.start()]
        words = re.findall(r"[^\W\d_]+", prefix)
        lower = [w for w in words if w[0].islower() and w.lower() not in g.particles]
        if _DATELINE_CHARS.match(prefix) and words and "\n" not in prefix and len(lower) <= 1 and len(words) <= 10:
            rest = head[sep.end():]
            second = _DATELINE_SEP.search(rest)
            if second and 0 < second.start() <= 40 and "\n" not in rest[:second.start()] \
                    and g.has_date(rest[:second.start()]):
                return start, start + sep.end() + second.start()  # "Kingston, Jamaica – Thursday, 12 May 2022 –"
            return start, start + sep.start()
    caps = _CAPS_DATELINE.match(head)
    if caps and not caps.group().isdigit():
        return start, start + caps.end()
    town = _TOWN_STOP.match(head)  # "Mwanza. Women who dry dagaa ...": a town and a full stop open the lede
    if town and town.group(1).lower() not in g.particles:
        return start, start + town.end(1)
    return None
