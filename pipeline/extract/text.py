"""Small text helpers shared by the extractors: phrase regexes and sentence look-up."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable


def any_phrase(words: Iterable[str]) -> str:
    """An alternation of phrases, longest first, with flexible inner spaces."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@lru_cache(maxsize=256)
def _compiled(words: tuple[str, ...], flags: int) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + any_phrase(words) + r")(?![\w])", flags)


def phrase_pattern(words: Iterable[str], *, case: bool = False) -> re.Pattern:
    """A cached regex matching any of ``words`` as whole words (case-insensitive by default)."""
    return _compiled(tuple(sorted(set(words))), 0 if case else re.I)


class Sentences:
    """Sentence boundaries of a Doc (or of a plain text), found by character offset."""

    def __init__(self, bounds: list[tuple[int, int]]):
        self.bounds = bounds
        self.starts = [s for s, _ in bounds]

    @classmethod
    def from_doc(cls, doc) -> "Sentences":
        bounds = []
        text = doc.text  # Doc.text joins every token: build it once, not once per sentence
        for sent in doc.sents:
            s, e = sent.start_char, sent.end_char
            # a paragraph break always ends a sentence, whatever the model says
            for piece in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text[s:e]):
                bounds.append((s + piece.start(), s + piece.end()))
        return cls(bounds or [(0, len(text))])

    def around(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.bounds[i]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)
