"""A spaCy component that marks who organized or funded something, from the parse.

Its patterns are data (``models/patterns/<lang>/roles.jsonl``, spaCy's DependencyMatcher
format). Each match becomes a span in ``doc.spans["role_candidates"]``: the phrase headed by
the pattern's ``actor`` node, labelled ORGANIZER or FUNDER, with the pattern's id as
``span.id_`` (the evidence's rule id downstream).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span

ACTOR = "actor"
FIRST = "first"  # in a "_conj" pattern, the actor named first; the actor is reached from it through conjuncts
# the dependents that belong to a name's own phrase ("the United Nations Office ... (UNODC)",
# "l'Organisation internationale pour les migrations"), not to what the sentence says of it
OWN_PHRASE = {"compound", "flat", "flat:name", "appos", "amod", "det", "nmod", "prep", "pobj", "case", "poss"}
# a complement is part of a name when its preposition is one of these ("Ministry of Health", "ministère
# de la Santé"); "in Accra", "à Abidjan" say where the body is, not what it is called
NAME_PREPOSITIONS = {"of", "for", "on", "against", "de", "du", "des", "d'", "d’", "pour", "sur", "contre"}
# a conjunct's preposition must be of the first actor's family: "de la Suède et du Danemark" are two,
# "par le ministère de la Santé et de l'Hygiène" is one name
PREPOSITION_FAMILY = {"du": "de", "des": "de", "d'": "de", "d’": "de"}


class RoleTagger:
    """Runs the role patterns of one language over parsed Docs."""

    def __init__(self, nlp: Language, name: str, *, patterns: list[dict] = (), span_key: str = "role_candidates"):
        self.nlp = nlp
        self.name = name
        self.span_key = span_key
        self.patterns = list(patterns)

    @property
    def patterns(self) -> list[dict]:
        return self._patterns

    @patterns.setter
    def patterns(self, patterns: list[dict]) -> None:
        self._patterns = list(patterns)
        self._matcher = DependencyMatcher(self.nlp.vocab)
        self._actor_at: dict[int, int] = {}
        self._first_at: dict[int, int] = {}
        self._labels: dict[int, str] = {}
        for entry in self._patterns:
            key = self.nlp.vocab.strings.add(entry["id"])
            self._matcher.add(entry["id"], [entry["pattern"]])
            names = [n["RIGHT_ID"] for n in entry["pattern"]]
            self._actor_at[key] = names.index(ACTOR)
            if FIRST in names:
                self._first_at[key] = names.index(FIRST)
            self._labels[key] = entry["label"]

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.span_key] = find_roles(doc, self._matcher, self._actor_at, self._labels, self._first_at)
        return doc


def find_roles(doc: Doc, matcher: DependencyMatcher, actor_at: dict[int, int], labels: dict[int, str],
               first_at: dict[int, int] | None = None) -> list[Span]:
    """One span per (actor phrase, pattern): the actor token with its own phrase around it.

    A conjunct pattern's actor counts only when conjuncts alone lead to it from the first
    actor ("A, B and C held"), not a conjunct inside a name ("the Ministry of Law and Human Rights").
    """
    spans: dict[tuple[int, int, int], Span] = {}
    first_at = first_at or {}
    for key, token_ids in matcher(doc):
        actor = doc[token_ids[actor_at[key]]]
        if key in first_at:
            first = doc[token_ids[first_at[key]]]
            if not conjunct_of(actor, first) or not same_preposition(actor, first):
                continue
        start, end = phrase_bounds(actor)
        span = Span(doc, start, end, label=labels[key], span_id=doc.vocab.strings[key])
        spans.setdefault((start, end, key), span)
    return sorted(spans.values(), key=lambda s: (s.start, s.end, s.id_))


def conjunct_of(token, first) -> bool:
    """Whether ``token`` hangs from ``first`` through conjunct links only."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
        if token.i == first.i:
            return True
    return False


def _preposition(token) -> str | None:
    word = next((c.lower_ for c in token.children if c.dep_ == "case"), None)
    return PREPOSITION_FAMILY.get(word, word)


def same_preposition(actor, first) -> bool:
    """A conjunct that brings its own preposition continues the first actor's only with one of its family."""
    own = _preposition(actor)
    return own is None or own == _preposition(first)


def _in_name(child) -> bool:
    if child.dep_ == "prep":
        return child.lower_ in NAME_PREPOSITIONS
    if child.dep_ == "nmod":
        word = _preposition(child)
        return word is None or word in NAME_PREPOSITIONS
    return child.dep_ in OWN_PHRASE


def phrase_bounds(token) -> tuple[int, int]:
    """Token offsets of the phrase a name's head token heads (its own dependents only, contiguous).

    A conjunct inside a complement belongs to the name ("ministère de la Production et de la
    Transformation agricoles"); a conjunct of the head itself is another actor.
    """
    start = end = token.i
    stack = [token]
    while stack:
        head = stack.pop()
        for child in head.children:
            if _in_name(child) or (child.dep_ == "conj" and head.i != token.i and head.dep_ != "conj"):
                start, end = min(start, child.i), max(end, child.i)
                stack.append(child)
    return start, end + 1
