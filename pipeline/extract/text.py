"""Small text helpers shared by the extractors: phrase regexes and sentence look-up."""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import Iterable


def fold(text: str) -> str:
    """ANNOTATION.md's normalisation: NFKD without accents, case-folded, non-alphanumerics to
    spaces, whitespace collapsed, one leading article dropped. Entities are merged and scored on it."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(?:the|le|la|les|l) ", "", text)


def any_phrase(words: Iterable[str]) -> str:
    """An alternation of phrases, longest first, with flexible inner spaces."""
    return _any_phrase(tuple(words))


@lru_cache(maxsize=1024)
def _any_phrase(words: tuple[str, ...]) -> str:  # built once per word list, not once per document
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


def clause_opened_by(words: Iterable[str]) -> re.Pattern:
    """One of ``words`` (group 1) and the rest of its clause up to where a search stops: searched
    between a sentence's start and a position, it says the clause reaching that position opened with
    one of them ("would be held in Kisumu", "would train 60 technicians")."""
    return re.compile(r"(?i)\b(" + any_of(words) + r")\b[^,;:()]*$")


def any_of(words: Iterable[str], *, exact_spaces: bool = False, apostrophes: bool = False) -> str:
    """``any_phrase`` as one non-capturing group, to build a larger regex around; a group that
    never matches when there are no words (a language may leave a list empty). With
    ``exact_spaces`` a space in a phrase matches one space only; with ``apostrophes`` a "'" in a
    word matches a straight or a curly apostrophe ("l'" matches "l’")."""
    if exact_spaces:
        alternation = "|".join(re.escape(w) for w in sorted({w for w in words if w}, key=len, reverse=True))
    else:
        alternation = any_phrase(words)
    if apostrophes:
        alternation = alternation.replace("'", "['’]")
    return f"(?:{alternation})" if alternation else "(?!)"


def phrase_tree(words: Iterable[str], *, fold: bool = False, exact_spaces: bool = False) -> str:
    """``any_phrase`` as a prefix tree: the same matches, far fewer steps.

    An alternation of hundreds of phrases makes the regex engine try each one at every
    position; the tree tries one branch per next character. A phrase that is the start of
    a longer one is tried after it (the rest is an optional, greedy group): longest first.
    For an IGNORECASE pattern pass ``fold=True``: phrases then share branches whatever
    their case, as the regex compares them (letters whose case rules are not simple, or
    spaces other than " ", keep the plain alternation). A space matches any run of
    whitespace, or with ``exact_spaces`` one space only.
    """
    return _phrase_tree(tuple(words), fold, exact_spaces)


@lru_cache(maxsize=256)
def _phrase_tree(words: tuple[str, ...], fold: bool, exact_spaces: bool) -> str:
    words = {w for w in words if w}
    if not all(_plain_char(ch, fold) for word in words for ch in word):
        if exact_spaces:
            return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return any_phrase(words)
    space = re.escape(" ") if exact_spaces else r"\s+"
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(space if ch == " " else re.escape(ch.lower() if fold else ch), {})
        node[""] = {}
    return _tree_pattern(tree)


def _plain_char(ch: str, fold: bool) -> bool:
    """Not a space other than " "; with ``fold``, compared by IGNORECASE as ``str.lower`` does
    (ASCII, Latin-1 letters but ß, signs without case)."""
    if ch.isspace():
        return ch == " "
    return not fold or ch.isascii() or ("\u00c0" <= ch <= "\u00fe" and ch != "\u00df") or ch.lower() == ch.upper() == ch


def _tree_pattern(node: dict) -> str:
    branches = [token + _tree_pattern(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=256)
def _compiled(words: tuple[str, ...], flags: int) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + phrase_tree(sorted(set(words)), fold=bool(flags & re.I)) + r")(?![\w])",
                      flags)


def phrase_pattern(words: Iterable[str], *, case: bool = False) -> re.Pattern:
    """A cached regex matching any of ``words`` as whole words (case-insensitive by default).

    Cached on the words as given: extractors call this once per item with the same lexicon
    lists, so a call costs a tuple copy and a look-up, not a sort."""
    return _compiled(tuple(words), 0 if case else re.I)


_WORD_RUN = re.compile(r"\w+")


def key_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """Each phrase's longest run of word characters, case-folded.

    A pattern made of these phrases can only match a text that contains one of these words
    (compared case-folded; see ``mentions_any``): a cheap test that lets an extractor skip
    a whole search. A word containing another is dropped (the shorter one already says it).
    """
    runs = {max(_WORD_RUN.findall(p.casefold()), key=len) for p in phrases if _WORD_RUN.search(p)}
    return tuple(sorted(w for w in runs if not any(o != w and o in w for o in runs)))


def mentions_any(folded_text: str, words: tuple[str, ...]) -> bool:
    """True when the case-folded text contains one of ``words`` (``key_words``); False means
    that no pattern made of those phrases can match it."""
    return any(w in folded_text for w in words)


class Sentences:
    """Sentence boundaries of a Doc (or of a plain text), found by character offset."""

    def __init__(self, bounds: list[tuple[int, int]]):
        self.bounds = bounds
        self.starts = [s for s, _ in bounds]

    @classmethod
    def from_doc(cls, doc, text: str | None = None) -> "Sentences":
        """The Doc's sentences, split again at paragraph breaks. ``text`` is ``doc.text`` when the
        caller has it already (``Doc.text`` joins every token anew on each call)."""
        bounds = []
        text = doc.text if text is None else text
        spans = [[sent.start_char, sent.end_char] for sent in doc.sents]
        merged = spans[:1]
        for s, e in spans[1:]:
            # the parser sometimes ends a sentence at a comma ("L'OIM, en partenariat avec X," | "a organisé ..."):
            # a sentence that ends in a comma or semicolon, or is followed on its line by a lower-case word, goes on
            last = text[merged[-1][0]:merged[-1][1]].rstrip(" \t")
            if last.endswith((",", ";")) or ("\n" not in text[merged[-1][1]:s + 1] and text[s:s + 1].islower()):
                merged[-1][1] = e
            else:
                merged.append([s, e])
        for s, e in merged:
            # a paragraph break always ends a sentence, whatever the model says
            for piece in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text[s:e]):
                bounds.append((s + piece.start(), s + piece.end()))
        return cls(bounds or [(0, len(text))])

    def around(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.bounds[i]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)
