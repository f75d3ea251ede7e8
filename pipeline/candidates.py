"""Every body an item names, as a candidate organizer and funder, with the features the picker reads.

The rules propose: each rule that gives a body a role (its evidence's rule id) is a feature of
that body for that role, and the rules' own choice is one more. The rest needs no rule: how often
and where the item names the body, its gazetteer kind, whether it opens the title, its place in
the parse (subject, agent, object of a preposition), and whether its sentence speaks of an event
or of money. ``picker`` turns these into a probability per role and keeps the likely ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .extract.actors import OrgMention, body_of, entity_key, fold, merge
from .extract.text import Sentences, phrase_pattern
from .types import Candidate, Entity, Evidence

ROLES = ("organizers", "funders")
# features crossed with the body's kind (cross-validated: organizers +0.003, funders +0.004; crossing the
# rules' ids with context instead cost funders 0.007)
KIND_CONTEXTS = ("near_money", "near_event", "in_title", "most_named", "first_at=lede", "organizers:chosen",
                 "funders:chosen")
MENTION = "mention"  # the rule id of a plain mention: named, no role given


@dataclass(frozen=True)
class BodyCandidate:
    """One body the item names: what it would be in the record, the evidence per role, its features."""

    entity: Entity
    evidence: dict[str, Evidence]  # per role: the span the record shows if the body is picked for it
    features: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {**self.entity.to_dict(), "evidence": {r: e.to_dict() for r, e in self.evidence.items()},
                "features": self.features}


class ContextWords:
    """The lexicon's words that tell what a sentence is about (an event, or money), and the articles
    that open no name."""

    def __init__(self, lexicon: dict):
        fc = lexicon["funder_cues"]
        self.event = phrase_pattern(lexicon["event_nouns"] + lexicon["handover_words"])
        self.money = phrase_pattern(fc["passive"] + fc["active"] + fc["financial_words"] + lexicon["x_funded_words"])
        self.articles = frozenset(lexicon["name_articles"])  # "the", "la", "l'": not part of a model entity's name
        self.bare_heads = frozenset(w.casefold() for w in lexicon["org_heads"])  # "Institute", "Secrétariat"


def _bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


def _where(offset: int, title: tuple[int, int] | None, body_start: int) -> str:
    if title and title[0] <= offset < title[1]:
        return "title"
    if offset < body_start:
        return "head"
    into = offset - body_start
    return "lede" if into < 400 else ("early" if into < 1500 else "late")


def _parse_roles(doc, spans: list[tuple[int, int]]) -> set[str]:
    """Each mention's place in the parse: its root's relation, the preposition that introduces it and
    the relation of a conjunct's head. (The word heading its clause and the word before it were tried
    as features too: cross-validated by publisher they cost organizers 0.005 and funders 0.006.)"""
    out: set[str] = set()
    if doc is None or not doc.has_annotation("DEP"):
        return out
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        out.add("dep=" + root.dep_)
        for prep in [root.head] if root.dep_ == "pobj" else [c for c in root.children if c.dep_ == "case"]:
            out.add("prep=" + prep.lower_)  # "by", "with", "from"; "par", "avec", "de"
            if root.dep_ == "pobj":
                out.add("via=" + prep.dep_)
        if root.dep_ == "conj":
            out.add("conj_of=" + root.head.dep_)
    return out


def body_candidates(text: str, mentions: list[OrgMention], acronyms: dict[str, str], *,
                    proposed: dict[str, list[tuple[OrgMention, Evidence]]], chosen: dict[str, list[Candidate]],
                    sentences: Sentences, words: ContextWords, title: tuple[int, int] | None, body_start: int,
                    end: int, language: str, doc=None) -> list[BodyCandidate]:
    """One candidate per body named before ``end`` or given a role by a rule, in the order first named."""
    role_of: dict[int, str] = {}
    pairs: list[tuple[OrgMention, Evidence]] = []
    known = {(m.start, m.end) for m in mentions}
    for m in [*mentions, *_entities(doc, known, end, words.articles, words.bare_heads)]:
        if m.start < end:
            pairs.append((m, Evidence(text[m.start:m.end], m.start, m.end, MENTION)))
    for role in ROLES:
        for who, evidence in proposed.get(role, []):
            pairs.append((who, evidence))
            role_of[id(evidence)] = role
    bodies = merge(pairs, acronyms)
    chosen_keys = {role: {entity_key(c.value) for c in chosen.get(role, [])} for role in ROLES}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for who, _ in pairs:  # the mentions' own spans, for the parse (a rule's evidence spans its cue too)
        top, acronym = body_of(who, acronyms)
        spans_of.setdefault(fold(acronym) if acronym else fold(top.name), []).append((who.start, who.end))
    chosen_spans = {role: [span for key in keys for span in spans_of.get(key, [])] for role, keys in chosen_keys.items()}
    named = [sum(1 for e in b.evidence if e.rule == MENTION) for b in bodies]
    most = max(named, default=0)
    folded = [fold(b.value.name) for b in bodies]
    out: list[BodyCandidate] = []
    for rank, (body, n) in enumerate(zip(bodies, named)):
        entity = body.value
        key = entity_key(entity)
        first = min(e.start for e in body.evidence)
        feats: dict[str, float] = {"lang=" + language: 1.0, "kind=" + (entity.kind or "org"): 1.0,
                                   "named=" + _bucket(n, 3): 1.0, "first_at=" + _where(first, title, body_start): 1.0,
                                   "order=" + _bucket(rank, 3): 1.0}
        if entity.acronym:
            feats["has_acronym"] = 1.0
        name_words = entity.name.split()
        feats["words=" + _bucket(len(name_words), 6)] = 1.0
        if name_words and not name_words[-1][:1].isupper():
            feats["ends_lower"] = 1.0  # "Direction régionale de la santé", "Health Sciences, which"
        if any(o != folded[rank] and o in folded[rank] for o in folded):
            feats["holds_other"] = 1.0  # "CARE Nepal" holds "CARE"
        if any(o != folded[rank] and folded[rank] in o for o in folded):
            feats["held_by_other"] = 1.0
        if n and n == most:
            feats["most_named" if named.count(most) == 1 else "most_named_tie"] = 1.0
        if title and any(title[0] <= e.start < title[1] for e in body.evidence):
            feats["in_title"] = 1.0
        for s, e in sentences_of(body.evidence, sentences):
            sentence = text[s:e]
            if words.event.search(sentence):
                feats["near_event"] = 1.0
            if words.money.search(sentence):
                feats["near_money"] = 1.0
        for label in sorted(_parse_roles(doc, spans_of.get(key, []))):  # a set: its order would follow the hash seed
            feats[label] = 1.0
        for role in ROLES if key not in chosen_keys[role] else ():
            if _coordinated(doc, spans_of.get(key, []), chosen_spans[role]):
                feats[f"{role}:coordinated_with_chosen"] = 1.0  # "A and B launched ...", the rules chose A
        evidence: dict[str, Evidence] = {}
        for e in body.evidence:
            role = role_of.get(id(e))
            if role:
                feats[f"{role}:{e.rule}"] = 1.0
                feats[f"{role}:proposed"] = 1.0
                evidence.setdefault(role, e)
        for role in ROLES:
            if key in chosen_keys[role]:
                feats[f"{role}:chosen"] = 1.0
                for c in chosen[role]:
                    if entity_key(c.value) == key and c.evidence:
                        evidence[role] = c.evidence[0]  # the rules' own evidence, as the record shows it today
                        feats[f"{role}:{c.evidence[0].rule}"] = 1.0  # the rule that chose it ("most named")
        kind = "kind=" + (entity.kind or "org")
        for x in KIND_CONTEXTS:  # a donor near money words, a UN body in the title: the kind in its context
            if x in feats:
                feats[f"{kind}&{x}"] = 1.0
        mention = next((e for e in body.evidence if e.rule == MENTION), body.evidence[0])
        for role in ROLES:
            evidence.setdefault(role, Evidence(mention.text, mention.start, mention.end, f"picker.{role}"))
        out.append(BodyCandidate(entity, evidence, feats))
    return out


def _coordinated(doc, spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """Whether the parse coordinates one of ``spans`` with a word inside one of ``others`` ("the IOM and
    the DCSD", the second a conjunct of the first, or of a word in its name where the parse attaches it
    there)."""
    if doc is None or not others or not doc.has_annotation("DEP"):
        return False
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span) and span.root.dep_ == "conj":
            head = span.root.head.idx
            if any(a <= head < b for a, b in others):
                return True
    return False


def _entities(doc, known: set[tuple[int, int]], end: int, articles: frozenset[str],
              bare_heads: frozenset[str] = frozenset()) -> list[OrgMention]:
    """The model's organisation entities that no rule bounded the same way ("ActionAid Ghana" where
    the gazetteer knows "ActionAid"): more to choose from, each marked as the model's."""
    if doc is None:
        return []
    out = []
    for e in doc.ents:
        if e.label_ == "ORG" and (e.start_char, e.end_char) not in known and e.end_char <= end:
            span = e[1:] if e[0].lower_ in articles else e
            if len(span) and not (len(span) == 1 and span.text.casefold() in bare_heads):  # "the Institute": no name
                out.append(OrgMention(span.start_char, span.end_char, span.text, None, "entity"))
    return out


def sentences_of(evidence, sentences: Sentences) -> set[tuple[int, int]]:
    return {sentences.around(e.start) for e in evidence}
