"""A spaCy component that marks gazetteer places in ``doc.spans["places"]``.

Each span's label is the place kind (country, region, admin1, city) and its
``kb_id_`` the gazetteer key, so extractors can look the place up again.
"""
from __future__ import annotations

import re

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

MAX_TOKENS = 7
# small words kept lower-case inside a capitalised place name ("Port-au-Prince", "Stratford-upon-Avon")
PARTICLE = re.compile(r"(?<=[-\s])(?:Au|Aux|De|Du|Des|La|Le|Les|En|Sur|Sous|Lès|Of|The|And|Upon|On|Et)(?=[-\s])")


class PlaceTagger:
    """Longest-match look-up of capitalised token runs in the place gazetteer."""

    def __init__(self, nlp: Language, name: str, *, places: dict, span_key: str = "places"):
        self.nlp = nlp
        self.name = name
        self.places = places
        self.span_key = span_key

    @property
    def places(self) -> dict:
        return self._places

    @places.setter
    def places(self, places: dict) -> None:
        self._places = places
        # the prepared gazetteer keeps its first words; a plain dict (tests) has them worked out
        self._heads = places.first_words() if hasattr(places, "first_words") else first_words(places)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = list(find_places(doc, self._places, heads=self._heads))
        return doc


WORD_RUN = re.compile(r"\w+")


def first_words(places: dict) -> frozenset[str]:
    """The case-folded first word (leading run of word characters) of every gazetteer name."""
    return frozenset(m.group().casefold() for name in places if (m := WORD_RUN.match(name)))


def find_places(doc: Doc, places: dict, *, heads: frozenset[str] | None = None):
    """Yield a Span for every gazetteer place, longest match first, left to right.

    Works on the token offsets as plain integers (one ``to_array`` call): creating a
    Token object per step cost more than the look-ups themselves. With ``heads``
    (``first_words(places)``), a capitalised word that begins no place name is passed
    over after one set look-up; only a span ending inside that word (a token boundary
    with no space or sign, rare) must still be tried.
    """
    text = doc.text
    bounds = doc.to_array([IDX, LENGTH]).tolist()
    starts = [s for s, _ in bounds]
    ends = [s + n for s, n in bounds]
    i, n = 0, len(bounds)
    while i < n:
        start = starts[i]
        if not text[start].isupper():
            i += 1
            continue
        last = min(n, i + MAX_TOKENS)
        if heads is not None:
            word = WORD_RUN.match(text, start)
            word_end = word.end() if word else start
            if word is None or word.group().casefold() not in heads:
                while last > i and ends[last - 1] >= word_end:
                    last -= 1  # these spans all begin with the word, hence begin no place name
        for j in range(last, i, -1):
            close = text[starts[j - 1]]
            if not (close.isalpha() or close == ")" and ends[j - 1] - starts[j - 1] == 1):
                continue  # a place name ends on a word (first character a letter) or a closing bracket
            surface = text[start:ends[j - 1]]
            rows = lookup(places, surface)
            if rows and surface not in places and not in_capitals(text, start, ends[j - 1]):
                rows = None  # "CARE Nepal": an acronym amid ordinary words, not the town "Care"
            if rows:
                span = Span(doc, i, j, label=rows[0].kind)
                span.kb_id_ = rows[0].key
                yield span
                i = j
                break
        else:
            i += 1


def in_capitals(text: str, start: int, end: int) -> bool:
    """Whether a name in capitals stands where names are written so: a date line's place at a line's
    start ("DHANGADHI - ...", "JUBA, 4 May", "SEGOU In Mali, ..."), or beside another word in capitals ("KAMPALA, UGANDA");
    not a title's or a sentence's first word ("CARE launches ...")."""
    line = text.rfind("\n", 0, start) + 1
    if not text[line:start].strip(" \t\"'“‘([") and re.match(r"\s*[,:(–—-]|\s+[A-Z]", text[end:end + 3]):
        return True
    before = re.search(r"(\w+)[ ,]+$", text[max(0, start - 30):start])
    after = re.match(r"[ ,]+(\w+)", text[end:end + 30])
    return any(m is not None and len(m.group(1)) > 1 and m.group(1).isupper() and not m.group(1).isdigit()
               for m in (before, after))


def lookup(places: dict, surface: str):
    """The gazetteer rows of a surface form; a name in capitals is also tried as a name ("PORT-AU-PRINCE")."""
    rows = places.get(surface)
    if rows is None and surface.isupper() and len(surface) > 3:
        rows = places.get(surface.title()) or places.get(surface.capitalize()) \
            or places.get(PARTICLE.sub(lambda m: m.group().lower(), surface.title()))
    return rows
