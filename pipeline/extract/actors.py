"""Organizers and funders: organisation mentions, acronym pairing, and cue-phrase scopes.

1. ``org_mentions`` finds organisations: "Long Form (ACR)" definitions, known
   bodies from the gazetteer, capitalised runs with an organisation head word
   ("Ministry of Justice"), and governments ("Government of Japan" -> Japan).
2. ``actors`` reads the cue phrases of the lexicon ("organized by", "in
   collaboration with", "funded by", "EU-funded", "thanks to ... of") and takes
   the mentions in each cue's scope as organizers or funders; the parse's roles
   (``components/roles.py``) add the subjects and agents of holding, organising
   and funding verbs, in the body and in the title ("Internews trains ..."), with
   a name no gazetteer knows taken from the parse when the text writes it as one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..resources import Resources
from ..types import Candidate, Entity, Evidence
from .text import Sentences, any_of, any_phrase, fold, key_words, mentions_any, phrase_pattern, phrase_tree

# "(UNODC)", "(ZNNP+)", "(Africa CDC)": an acronym, maybe after one capitalised word
ACRONYM = re.compile(r"\((?P<acr>(?:[A-Z][a-z]+ )?[A-Z][A-Za-z&./-]{0,14}[A-Z](?:[A-Za-z&./+-]{0,8}))\)")
# an acronym written in title case, as some newsrooms do ("le Programme des Nations unies pour le développement
# (Pnud)"): a long form only where the words before it spell it
TITLE_ACRONYM = re.compile(r"\((?P<acr>[A-Z][a-z]{2,7})\)")


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    acronym: str | None = None
    kind: str = "org"  # org | country | donor | un | regional | intl
    parent: "OrgMention | None" = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return fold(self.acronym) if self.acronym else fold(self.name)

    def entity(self) -> Entity:
        return Entity(name=self.name, acronym=self.acronym, kind=self.kind)


class ActorGrammar:
    """Compiled patterns for one language and the shared organisation gazetteer."""

    def __init__(self, lexicon: dict, resources: Resources):
        self.resources = resources
        word = lambda key: any_of(lexicon[key], exact_spaces=True, apostrophes=True)  # noqa: E731
        heads = lexicon["org_heads"]
        self.heads = phrase_pattern(heads)
        self.person_titles = tuple(lexicon["person_titles"])
        self.event_words = frozenset(w.casefold() for w in lexicon["event_nouns"])  # "Training of Trainers (ToT)"
        self.person_title_words = {w.rstrip(".") for w in lexicon["person_titles"]}
        determiners = lexicon["channel_determiners"]
        self.channel = re.compile(r"\s*,?\s*(?:" + any_phrase(lexicon["channel_words"]) + ")" + r"\s+(?:"
                                  + any_of([w for w in determiners if not w.endswith("'")]) + r"\s+|"
                                  + any_of([w for w in determiners if w.endswith("'")], apostrophes=True) + ")?", re.I)
        self.fund_words = phrase_pattern(lexicon["fund_words"])
        self.not_names = set(lexicon["person_titles"]) | set(lexicon["not_places"])
        known = sorted({o.acronym for o in resources.organizations.values()}
                       | {o.name for o in resources.organizations.values()}
                       | {a for o in resources.organizations.values() for a in o.aliases})
        self.known = re.compile(r"(?<![\w-])(?:" + phrase_tree(known, exact_spaces=True) + r")(?![\w-])")
        demonyms = resources.demonyms
        the = r"(?:" + word("government_articles") + r"\s+)?"
        self.demonym_gov = re.compile(
            r"\b" + the + r"(?P<dem>" + phrase_tree(demonyms) + r")\s+" + word("demonym_government_nouns") + r"\b")
        # French order, noun then adjective: "le Gouvernement malien", "les autorités burkinabè"
        self.gov_demonym = re.compile(
            r"\b" + word("government_demonym_nouns") + r"\s+(?P<dem>" + phrase_tree(demonyms) + r")(?![\w-])")
        self.gov_of = re.compile(
            r"\b" + the + word("government_of_nouns") + r"\s+" + word("government_prepositions") + r"\s+(?:"
            + word("place_articles") + r"\s+)?(?P<place>[A-ZÀ-ÖØ-Þ][\w'’ -]+?)(?=[,.;:)(\n]|\s+"
            + word("country_end_words") + r"\b|$)")
        self.embassy = re.compile(the + "(" + word("embassy_nouns") + r"\b.*)")  # match on a gov_of match
        self.x_gov = re.compile(r"\b" + the + r"(?P<place>U\.?S\.?|UK|U\.K\.|EU|[A-Z][a-z]+)\s+"
                                + word("name_government_nouns") + r"\b")
        # every government pattern above names a government, an embassy or the authorities
        self.government_words = key_words(lexicon["government_of_nouns"] + lexicon["demonym_government_nouns"]
                                          + lexicon["government_demonym_nouns"] + lexicon["name_government_nouns"])
        self.place_article = re.compile(r"^" + word("place_articles") + r"\s+")
        self.suffix_funded = re.compile(
            r"(?P<who>\b[A-Z][\w.&/]*(?:\s+[A-Z][\w.&/]*)?)\s?-?\s?" + word("x_funded_words") + r"\b")
        # the cue phrases of organizers and funders (``actors`` reads the mentions in their scope)
        oc, fc = lexicon["organizer_cues"], lexicon["funder_cues"]
        self.passive_org = re.compile(r"(?<![\w-])(?:" + phrase_tree(oc["passive"], fold=True) + r")\s+", re.I)
        split_by = [c.rsplit(" ", 1)[0] for c in oc["passive"]
                    if c.endswith(tuple(" " + w for w in lexicon["agent_prepositions"]))]
        self.passive_far = re.compile(r"(?<![\w-])(?:" + phrase_tree(split_by) + r")\b(?:(?!\b" + word("not_organizing_verbs")
                                      + r"\b)[^.;:,]){1,110}?\s" + word("agent_prepositions") + r"\s+")
        self.partner = re.compile(r"(?<![\w-])(?:" + phrase_tree(oc["partner"], fold=True) + r")\s+", re.I)
        self.active = re.compile(r"(?<![\w-])(?:" + phrase_tree(oc["active"], fold=True) + r")(?![\w-])", re.I)
        self.passive_fund = re.compile(r"(?<![\w-])(?:" + phrase_tree(fc["passive"], fold=True) + r")\s+", re.I)
        self.active_fund = re.compile(r"(?<![\w-])(?:" + phrase_tree(fc["active"], fold=True) + r")(?![\w-])", re.I)
        # "ACIAR, which funds a regional project", "Sida, which has financed ...": a relative clause of funding
        self.which_funds = re.compile(r"\s*(?:\([^()]{1,20}\))?(?:\s+" + word("name_of_words") + r"\s+[A-Z][\w'’-]+)?\s*,\s*"
                                      + any_of(lexicon["relative_pronouns"]) + r"\s+(?:[a-zé]+\s+){0,2}?(?P<verb>"
                                      + phrase_tree(fc["active"] + fc["relative_verbs"], fold=True) + r")\b", re.I)
        self.thanks = re.compile(r"(?i)\b" + word("thanks_cues") + r"\b"
                                 r"(?P<who>.{0,160}?)\b(?:" + phrase_tree(fc["gratitude"], fold=True) + r")")
        self.funded_words = key_words(lexicon["x_funded_words"])  # suffix_funded
        self.active_fund_words = key_words(fc["active"])
        self.thanks_words = key_words(lexicon["thanks_cues"])
        # "a UNODC training", "an IOM workshop": the organisation owns the event
        self.owner = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(re.escape(w) for w in lexicon["event_nouns"])
                                + r")\b", re.I)
        # the scope of a cue: the names listed after it, up to a boundary ("funded by the EU, which ...")
        and_ = word("and_words")
        self.boundary = re.compile(
            r"[.;:!?\n]|\s[-–—]\s|,\s*(?:" + word("scope_comma_breaks") + "|" + word("scope_comma_prepositions")
            + r"\s|" + and_ + r"\s+" + word("scope_possessives") + r"\b)|\s" + word("scope_breaks") + r"\b|"
            r"\s" + word("scope_prepositions") + r"\s+(?=[a-z\d])|\s" + word("with_words") + r"\s+(?=[a-z\d])(?!"
            + word("with_articles") + r"\s+[A-Z])|"
            r"\s" + and_ + r"\s+(?:" + word("scope_and_breaks") + "|" + word("second_name_articles") + r")\b")
        # what opens a complement listed after a comma inside a name (", de la Planification")
        self.list_openers = frozenset(w.lower() for w in lexicon["run_prepositions"] + lexicon["run_elisions"]
                                      + lexicon["run_and_articles"])
        # a full stop that ends a name (a sentence's), not an abbreviation's inside it ("St. Kitts")
        self.name_stop = re.compile(r"(?<=[a-z\d])(?<!\b" + r")(?<!\b".join(re.escape(w) for w in lexicon["name_abbreviations"])
                                    + r")\.(?:\s|$)")
        # complements listed after commas, each opened by a preposition and an article, the last after "and":
        # "ministère de l'Économie océanique, des Ressources marines, de la Pêche et de la Navigation"
        opener = r"(?:" + word("run_prepositions") + r"[ \t]+" + word("run_articles") + r"[ \t]+|" \
            + word("run_prepositions") + r"[ \t]+" + word("run_elisions") + r"|" + word("run_and_articles") + r"[ \t]+|" \
            + word("run_elisions") + r")"
        complement = opener + r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[a-zà-ÿ][\w'’-]{3,})?(?:[ \t]+" + opener + r"[a-zà-ÿ][\w'’-]{3,})?"
        self.comma_complements = re.compile(r"(?:,[ \t]*" + complement + r")+,?[ \t]+" + and_ + r"[ \t]+" + complement)
        self.and_join = re.compile(r"\s(?:" + and_ + r"|&)\s")  # where a run of two bodies may part
        self.and_end = re.compile(r"\s+(?:" + and_ + r"|&)$")
        self.second_name = re.compile(r"\s" + and_ + r"\s+" + word("second_name_articles"))  # fullmatch on a boundary
        self.event_pronoun = re.compile(r"\s*" + word("event_pronouns") + r"\s+" + word("event_pronoun_verbs") + r"\b")
        self.donor_apposition = re.compile(
            r"^\s*,\s*" + word("donor_determiners") + r"\s+(?:[\w-]+['’]s\s+)?(?:" + word("donor_adjectives")
            + r"\s+)?" + word("donor_nouns") + r"\b", re.I)
        self.and_by = re.compile(r",?\s+(?:" + and_ + r"\s+(?:" + word("also_words") + r"\s+)?"
                                 + word("agent_prepositions") + "|" + word("second_agent_links")
                                 + r")\s+")  # a passive cue's second agent: "and by Y", "and from Y"
        self.of_parent = re.compile(r"^\s*" + word("parent_prepositions") + r"\s*$", re.I)
        # what may stand between two names of one list: "the EU and the Government of Japan", "the Kingdom
        # of the Netherlands", "une contribution de 644 943 dollars américains du Bureau INL"
        # (currency codes and symbols, "U.S.", "US" and "UK" are no words of a language)
        def whole(key: str) -> str:  # a word ending in an apostrophe ("l'") has no word boundary after it
            words = lexicon[key]
            return r"\b" + word_list([w for w in words if not w.endswith("'")]) + r"\b|\b" \
                + word_list([w for w in words if w.endswith("'")])
        word_list = lambda words: any_of(words, exact_spaces=True, apostrophes=True)  # noqa: E731
        scale_links = "|".join([re.escape(w).replace("'", "['’]") if w.endswith("'") else re.escape(w) + r"\s+"
                                for w in lexicon["money_scale_links"]] or ["(?!)"])
        self.gap_ok = re.compile(
            r"^(?:\s|,|" + whole("gap_words") + r"|&|U\.S\.|\bUS\b|\bUK\b|"
            r"\b(?:[\w-]+\s+)?" + word("gap_fund_nouns") + r"\s+" + word("gap_fund_prepositions") + r"\b|"
            r"\b" + word("gap_unit_nouns") + r"\b|"
            r"\b" + word("gap_state_nouns") + r"\s+" + word("gap_state_prepositions") + r"\b|"
            r"(?:(?:USD|US\$|EUR|GBP|CHF|\$|€|£)\s*\d[\d\s.,]*|\d[\d\s.,]*\s*(?:" + word("money_scales")
            + r"\s+(?:" + scale_links + r")?)?(?:" + word("currency_words") + r"|USD|EUR|FCFA|CFA|US\$|\$|€))(?:\s+(?:"
            + word("currency_qualifiers") + r"|US|CFA))?\s+" + word("money_prepositions") + r"\b"
            r")*$", re.I)
        self.gap_lead = re.compile(r"(?:\s|,|" + whole("gap_words") + r")*", re.I)  # what opens a listed name
        self.name_of = re.compile(r"\s" + word("name_of_words") + r"\s+$")  # "the IDRC of Canada"
        self.support_cue = re.compile(word("support_cue_words"), re.I)
        self.handover_cue = re.compile(word("handover_cue_stems"), re.I)
        self.passive_before = re.compile(r"\b" + word("passive_auxiliaries") + r"\s*$", re.I)
        self.fund_passive = ("-", *lexicon["fund_passive_auxiliaries"])  # the end of the text before a funding verb
        self.agent_after = re.compile(r"\s+" + word("agent_prepositions") + r"\b")
        self.not_subject = re.compile(r"\b" + word("subject_blocking_prepositions") + r"\s+(?:"
                                      + word("subject_articles") + r"\s+)?$")
        self.possessive_before = re.compile(r"\b" + word("scope_possessives") + r"\s+$")
        self.owner_before = re.compile(r"(?i)\b" + word("owner_determiners") + r"\s+$")
        self.name_goes_on = re.compile(r"\s+(?:" + word("and_words") + "|&|" + word("proper_name_links") + r")\s+[A-Z]")
        self.unit_link = re.compile(r"\s*,?\s*" + word("unit_links") + r"?\s*" + word("unit_possessives") + r"\s+", re.I)
        self.connectors = frozenset(lexicon["name_connectors"]) | {"&"}
        # a capitalised run: capitalised words joined by connectors; a French complement may open with a preposition,
        # an article or "et" ("Ministère de la Sécurité et de la Protection civile", "Ministère de l'Administration du
        # Territoire"), but "et le/la/les" starts another name ("le Ministère A et le Ministère B")
        cap = r"[A-ZÀ-ÖØ-Þ][\w'’&.-]*"
        prep = r"(?:" + word("and_words") + r"[ \t]+)?" + word("run_prepositions")
        joins = word("run_connectors")
        # a connector joins a name's words, not a name and a date ("the Ministry of Health on Tuesday")
        dates = any_of([w[:1].upper() + w[1:] for w in [*lexicon["weekdays"], *lexicon["months"]] if len(w) > 3],
                       exact_spaces=True)
        self.capital_run = re.compile(
            rf"(?<!\w)(?:{cap}|(?<=[ \t]){joins}(?=[ \t]+(?!{dates}\b)[A-Z]))"
            rf"(?:[ \t]+(?:{cap}|&(?=[ \t]+[A-Z])|{joins}(?=[ \t]+(?!{dates}\b)[A-Z])"
            rf"|{prep}[ \t]+{word('run_articles')}(?=[ \t]+[A-ZÀ-ÖØ-Þ])|{word('and_words')}[ \t]+{word('run_and_articles')}"
            rf"(?=[ \t]+[A-ZÀ-ÖØ-Þ])|(?:{prep}[ \t]+)?{word('run_elisions')}{cap}))*")
        articles = [v for w in lexicon["name_articles"] for v in (w, w[:1].upper() + w[1:])]
        spaced = [w for w in articles if not w.endswith("'")]
        elided = [w for w in articles if w.endswith("'")]
        self.long_form_article = re.compile(r"^(?:" + any_of(spaced, exact_spaces=True) + r"\s+|"
                                            + any_of(elided, apostrophes=True) + r"\s*)")
        self.run_lead = re.compile(r"(?:" + any_of(spaced + lexicon["name_lead_words"], exact_spaces=True) + r"\s+|"
                                   + any_of(elided, apostrophes=True) + ")+")
        self.x_funded_lead = re.compile(r"^(?:[A-Z][\w.]*-" + word("x_funded_words") + r"\s+)")
        self.second_body = re.compile(r"\s(?:" + word("and_words") + r"|&)\s+(?:" + word("second_body_articles") + r"\s+)?$")
        caps = r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}"
        self.listed = re.compile(rf"(?:,[ \t]+{caps})+,?[ \t]+(?:{word('and_words')}|&)[ \t]+{caps}")
        self.list_split = re.compile(r",|\b" + word("and_words") + r"\b|&")
        self.ends_in_complement = re.compile(r"\s" + word("complement_prepositions") + r"\s+(?:"
                                             + word("complement_articles") + r"\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*$")
        self.place_small_word = re.compile(r"(?<=\s)(" + any_of([w.title() for w in lexicon["place_small_words"]],
                                                                   exact_spaces=True) + r")(?=\s)")
        # the words of a name, one by one; an elided article stands apart ("l'Organisation")
        elisions = [v for w in lexicon["run_elisions"] for v in (w, w[:1].upper() + w[1:])]
        self.word = re.compile(r"(?:" + any_of(elisions, apostrophes=True) + r")(?=\w)|[A-Za-zÀ-ÖØ-öø-ÿ][\w'’.&/-]*|\S")
        self.fund_subject_fillers = tuple(lexicon["fund_subject_fillers"])
        self.lexicon = lexicon


def _without(text: str, fillers: tuple[str, ...]) -> str:
    """``text`` with each filler taken out wherever it occurs, in the lexicon's order."""
    for filler in fillers:
        text = text.replace(filler, "")
    return text


def _ends_sentence(word: str) -> bool:
    """A word with a full stop that ends a sentence ("Suva."), not an abbreviation ("U.S.", "St.")."""
    return word.endswith(".") and len(word) > 3 and "." not in word[:-1]


def _run_before(text: str, end: int, grammar: "ActorGrammar", limit: int = 12) -> tuple[int, list[str]]:
    """Words of the capitalised run that ends at ``end`` (scanning backwards), and where the run starts."""
    connectors = grammar.connectors
    words = [(m.start(), m.group()) for m in grammar.word.finditer(text, max(0, end - 200), end)]
    taken: list[tuple[int, str]] = []
    for s, w in reversed(words):
        if len(taken) >= limit or (taken and _ends_sentence(w)):
            break
        if w[:1].isupper() or (w.lower().strip("'’") in connectors and taken) or w in ("&", "-", ":"):
            taken.insert(0, (s, w))
            continue
        break
    while taken and (taken[0][1].lower().strip("'’") in connectors or taken[0][1] in ("&", "-", ":")):
        taken.pop(0)  # a run opens on a name's word, never on "of", "the" or a dash
    return (taken[0][0] if taken else end), [w for _, w in taken]


LONG_FORM_SKIPS = 5  # words of a long form its acronym may leave out ("Cooperazione Italiana allo Sviluppo (AICS)")


def _spells(words: list[str], letters: list[str], connectors: frozenset[str], *, connector_letters: bool) -> bool:
    """Whether the initials of ``words`` spell ``letters`` in order, the first word giving the first
    letter: connectors ("of", "and", "de") give none, or with ``connector_letters`` may give one
    ("Water, Sanitation and Hygiene (WASH)"), and at most LONG_FORM_SKIPS other words give none.
    (Letters spread over a whole list of names, "Wonchi, Ameya and Goro districts ... hygiene (WASH)",
    spell no long form.)"""
    initials = [(fold(w[0]).upper(), w.lower().strip("'’") in connectors) for w in words]
    if not initials or not letters or initials[0][0] != letters[0].upper():
        return False
    reach = {(0, 0)}  # (letters spelled, words left out)
    for initial, connector in initials:
        nxt = set()
        for spelled, skipped in reach:
            if spelled < len(letters) and initial == letters[spelled].upper() and (connector_letters or not connector):
                nxt.add((spelled + 1, skipped))
            if connector or spelled == len(letters):
                nxt.add((spelled, skipped))  # a connector, or a word after the last letter (its head: "... Fund")
            elif spelled and skipped < LONG_FORM_SKIPS:
                nxt.add((spelled, skipped + 1))
        reach = nxt
    return any(spelled == len(letters) for spelled, _ in reach)


def _long_form(text: str, paren_start: int, acronym: str, grammar: "ActorGrammar", *,
               spelled_only: bool = False) -> int | None:
    """Start of the long form written before "(ACR)", by initials, else (unless ``spelled_only``) by
    capitalisation."""
    connectors, heads = grammar.connectors, grammar.heads
    words = [(m.start(), m.group()) for m in grammar.word.finditer(text, max(0, paren_start - 220), paren_start)]
    words = [(s, w) for s, w in words if w not in (",",)]
    letters = [c for c in acronym if c.isalpha()]
    if any(c.islower() for c in letters) and sum(c.isupper() for c in letters) >= 2:
        letters = [c for c in letters if c.isupper()]  # "MoLESS", "MoFA": the capitals spell the name
    best = None
    for connector_letters in (False, True):  # "Direction du développement et de la coopération (DDC)" first
        for i in range(len(words) - 1, max(-1, len(words) - 16), -1):
            s, w = words[i]
            if w in (".", ";", "(", ")") or (w in (",",)):
                break
            if i < len(words) - 1 and _ends_sentence(w):
                break  # "Suva." ended the sentence before: a long form never reaches back across it
            if not w[:1].isalpha() or w.lower().strip("'’") in connectors:
                continue  # a long form opens on a name's word
            if fold(w[0]).upper() != letters[0].upper() or (connector_letters and not w[:1].isupper()):
                continue  # a connector spells a letter only in a name that opens with a capital
            if _spells([x for _, x in words[i:] if x[:1].isalpha()], letters, connectors,
                       connector_letters=connector_letters):
                return s  # the shortest window whose initials spell the acronym
    if best is not None or spelled_only:
        return best
    start, taken = _run_before(text, paren_start, grammar, limit=18)
    head = _head_before(text, paren_start, grammar) if heads is not None else None
    if head is not None and (len(taken) < 2 or head < start):
        return head
    return start if len(taken) >= 2 else None


def _head_before(text: str, paren_start: int, grammar: "ActorGrammar") -> int | None:
    """The head word that opens a long form with lower-case complements: "le Fonds de l'OIM pour le
    développement (IDF)", "le ministère de l'Économie, de la Planification et de l'Aménagement du territoire
    (MINEPAT)". A comma is crossed only where a listed complement follows it (", de la Planification"); a
    head written in lower case opens a long form only if a complement's preposition follows it within three words
    and a capitalised word later ("partnership with the Pacific Community (SPC)" is no name)."""
    words = [(m.start(), m.group()) for m in grammar.word.finditer(text, max(0, paren_start - 200), paren_start)][-24:]
    for i in range(len(words) - 1, -1, -1):
        s, w = words[i]
        if w == ",":
            after = words[i + 1][1].lower() if i + 1 < len(words) else ""
            if after in grammar.list_openers:
                continue
            break
        if w in (".", ";", "(", ")", "«", "»") or _ends_sentence(w):
            break
        if any(cue.search(text, s, paren_start) for cue in (grammar.passive_fund, grammar.passive_org, grammar.partner)):
            break  # "le projet ... financé par le ministère ... (BMZ)": a cue is no part of a name
        if grammar.heads.fullmatch(w) and (w[:1].isupper() or any(x[:1].isupper() for _, x in words[i + 1:])
                                           and any(x.lower() in grammar.list_openers for _, x in words[i + 1:i + 4])):
            return s  # a lower-case head opens a name only with a complement ("ministère de", "direction générale de")
    return None


def org_mentions(text: str, grammar: ActorGrammar, *, start: int = 0, end: int | None = None,
                 model_orgs: list[tuple[int, int]] = ()) -> tuple[list[OrgMention], dict[str, str]]:
    """Organisation mentions, left to right, and the item's own acronym -> long form table."""
    end = len(text) if end is None else end
    orgs = grammar.resources.organizations
    places = grammar.resources.places
    found: list[OrgMention] = []
    acronyms: dict[str, str] = {}

    def add(m: OrgMention, *, weak: bool = False) -> None:
        """Keep one mention per stretch of text; a weak one (a capitalised run) only widens a strong one."""
        for i, other in enumerate(found):
            if other.start < m.end and m.start < other.end:
                if other.acronym and other.start <= m.start and m.end <= other.end:
                    return  # "Pacific Islands Forum" inside "Pacific Islands Forum Fisheries Agency (FFA)"
                if weak or (other.acronym and not m.acronym) or (other.acronym in acronyms and m.acronym not in acronyms):
                    other.start, other.end = min(other.start, m.start), max(other.end, m.end)
                    return
                m.start, m.end = min(other.start, m.start), max(other.end, m.end)
                found.pop(i)
                add(m)
                return
        found.append(m)

    titled = [(m, True) for m in TITLE_ACRONYM.finditer(text, start, end)]
    for m, spelled_only in sorted([(m, False) for m in ACRONYM.finditer(text, start, end)] + titled,
                                  key=lambda pair: pair[0].start()):
        acr = m.group("acr")
        s = _long_form(text, m.start(), acr, grammar, spelled_only=spelled_only)
        if s is None:
            continue
        long = re.sub(r"\s+", " ", text[s:m.start()].strip(" ,"))
        long = grammar.long_form_article.sub("", long)  # an article, not 'La' in 'Latin'
        if not long or long in places and places[long][0].kind in ("country", "region", "city", "admin1"):
            continue
        if not any(c.isupper() for c in long) and not orgs.get(acr.casefold()):
            continue  # "civil society organisations (CSOs)", "health surveillance assistants (HSAs)": no body's name
        if long.split()[0].casefold() in grammar.event_words and not orgs.get(acr.casefold()) \
                and not any(grammar.heads.fullmatch(w) for w in long.split()[1:]):
            continue  # "a Training of Trainers (ToT)": an event, not a body ("Forum Fisheries Agency" is one)
        acronyms.setdefault(acr, long)
        known = orgs.get(acr.casefold())
        add(OrgMention(s, m.end(), long, acr, known.kind if known else "org"))
    for m in grammar.known.finditer(text, start, end):
        org = orgs[m.group().casefold()]
        surface = m.group()
        if " " not in surface and sum(c.isupper() for c in surface) >= 2 and surface != org.acronym:
            # an acronym in the item's language ("PNUD", "HCR"): keep it as written
            add(OrgMention(m.start(), m.end(), acronyms.get(surface, org.name), surface, org.kind))
            continue
        name = acronyms.get(org.acronym, surface if " " in surface and surface != org.name else org.name)
        add(OrgMention(m.start(), _national_end(text, m.end(), places), name, org.acronym, org.kind))
    governments = mentions_any(text[start:end].casefold(), grammar.government_words)
    for m in grammar.gov_of.finditer(text, start, end) if governments else ():
        place = _country(m.group("place"), grammar)
        if place:
            # an embassy is a body of its own (it hands over, it hosts); a government stands for its country
            embassy = grammar.embassy.match(m.group())
            add(OrgMention(m.start(), m.end(), embassy.group(1) if embassy else place, None, "country"))
    for m in grammar.demonym_gov.finditer(text, start, end) if governments else ():
        code = grammar.resources.demonyms[m.group("dem")]
        add(OrgMention(m.start(), m.end(), grammar.resources.country_names.get(code, m.group("dem")), None, "country"))
    for m in grammar.gov_demonym.finditer(text, start, end) if governments else ():
        if m.group("dem")[:1].islower():  # the government as written: the country's name alone is not its name
            add(OrgMention(m.start(), m.end(), m.group(), None, "country"))
    for m in grammar.x_gov.finditer(text, start, end) if governments else ():
        place = _country(m.group("place"), grammar)
        if place:
            add(OrgMention(m.start(), m.end(), place, None, "country"))
    # capitalised runs with an organisation head word: "the Ministry of Home Affairs"
    # bare uses of the item's own acronyms ("HAKAD", "RDS") after their definition
    if acronyms:
        bare = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True)) + r")(?![\w-])")
        for m in bare.finditer(text, start, end):
            if not any(o.start <= m.start() < o.end for o in found):
                known = orgs.get(m.group().casefold())
                add(OrgMention(m.start(), m.end(), acronyms[m.group()], m.group(), known.kind if known else "org"))
    listed_to = -1  # the end of the last name extended over a list ("for Education, Culture and Science")
    for m in grammar.capital_run.finditer(text[start:end]):
        chunk = grammar.name_stop.split(m.group())[0]
        chunk = re.sub(r"['’]s$", "", chunk)  # "the Ministry of Agriculture's seed directorate": the owner's name
        s, e = start + m.start(), start + m.start() + len(chunk)
        if s < listed_to < e:  # the run goes on past a listed name: "Science and the Ministry of Culture"
            chunk, s = chunk[listed_to - s:], listed_to
        if not grammar.heads.search(chunk):
            continue
        tail = _listed_complements(text, e, chunk, grammar) or _comma_complements(text, e, grammar)
        if tail:
            chunk, e = chunk + text[e:tail], tail
            listed_to = tail
        chunk_s = s
        lead = grammar.run_lead.match(chunk)
        if lead:
            chunk_s += lead.end()
            chunk = chunk[lead.end():]
        if len(chunk.split()) < 2 or chunk.split()[0].lower() in grammar.connectors:
            continue
        chunk = grammar.x_funded_lead.sub("", chunk)
        for other in found:  # "the Ministry of Gender and Development and UN Women": two bodies, not one
            if chunk_s < other.start < e and grammar.second_body.search(text[chunk_s:other.start]):
                cut = grammar.second_body.search(text[chunk_s:other.start]).start()
                chunk, e = chunk[:cut], chunk_s + cut
                break
        second = _second_head(chunk, grammar)
        if second is not None:  # "the Ministry of Education and Sports and Kyambogo University": two bodies
            add(OrgMention(chunk_s + second, e, chunk[second:], None, "org"))
            chunk = grammar.and_end.sub("", chunk[:second].rstrip())
            e = chunk_s + len(chunk)
        if any(o.start < e and chunk_s < o.end for o in found):
            add(OrgMention(chunk_s, e, chunk, None, "org"), weak=True)
            continue
        add(OrgMention(chunk_s, e, chunk, None, "org"))
    # the statistical model's ORG entities: a last resort for bodies no rule knows ("Gavi")
    for s, e in model_orgs:
        name = grammar.long_form_article.sub("", re.split(r"\s[-–—]\s", text[s:e])[-1]).strip()  # "JUBA - Internews"
        if start <= s < end and name[:1].isupper() and "\n" not in name and name not in grammar.resources.places \
                and not (name.isupper() and name.title() in grammar.resources.places) \
                and not any(o.start < e and s < o.end for o in found):
            found.append(OrgMention(e - len(name), e, name, None, "model"))
    found.sort(key=lambda o: o.start)
    found = _lower_case_long_forms(found, text)
    found = _bare_heads_resolved(found, grammar)
    # units written right after their parent ("UNODC Regional Office ...", "IOM's ACBC")
    for i, m in enumerate(found):
        if m.kind == "org":
            lead = grammar.known.match(text, m.start)
            own_name = m.acronym in acronyms and lead is not None and not re.match(r"['’]s\b", text[lead.end():]) \
                and lead.group() not in (m.acronym or "")
            if lead and lead.end() < m.end and not own_name:  # "CARICOM Implementation Agency (IMPACS)" stays itself
                org = orgs[lead.group().casefold()]
                m.parent = OrgMention(lead.start(), lead.end(), acronyms.get(org.acronym, org.name), org.acronym, org.kind)
        if i and m.kind == "org":
            prev = found[i - 1]
            gap = text[prev.end:m.start]
            if re.fullmatch(r"['’]s\s+(?:[A-Z][\w-]*\s+)*", gap) or re.fullmatch(r"\s+", gap) \
                    or grammar.unit_link.fullmatch(gap):
                m.parent = prev.parent or prev
        if m.kind == "org" and m.parent is None and i + 1 < len(found) and found[i + 1].kind in ("un", "intl", "regional") \
                and grammar.of_parent.match(text[m.end:found[i + 1].start]):
            m.parent = found[i + 1].parent or found[i + 1]  # "le Centre africain ... (ACBC) de l'OIM": a unit of its parent
    return found, acronyms


# a name that goes on in lower case up to its acronym: "Organisation des Nations unies pour l'éducation, la science
# et la culture (UNESCO)"; the words between are lower case, without digits or sentence punctuation
LOWER_CASE_TAIL = re.compile(r"[ \t]+(?:[a-zà-ÿ][\w'’-]*,?[ \t]+){1,12}?\(")


def _second_head(chunk: str, grammar: "ActorGrammar") -> int | None:
    """Where a second body starts in a run joined by "and": both sides carry a head word ("Ministry of
    Education and Sports and Kyambogo University"); "Ministry of Agriculture and Rural Development" is one."""
    for m in reversed(list(grammar.and_join.finditer(chunk))):
        left, right = re.split(r"['’]s\s", chunk[:m.start()])[-1], chunk[m.end():]  # the owner's head is not the body's
        if right[:1].isupper() and grammar.heads.search(left) and grammar.heads.search(right):
            return m.end()
    return None


def _lower_case_long_forms(found: list[OrgMention], text: str) -> list[OrgMention]:
    """Join a capitalised start and the acronym that closes its lower-case long form into one mention."""
    out: list[OrgMention] = []
    skip = None
    for m, nxt in zip(found, [*found[1:], None]):
        if m is skip:
            continue
        tail = LOWER_CASE_TAIL.match(text, m.end) if m.kind == "org" and m.acronym is None and nxt else None
        if tail and nxt.acronym and nxt.start == tail.end() and text[nxt.start:nxt.end] == nxt.acronym:
            out.append(OrgMention(m.start, text.find(")", nxt.end) + 1 or nxt.end, text[m.start:tail.end() - 1].strip(),
                                  nxt.acronym, nxt.kind))
            skip = nxt
            continue
        out.append(m)
    return out


def _bare_heads_resolved(found: list[OrgMention], grammar: "ActorGrammar") -> list[OrgMention]:
    """A body named by its head word alone ("the Institute", "the Bank", "le Secrétariat") is the body
    named before whose name holds that word: a mention of it (its unit, folded into it). With no such
    body before, it names none and is dropped."""
    out: list[OrgMention] = []
    for m in found:
        if m.acronym is None and grammar.heads.fullmatch(m.name):
            word = fold(m.name)
            antecedent = next((p for p in reversed(out) if word in fold(p.name).split()), None)
            if antecedent is None:
                continue
            m.parent = antecedent.parent or antecedent
        out.append(m)
    return out


NEXT_NAME = re.compile(r" ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})")


def _national_end(text: str, end: int, places: dict) -> int:
    """Where a known body's name ends when a country follows it as its national office or chapter
    ("CARE Nepal", "ActionAid Ghana", "UNICEF Ghana"): one body, and the country is no place there."""
    m = NEXT_NAME.match(text, end)
    if m is None:
        return end
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        rows = places.get(" ".join(words[:n]))
        if rows and rows[0].kind == "country":
            return end + 1 + len(" ".join(words[:n]))
    return end


def _country(raw: str, grammar: ActorGrammar) -> str | None:
    raw = raw.strip()
    raw = {"U.S.": "United States", "US": "United States", "U.S": "United States", "UK": "United Kingdom",
           "U.K.": "United Kingdom"}.get(raw, raw)
    rows = grammar.resources.places.get(raw) or grammar.resources.places.get(grammar.place_article.sub("", raw))
    if rows and rows[0].kind == "country":
        return rows[0].canonical
    if raw in grammar.resources.demonyms:
        return grammar.resources.country_names.get(grammar.resources.demonyms[raw])
    return None


@dataclass
class ActorResult:
    organizers: list[tuple[OrgMention, Evidence]]
    funders: list[tuple[OrgMention, Evidence]]
    actor_spans: list[tuple[int, int]]  # text where a country is named as an actor, not a place


HEAD_REACH = 3  # characters from a phrase's head word to a name it introduces: "l'", "d'", "le "


@dataclass(frozen=True)
class RoleSpan:
    """What a role pattern over the parse marked: the actor's phrase, its head, its label and pattern id."""

    head: int  # character offset of the phrase's head token
    start: int
    end: int
    label: str  # ORGANIZER | FUNDER
    rule: str


def actors(text: str, mentions: list[OrgMention], sentences: Sentences, grammar: ActorGrammar, *,
           country_spans: list[tuple[int, int, str]], start: int, end: int,
           roles: list[RoleSpan] = (), title: tuple[int, int] | None = None,
           persons: list[tuple[int, int]] = ()) -> ActorResult:
    """Organizers and funders of the main event, from the lexicon's cue phrases and the parse's roles."""
    lex = grammar.lexicon
    fc = lex["funder_cues"]
    events = phrase_pattern(lex["event_nouns"])
    handover = phrase_pattern(lex["handover_words"])
    skip = phrase_pattern(fc["skip_context"])
    donor_words = phrase_pattern(lex["donor_words"])
    countries = [OrgMention(s, e, name, None, "country") for s, e, name in country_spans]
    pool = sorted(mentions + [c for c in countries if not any(m.start <= c.start < m.end for m in mentions)],
                  key=lambda m: m.start)
    organizers: list[tuple[OrgMention, Evidence]] = []
    funders: list[tuple[OrgMention, Evidence]] = []
    actor_spans: list[tuple[int, int]] = []

    def in_scope(s: int, e: int) -> list[OrgMention]:
        """Mentions listed from ``s`` up to the scope's boundary."""
        b = grammar.boundary.search(text, s, e)
        while b and (grammar.second_name.fullmatch(b.group()) and any(
                re.fullmatch(r"\s*", text[b.end():m.start]) for m in pool if b.end() <= m.start < e)
                or any(m.start < b.start() and b.end() <= m.end for m in pool if m.start >= s)):
            # "... et le Ministère de X": a second name, not a new clause; "Agence ... pour le développement
            # international (USAID)": a word inside a name is no boundary
            b = grammar.boundary.search(text, b.end(), e)
        stop = b.start() if b else e
        out: list[OrgMention] = []
        cursor = s
        listed = iter([m for m in pool if s <= m.start < stop])
        m = next(listed, None)
        while True:
            if out and out[-1].end == cursor:  # "le ministère de l'Économie océanique, des Ressources marines, ..."
                out[-1] = _with_comma_complements(out[-1], text, grammar, limit=e)
                cursor = out[-1].end
            while m is not None and m.start < cursor:
                m = next(listed, None)  # a shorter mention inside the one just listed
            gap = text[cursor:m.start if m else stop]
            if m is not None and out and grammar.of_parent.match(gap):
                cursor, m = m.end, next(listed, None)
                continue  # "the RDS of the Ministry ... of the Netherlands": one body
            if m is not None and grammar.gap_ok.match(gap):
                out.append(m)
                cursor, m = m.end, next(listed, None)
                continue
            unknown = _unlisted_name(text, cursor, m.start if m else stop, grammar, first=not out)
            if unknown is None:
                return out
            if m is not None and grammar.of_parent.match(text[unknown.end:m.start]):
                out.append(m)  # "the Faculty of Law of the University of Nairobi": a unit stands for its parent
                cursor, m = m.end, next(listed, None)
                continue
            out.append(unknown)  # "in collaboration with Horizons Jeunesse, a youth association"
            cursor = unknown.end

    def is_donor(m: OrgMention) -> bool:
        return m.kind in ("country", "donor") or bool(donor_words.search(m.name)) and m.kind not in ("un", "regional")

    def ev(s: int, e: int, rule: str) -> Evidence:
        return Evidence(text[s:e], s, e, rule)

    passive_org, passive_far, partner, active = grammar.passive_org, grammar.passive_far, grammar.partner, grammar.active
    passive_fund, active_fund, thanks = grammar.passive_fund, grammar.active_fund, grammar.thanks
    folded = text.casefold()  # whole: a sentence may reach past start or end
    funded, fund_verbs, thanked = (mentions_any(folded, words) for words in (
        grammar.funded_words, grammar.active_fund_words, grammar.thanks_words))

    def x_funded(m: re.Match) -> None:
        """ "EU-funded", "DANIDA-funded": the donor written into the adjective."""
        words = m.group("who").split()
        who = next((w for w in (" ".join(words), words[-1]) if _country(w, grammar)), words[-1])  # "New Zealand-funded"
        name = _country(who, grammar)
        org = grammar.resources.organizations.get(who.casefold())
        if name:
            funders.append((OrgMention(m.start(), m.end(), name, None, "country"), ev(m.start(), m.end(), "funders.x_funded")))
            actor_spans.append((m.start(), m.end()))
        elif org:
            funders.append((OrgMention(m.start(), m.end(), org.name, org.acronym, org.kind), ev(m.start(), m.end(), "funders.x_funded")))

    for m in grammar.suffix_funded.finditer(text, *title) if title and funded else ():
        x_funded(m)  # the title's "GIMPA opens DANIDA-funded courses"
    for who in pool:  # "the IDRC of Canada, which is funding the hub": a donor named by what it does
        which = grammar.which_funds.match(text, who.end, min(end, who.end + 80)) if start <= who.start < end else None
        if which is None or grammar.passive_fund.match(text, which.start("verb")):
            continue  # "the project, which is financed by the World Bank": funded, not funding
        if who.kind == "country" and grammar.name_of.search(text[max(0, who.start - 5):who.start]):
            continue  # "the IDRC of Canada, which ...": the body's name goes on
        funders.append((who, ev(who.start, who.end, "funders.which_funds")))
        actor_spans.append((who.start, who.end))
    for sent_s, sent_e in sentences.bounds:
        if sent_e <= start or sent_s >= end:
            continue
        sentence = text[sent_s:sent_e]
        if skip.search(sentence):
            continue
        eventful = bool(events.search(sentence))
        # funders
        for m in passive_fund.finditer(text, sent_s, sent_e):
            cue = m.group().strip().lower()
            # "with the support of X": a funder only when X is a donor ("financial support" always is)
            support_only = any(w in cue for w in fc["support_words"]) and not any(w in cue for w in fc["financial_words"])
            # "provided by X", "donated by X": a funder only when X is a donor (a trainer provides a course too)
            donor_only = any(w in cue for w in fc["donor_only_words"])
            # "funded by X, through its agency, and by Y": the cue goes on after "and by"
            scopes = [m.end()] + [c.end() for c in grammar.and_by.finditer(text, m.end(), sent_e)]
            for who in (who for scope in scopes for who in in_scope(scope, sent_e)):
                if donor_only and not is_donor(who):
                    continue
                if support_only and not is_donor(who):
                    if eventful:
                        organizers.append((who, ev(m.start(), who.end, "organizers.partner_support")))
                    continue
                if who.kind == "country" or is_donor(who) or not support_only:
                    funders.append((who, ev(m.start(), who.end, "funders.cue_by")))
                    actor_spans.append((who.start, who.end))
                    fund = _channel_fund(text, who, pool, grammar, sent_e)
                    if fund is not None:  # "financé par l'UE à travers le Fonds fiduciaire d'urgence"
                        funders.append((fund, ev(m.start(), fund.end, "funders.through_fund")))
                        actor_spans.append((fund.start, fund.end))
        for m in grammar.suffix_funded.finditer(text, sent_s, sent_e) if funded else ():
            x_funded(m)
        for m in active_fund.finditer(text, sent_s, sent_e) if fund_verbs else ():
            if text[max(sent_s, m.start() - 4):m.start()].strip().endswith(grammar.fund_passive) \
                    or grammar.agent_after.match(text[m.end():m.end() + 5]):
                continue  # passive ("funded by X") is read by the cue scopes, not as "X funded"
            subject = [p for p in pool if sent_s <= p.start and p.end <= m.start() and
                       grammar.gap_ok.match(_without(text[p.end:m.start()], grammar.fund_subject_fillers))]
            for who in subject[-1:]:
                funders.append((who, ev(who.start, m.end(), "funders.active")))
                actor_spans.append((who.start, who.end))
        for who in pool:
            if sent_s <= who.start < sent_e and grammar.donor_apposition.match(text[who.end:who.end + 60]):
                funders.append((who, ev(who.start, who.end, "funders.donor_apposition")))
                actor_spans.append((who.start, who.end))
        for m in thanks.finditer(text, sent_s, sent_e) if thanked else ():
            for who in pool:
                if m.start("who") <= who.start and who.end <= m.end("who"):
                    funders.append((who, ev(m.start(), m.end(), "funders.gratitude")))
                    actor_spans.append((who.start, who.end))
                    break
        for role in roles:
            if role.label == "FUNDER" and sent_s <= role.head < sent_e:
                for who in _role_mentions(role, pool, text, grammar):
                    funders.append((who, ev(role.start, role.end, role.rule)))
                    actor_spans.append((who.start, who.end))
        # organizers
        if not eventful and not handover.search(sentence) \
                and not grammar.event_pronoun.match(sentence):
            continue
        for m in [*passive_org.finditer(text, sent_s, sent_e), *passive_far.finditer(text, sent_s, sent_e)]:
            for who in in_scope(m.end(), sent_e):
                if who.kind != "country" or not grammar.resources.places.get(text[who.start:who.end]):
                    organizers.append((who, ev(m.start(), who.end, "organizers.cue_by")))
        for m in partner.finditer(text, sent_s, sent_e):
            if grammar.support_cue.search(m.group()):
                continue  # handled with the funder cues (donor or co-organizer)
            for who in in_scope(m.end(), sent_e):
                organizers.append((who, ev(m.start(), who.end, "organizers.partner")))
        for m in active.finditer(text, sent_s, sent_e):
            after = text[m.end():min(sent_e, m.end() + 220)]
            if not (events.search(after) or grammar.handover_cue.search(m.group() + after)):
                continue
            before = text[sent_s:m.start()]
            if grammar.passive_before.search(before):
                continue
            subject = []
            for p in pool:
                if sent_s <= p.start and p.end <= m.start():
                    lead = text[max(sent_s, p.start - 12):p.start].lower()
                    if grammar.not_subject.search(lead):
                        continue
                    if p.kind == "model":
                        continue  # a model entity alone is too weak to make a sentence's subject an organiser
                    if p.kind == "country" and grammar.resources.places.get(text[p.start:p.end]):
                        continue  # "Cambodia's ...", a country in the subject is not the organiser
                    if grammar.possessive_before.search(lead):
                        continue  # "through its Regional Office": a unit of the subject
                    subject.append(p)
            for who in subject:
                organizers.append((who, ev(who.start, m.end(), "organizers.subject_of_verb")))
        for role in roles:  # after the cue phrases: their evidence, where both see a body, comes first
            if role.label == "ORGANIZER" and sent_s <= role.head < sent_e:
                for who in _role_mentions(role, pool, text, grammar):
                    if who.kind == "model" and not (who.start <= role.head < who.end and role.rule.startswith(MODEL_ROLES)):
                        continue  # a model entity is strong enough only as the very subject or agent of the verb
                    if who.kind == "country" and grammar.resources.places.get(text[who.start:who.end]):
                        continue  # as for the cue phrases: a bare country is too weak
                    organizers.append((who, ev(*_role_bounds(role, who, text), role.rule)))
    # the title's subject: "Internews trains community radio journalists in Juba"
    for role in roles if title else ():
        if role.label == "ORGANIZER" and title[0] <= role.head < title[1] and role.rule.startswith(MODEL_ROLES):
            named = [fold(o.name) for o, _ in organizers]
            for who in _role_mentions(role, pool, text, grammar):
                if any(fold(who.name) in n or n in fold(who.name) for n in named):
                    continue  # the body the text names again below, in full ("Canada" in the title, "Embassy of Canada")
                if who.kind != "country" and (who.kind != "model" or who.start <= role.head < who.end):
                    organizers.append((who, ev(*_role_bounds(role, who, text), role.rule)))
    # "a UNODC training", "an IOM workshop": the organisation owns the event
    owner = grammar.owner
    for p in mentions:
        if start <= p.start < end and p.acronym and p.kind != "country" and owner.match(text[p.end:p.end + 60]) \
                and grammar.owner_before.search(text[max(0, p.start - 6):p.start]):
            organizers.append((p, Evidence(text[p.start:p.end], p.start, p.end, "organizers.owner_of_event")))
    keep = [(who, e) for who, e in organizers if _a_body(who, text, grammar, persons)]
    pooled = phrase_pattern(lex["pooled_fund_words"])
    # "the MPF, which pools contributions from Denmark, ...": who pays into a fund pays for no event of its own
    paying = [(who, e) for who, e in funders if _a_body(who, text, grammar, persons)
              and not pooled.search(text, sentences.around(who.start)[0], who.start)]
    return ActorResult(keep, paying, actor_spans)


def _unlisted_name(text: str, cursor: int, limit: int, grammar: "ActorGrammar", *, first: bool) -> OrgMention | None:
    """A name no gazetteer, acronym or model knows, listed in a cue's scope ("in collaboration with
    Horizons Jeunesse", "together with DTU and HOFOR"): capitalised words (two or more, or one of four
    letters or more written in capitals) that open the scope or follow a list's separator (right after
    a name, "IsDB Regional Hub" is a unit of it), neither opening with a place ("East Africa on
    Tuesday") nor with a person's title, nor the owner of what follows ("the Government's")."""
    lead = grammar.gap_lead.match(text, cursor, limit)
    at = lead.end() if lead else cursor
    if not first and not text[cursor:at].strip():
        return None
    run = grammar.capital_run.match(text, at, limit)
    if run is None:
        return None
    name = grammar.name_stop.split(run.group())[0].rstrip(" .")
    words = name.split()
    places = grammar.resources.places
    if not words or (len(words) < 2 and not (name.isupper() and len(name) >= 4)) \
            or words[0].lower() in grammar.connectors or words[0].rstrip(".") in grammar.person_title_words \
            or any(places.get(" ".join(words[:n])) or places.get(" ".join(words[:n]).title()) for n in (1, 2, 3)) \
            or re.search(r"['’]s?$", name) or re.match(r"['’]s\b", text[at + len(name):]):
        return None
    return OrgMention(at, at + len(name), name, None, "org")


def _a_body(who: OrgMention, text: str, grammar: "ActorGrammar", persons: list[tuple[int, int]]) -> bool:
    """Not a person ("Prof Annie Tohme Tabet", "Deputy Chief of Mission Michael Gonzales", a name the model
    reads as a person's) nor a place written in capitals in a dateline ("PORT MORESBY", "MONGOLIA")."""
    if who.acronym or who.kind in ("un", "donor", "regional", "intl", "ngo"):
        return True  # a body the gazetteer or a defined acronym vouches for
    words = who.name.split()
    if words and words[0].rstrip(".") in grammar.person_title_words:
        return False
    if any(s <= who.start and who.end <= e for s, e in persons) and who.kind in ("org", "model"):
        return False
    if who.name.isupper() and _place_in_capitals(who.name, grammar):
        return False
    return True


def _place_in_capitals(name: str, grammar: "ActorGrammar") -> bool:
    places = grammar.resources.places
    titled = name.title()
    return bool(places.get(titled) or places.get(grammar.place_small_word.sub(lambda m: m.group().lower(), titled)))


MODEL_ROLES = ("org.subject_of_hold", "org.agent_of_organize", "org.sujet_organise", "org.agent_organise")  # roles whose actor may be a model entity alone


def _role_mentions(role: RoleSpan, pool: list[OrgMention], text: str, grammar: "ActorGrammar") -> list[OrgMention]:
    """The organisation a role's phrase names: the mention holding its head word, or one that starts
    right after it ("l'OIM", whose head is the article). A mention further inside the phrase is
    something else the phrase names ("the Directorate ... of the Ministry of Law"), not the actor.

    Where no mention holds the head but the head is an organisation's head word written in lower
    case ("le ministère de la Pêche et de l'Économie maritime"), the parse bounds the name: the
    phrase from its head word on becomes a mention.
    """
    found = [m for m in pool if m.start <= role.head < m.end or 0 < m.start - role.head <= HEAD_REACH][:1]
    if found:
        return [_with_comma_complements(found[0], text, grammar)]
    word = grammar.heads.match(text, role.head)
    if word and text[role.head].islower():
        named = [m for m in pool if m.start > role.head and not text[word.end():m.start].strip()]
        if named:
            return named[:1]  # "la fondation Open Society Initiative for West Africa (OSIWA)": the name the rules bounded
    name = text[role.head:role.end].strip(" ,")
    if word and text[role.head].islower() and len(name.split()) >= 3 and "\n" not in name:
        return [_with_comma_complements(OrgMention(role.head, role.head + len(name), name, None, "org"), text, grammar)]
    if role.rule.startswith(MODEL_ROLES):
        proper = _proper_name(text, role, grammar)
        return [proper] if proper else []
    return []


def _comma_complements(text: str, end: int, grammar: "ActorGrammar", limit: int | None = None) -> int | None:
    """Where a name whose complements are listed after commas ends: "ministère de l'Économie océanique, des
    Ressources marines, de la Pêche et de la Navigation"; each complement opens with a preposition and an article."""
    tail = grammar.comma_complements.match(text, end, len(text) if limit is None else limit)
    return tail.end() if tail else None


def _with_comma_complements(m: OrgMention, text: str, grammar: "ActorGrammar", limit: int | None = None) -> OrgMention:
    """``m`` stretched over the complements listed after it, where its name is the text as written."""
    tail = _comma_complements(text, m.end, grammar, limit) if m.name == text[m.start:m.end] else None
    return OrgMention(m.start, tail, text[m.start:tail], m.acronym, m.kind) if tail else m


def _listed_complements(text: str, end: int, chunk: str, grammar: "ActorGrammar") -> int | None:
    """Where a name whose complement is a list ends: "Ministry of Agriculture, Livestock, Fisheries and
    Irrigation", "Commission for Education, Culture and Science". The listed words are plain capitalised
    words: no acronym, no organisation head word, no place (those would be other bodies)."""
    if not grammar.ends_in_complement.search(chunk):
        return None
    tail = grammar.listed.match(text, end)
    if not tail or grammar.heads.search(tail.group()):
        return None
    words = re.findall(r"[A-Z][\w'’-]*", tail.group())
    if any(w.isupper() and len(w) > 1 for w in words) or any(
            grammar.resources.places.get(part.strip(" ,")) for part in grammar.list_split.split(tail.group()) if part.strip(" ,")):
        return None
    return tail.end()


def _channel_fund(text: str, donor: OrgMention, pool: list[OrgMention], grammar: "ActorGrammar",
                  sent_e: int) -> OrgMention | None:
    """The fund a donor pays through, named right after it ("the EU through its Emergency Trust Fund")."""
    lead = grammar.channel.match(text, donor.end, sent_e)
    if not lead:
        return None
    nxt = next((p for p in pool if p.start >= lead.end()), None)
    if nxt is not None and nxt.start - lead.end() <= 2 and nxt.kind != "model":
        # a body of its own, not a unit of the donor ("its Emergency Trust Fund" would fold into the EU)
        return OrgMention(nxt.start, nxt.end, nxt.name, nxt.acronym, "donor") \
            if grammar.fund_words.search(nxt.name) else None
    # a fund no rule knows, named from its head word to the end of the phrase ("Fonds fiduciaire d'urgence
    # pour l'Afrique", "Emergency Trust Fund for Africa")
    phrase = re.match(r"[A-ZÀ-Þ][^,;:.()\n]{2,90}", text[lead.end():sent_e])
    if phrase and grammar.fund_words.search(phrase.group()):
        name = phrase.group().strip()
        return OrgMention(lead.end(), lead.end() + len(name), name, None, "donor")
    return None


def _role_bounds(role: RoleSpan, who: OrgMention, text: str) -> tuple[int, int]:
    """The evidence of a role: its phrase, or the name alone where the parse ran the phrase across lines."""
    return (role.start, role.end) if "\n" not in text[role.start:role.end] else (who.start, who.end)


NAME_WORD = re.compile(r"[A-Z][\w&'’.-]*")


def _proper_name(text: str, role: RoleSpan, grammar: "ActorGrammar") -> OrgMention | None:
    """The capitalised words ending at a role's head ("Internews trained ...", "Mercy Corps handed over"),
    as a body's name when the text writes it as one everywhere: capitalised again inside a sentence,
    never in lower case (as "Participants" or "Officials" would be), never after a person's title
    ("Dr", "Ambassador"), and neither a place nor the front of a longer name ("Peace and Security Council")."""
    head = NAME_WORD.match(text, role.head)
    if not head:
        return None
    start = role.head
    while True:
        before = re.search(r"([A-Z][\w&'’.-]*) $", text[max(role.start, start - 40):start])
        if not before:
            break
        start -= len(before.group())
    name = text[start:head.end()]
    words = name.split()
    if len(words) == 1 and grammar.heads.fullmatch(name):
        return None  # "the Secretariat", "the Department": a head word alone names no body
    if words[0] in grammar.person_titles or any(w in grammar.not_names for w in words) \
            or (name.isupper() and len(name) > 6) or grammar.resources.places.get(name.title()) \
            or grammar.name_goes_on.match(text[head.end():head.end() + 12]):
        return None
    if re.search(rf"(?<![\w.])(?-i:{re.escape(name.lower())})\b", text):
        return None  # written in lower case too: a common noun at the start of a sentence
    inside = named = 0
    for m in re.finditer(rf"\b{re.escape(name)}\b", text):
        lead = text[max(0, m.start() - 24):m.start()]
        if any(lead.rstrip().endswith(t) for t in grammar.person_titles):
            return None  # "Dr Gordon Harewood": a person
        inside += bool(re.search(r"[a-z,;]\s+$", lead))
        named += 1
    # inside a sentence, or named three times (title, date line, sentences' starts: "Internews trains ...",
    # "JUBA - Internews on Monday opened ...", "Internews has worked ...")
    return OrgMention(start, head.end(), name, None, "org") if inside or named >= 3 else None


def most_named(text: str, mentions: list[OrgMention], acronyms: dict[str, str], *, exclude: set[str],
               start: int, end: int) -> list[Candidate]:
    """The organisation the item names most often (at least twice), as the organizer of last resort:
    an item that says who acted in no phrase pressx reads ("UNOPS hands over ...", "... said UNOPS")
    is most often about its own publisher's or its main actor's event."""
    named = [(m, Evidence(text[m.start:m.end], m.start, m.end, "organizers.most_named")) for m in mentions
             if start <= m.start < end and m.kind not in ("country", "model")]
    bodies = [c for c in merge(named, acronyms) if entity_key(c.value) not in exclude]
    ranked = sorted(bodies, key=lambda c: len(c.evidence), reverse=True)  # stable: the first named wins a tie
    if not ranked or len(ranked[0].evidence) < 2 or (len(ranked) > 1 and len(ranked[1].evidence) == len(ranked[0].evidence)):
        return []  # named once, or two bodies named as often: no organizer rather than a guess
    return [Candidate(ranked[0].value, ranked[0].evidence[:1], ranked[0].score)]


def entity_key(entity: Entity) -> str:
    """The key one body goes by among an item's entities: its acronym, else its name, folded."""
    return fold(entity.acronym or entity.name)


def body_of(mention: OrgMention, acronyms: dict[str, str]) -> tuple[OrgMention, str | None]:
    """The body a mention names (a unit's parent, up to the top) and its acronym (its own, or the
    item's acronym whose long form is its name)."""
    top = mention
    while top.parent is not None:
        top = top.parent
    acronym = top.acronym
    if acronym is None:
        for acr, long in acronyms.items():
            if fold(long) == fold(top.name):
                acronym = acr
    return top, acronym


def merge(pairs: list[tuple[OrgMention, Evidence]], acronyms: dict[str, str]) -> list[Candidate]:
    """One entity per body: units fold into their parent, acronyms into their long forms."""
    out: dict[str, Candidate] = {}
    names: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for mention, evidence in pairs:
        top, acronym = body_of(mention, acronyms)
        name = top.name
        if acronym and acronym in acronyms and fold(acronyms[acronym]) != fold(acronym):
            name = acronyms[acronym]
        key = fold(acronym) if acronym else fold(name)
        key = names.get(fold(name), key)
        names.setdefault(fold(name), key)
        first_seen[key] = min(first_seen.get(key, mention.start), mention.start)
        if key not in out:
            out[key] = Candidate(Entity(name=name, acronym=acronym, kind=top.kind), (evidence,), 1.0)
        else:
            prev = out[key]
            out[key] = Candidate(prev.value, prev.evidence + (evidence,), prev.score)
    return [out[k] for k in sorted(out, key=first_seen.get)]  # in the order the item names them
