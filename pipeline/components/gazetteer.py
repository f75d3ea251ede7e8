"""A spaCy component that marks gazetteer places in ``doc.spans["places"]``.

Each span's label is the place kind (country, region, admin1, city) and its
``kb_id_`` the gazetteer key, so extractors can look the place up again.
"""
from __future__ import annotations

import re

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

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = list(find_places(doc, self.places))
        return doc


def find_places(doc: Doc, places: dict):
    """Yield a Span for every gazetteer place, longest match first, left to right."""
    text = doc.text
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        if not token.text[:1].isupper():
            i += 1
            continue
        for j in range(min(n, i + MAX_TOKENS), i, -1):
            last = doc[j - 1]
            if not last.text[:1].isalpha() and last.text not in (")",):
                continue
            surface = text[token.idx:last.idx + len(last.text)]
            rows = lookup(places, surface)
            if rows:
                span = Span(doc, i, j, label=rows[0].kind)
                span.kb_id_ = rows[0].key
                yield span
                i = j
                break
        else:
            i += 1


def lookup(places: dict, surface: str):
    """The gazetteer rows of a surface form; a name in capitals is also tried as a name ("PORT-AU-PRINCE")."""
    rows = places.get(surface)
    if rows is None and surface.isupper() and len(surface) > 3:
        rows = places.get(surface.title()) or places.get(surface.capitalize()) \
            or places.get(PARTICLE.sub(lambda m: m.group().lower(), surface.title()))
    return rows
