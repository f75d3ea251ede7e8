"""Numbers written in digits or words ("Twenty-five (25)", "one hundred and twenty", "99,000")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import phrase_tree


@dataclass(frozen=True)
class NumberMention:
    value: int
    start: int
    end: int
    approximate_word: bool = False


class NumberGrammar:
    """Finds number mentions using the lexicon's number words for one language."""

    def __init__(self, lexicon: dict):
        self.words = {k.lower(): v for k, v in lexicon["number_words"].items() if v is not None}
        self.scales = {k.lower(): v for k, v in lexicon["number_scales"].items()}
        self.approx = {k.lower(): v for k, v in lexicon.get("approximate_numbers", {}).items() if v}
        word = phrase_tree([*self.words, *self.scales], fold=True)
        joiner = r"(?:\s+and\s+|\s+et\s+|[\s-])"
        self.word_run = re.compile(rf"\b(?:{word})(?:{joiner}(?:{word}))*\b(?:\s*\((?P<paren>\d[\d,. ]*)\))?", re.I)
        self.digits = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:[, ]\d{3}){1,3}|\d{1,9})(?![\w/]|[.,]?\d)")
        self.approx_pattern = re.compile(r"\b(?:" + phrase_tree(self.approx, fold=True) + r")\b", re.I) if self.approx else None

    def value_of_words(self, phrase: str) -> int | None:
        total, current = 0, 0
        for part in re.split(r"[\s-]+", phrase.lower()):
            if part in ("and", "et", "a", "une", "un") and current == 0 and total == 0 and part in ("a",):
                current = 1
                continue
            if part in ("and", "et"):
                continue
            if part in self.words:
                current += self.words[part]
            elif part in self.scales:
                current = max(current, 1) * self.scales[part]
                if self.scales[part] >= 1000:
                    total, current = total + current, 0
            else:
                return None
        value = total + current
        return value or None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
        end = len(text) if end is None else end
        found: list[NumberMention] = []
        taken: list[tuple[int, int]] = []
        approx_matches = list(self.approx_pattern.finditer(text, start, end)) if self.approx_pattern else []
        approx = [m.span() for m in approx_matches]
        for m in self.word_run.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in approx):
                continue  # "une vingtaine": the approximate phrase, not its "une"
            value = self.value_of_words(m.group(0).split("(")[0].strip())
            if m.group("paren"):
                digits = re.sub(r"\D", "", m.group("paren"))
                value = int(digits) if digits else value
            if value:
                found.append(NumberMention(value, m.start(), m.end()))
                taken.append(m.span())
        for m in self.digits.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            found.append(NumberMention(int(re.sub(r"\D", "", m.group(1))), m.start(), m.end()))
        for m in approx_matches:
            if not any(a <= m.start() < b for a, b in taken):
                found.append(NumberMention(self.approx[m.group(0).lower()], m.start(), m.end(), True))
        return sorted(found, key=lambda n: n.start)
