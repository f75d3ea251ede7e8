"""Organisation names bounded by the parse, where capitalised runs cut them short.

A French body writes its complements in lower case ("ministère de la Pêche et de l'Économie
maritime", "Direction régionale du commerce des Hauts-Bassins", "Région médicale de Kolda"): a
run of capitalised words stops inside the name, or never starts. The parse knows better: the
name is its head noun (a word of the lexicon's ``org_heads``) with the adjectives, the
complements opened by ``name_complement_prepositions`` and their coordinated complements that
hang from it, up to anything else (a parenthesis, a verb, a pronoun, a complement of another
kind; the pipeline tags no parts of speech, so the relations decide). ``widen`` stretches the mentions no gazetteer fixed to that edge and adds the bodies whose
head the runs missed. Without a parse it changes nothing.
"""
from __future__ import annotations

from .actors import OrgMention

# the relations that keep a word inside the name: adjectives, complements and their articles, coordinated
# complements ("et de la Décentralisation"), commas between them, parts of a proper name
NAME_DEPS = ("amod", "nmod", "case", "det", "cc", "conj", "punct", "flat", "flat:name", "fixed", "compound", "prep", "pobj")
TRAILING = ("det", "case", "cc", "punct", "mark")


class NameGrammar:
    """The words a parse-bounded name is built from, for one language."""

    def __init__(self, lexicon: dict, places=None):
        self.places = places if places is not None else {}  # the gazetteer: names -> places
        self.heads = frozenset(w.casefold() for w in lexicon["org_heads"])
        self.complements = frozenset(w.casefold() for w in lexicon["name_complement_prepositions"])


def _right_edge(head, grammar: NameGrammar) -> int:
    """The index of the last token of the name headed by ``head``."""
    inside = {t.i for t in head.subtree}
    last = head.i
    doc = head.doc
    for t in doc[head.i + 1:]:
        if t.i not in inside or t.text in "()[]" or "\n" in t.text:
            break
        joined = t.text == "-" and not doc[t.i - 1].whitespace_ and not t.whitespace_  # "Royaume-Uni"
        if t.dep_ not in NAME_DEPS or (t.is_punct and t.text != "," and not joined):
            break
        if t.dep_ in ("case", "prep") and t.lower_ not in grammar.complements:
            break  # "avec", "pour", "in": a complement of another kind, not the name going on
        if t.dep_ == "conj" and t.text[:1].isupper() and not any(c.dep_ in ("case", "prep") for c in t.children) \
                and any(c.dep_ == "det" for c in t.children):
            break  # "le ministère de la Santé et la Fondation X": a second body, not a complement ("contre le
            # sida, la tuberculose et le paludisme" goes on)
        last = t.i
    while last > head.i and (doc[last].dep_ in TRAILING or doc[last].is_punct):
        last -= 1
    return last


def _head_end(doc, token, grammar: NameGrammar) -> int | None:
    """The index of the last token of an organisation head that starts at ``token``: one word
    ("ministère"), a hyphenated word the tokenizer split ("Croix-Rouge"), or two words ("Région
    médicale"); None where no head starts."""
    if token.lower_ in grammar.heads:
        return token.i
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is None:
        return None
    if nxt.text == "-" and not token.whitespace_ and not nxt.whitespace_ and token.i + 2 < len(doc) \
            and f"{token.lower_}-{doc[token.i + 2].lower_}" in grammar.heads:
        return token.i + 2
    return token.i + 1 if f"{token.lower_} {nxt.lower_}" in grammar.heads and token.whitespace_ else None


def widen(text: str, mentions: list[OrgMention], doc, grammar: NameGrammar) -> list[OrgMention]:
    """``mentions`` with names the parse shows to go on stretched to their end, and the bodies with a
    lower-case head ("le ministère de la Santé") added; in text order. A language whose names are
    capitalised throughout (English) lists no complement preposition: capital runs bound its names."""
    if doc is None or not doc.has_annotation("DEP") or not grammar.complements:
        return mentions
    out = list(mentions)
    for token in doc:
        head_end = _head_end(doc, token, grammar)
        if head_end is None:
            continue
        last = max(max(_right_edge(doc[k], grammar) for k in range(token.i, head_end + 1)), head_end)
        if last == token.i:
            continue
        span = doc[token.i:last + 1]
        s, e = span.start_char, span.end_char
        inside = [m for m in out if m.start < e and s < m.end]
        if any(m.acronym or m.kind not in ("org", "model") for m in inside):
            continue  # a body the gazetteer or an acronym fixed: its bounds stand
        if not inside and token.text[:1].islower():
            first = next((t for t in span[1:] if t.dep_ not in ("amod", "case", "det")), None)
            if first is None or not first.text[:1].isupper() or first.text.isupper():
                continue  # "le fonds de garantie": a common noun; "le ministère de la Pêche": a name
            if first.text in grammar.places:
                continue  # "le bureau régional de Dakar", "en direction de la Libye": a place, no name
        s = min([s] + [m.start for m in inside])
        e = max([e] + [m.end for m in inside])
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (s, e):
            continue  # the rules bounded it so already
        out = [m for m in out if m not in inside] + [OrgMention(s, e, text[s:e], None, "org")]
    return sorted(out, key=lambda m: m.start)
