"""Places: gazetteer matches (and model GPE/LOC entities) filtered into real place mentions.

A match is dropped when it is fused into an organisation name, sits in a job
title ("Ambassador to Senegal"), names a country as an actor ("funded by the
Netherlands"), or is a person's name or a common word. ``event_place`` then
chooses the city and country of the main event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..components.gazetteer import lookup
from ..resources import Place, Resources
from ..types import Candidate, Entity, Evidence
from .text import Sentences, any_of, clause_opened_by, fold, phrase_pattern, phrase_tree


def _quotes(pattern: str) -> str:
    """A pattern built from words whose apostrophe also matches a typographic one ("d'", "l’")."""
    return pattern.replace("'", "['’]")


def _articles(words: list[str]) -> str:
    """An optional article before a word: "la " with a space after it, an elided "l'" with none
    (nothing when the language has no such article)."""
    return _quotes("(?:" + "|".join(re.escape(w) if w.endswith("'") else re.escape(w) + r"\s+" for w in words)
                   + ")?") if words else ""


class PlaceGrammar:
    """The regexes of one language that tell a place of the item from a name, a title or a venue, and
    the event's town from other towns, compiled once from its lexicon (``assemble.Grammars``): the
    words come from the lexicon, the shape stays here."""

    def __init__(self, lexicon: dict):
        # "would be held in Kisumu", "se tiendra à Thiès": the clause before the place is about what is to come
        self.planned = clause_opened_by(lexicon["planned_cues"])
        self.relative = re.compile(r"(?i)\b" + any_of(lexicon["relative_pronouns"]) + r"\s+$")
        the = r"(?:" + any_of(lexicon["place_articles"]) + r"\s+)?"  # "in the Gambia"
        self.settlement = _settlement(lexicon)
        self.venue_of = _venue_of(lexicon)
        self.job_title = re.compile(r"(?i)\b" + any_of(lexicon["envoy_titles"]) + r"\s+(?:[\w'’-]+\s+){0,3}"
                                    + any_of(lexicon["envoy_prepositions"]) + r"\s+" + the + "$")
        self.venue_after = re.compile(r"\s+" + any_of(lexicon["venue_nouns"]) + r"\b", re.I)
        self.org_of = re.compile(_quotes(r"(?i)\b" + any_of(lexicon["org_of_words"])) + r"\s*" + the
                                 + r"(?:" + any_of(lexicon["country_titles"]) + r"\s+)?$")
        articles = lexicon["place_articles"]
        self.leading_article = re.compile(r"^" + any_of(articles + [w.capitalize() for w in articles]) + r"\s+")
        self.locative = re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in lexicon["locative_prepositions"]
                                                             if w != "of") + r")\s+" + the + self.settlement + "$")
        joiner = any_of(lexicon["list_joiners"])
        self.listed_before = re.compile(r"(?:,|\b" + joiner + r")\s*$")  # "Kono, Port Loko and "
        self.listed_after = re.compile(r"\s*(?:,|\b" + joiner + r"\b|\()\s*[A-Z]")
        self.listed_after_name = re.compile(r"\s*(?:,|" + joiner + r"|\()\s*([A-Z][\w'’-]+)")
        self.entity_locative = re.compile(r"\b" + any_of(lexicon["entity_place_prepositions"]) + r"\s+" + the + "$")
        self.located = re.compile(r"(?i)\b" + any_of(lexicon["located_prepositions"]) + r"\b")
        # _inside_longer_name: words around a match that make it, or not, part of a longer name
        self.name_particle = re.compile(" " + any_of(lexicon["name_particles"], exact_spaces=True) + " [A-ZÀ-Þ]")
        self.non_follower = re.compile(r"\s" + any_of(lexicon["name_non_followers"]) + r"\b")
        self.non_preceder = re.compile(r"\b" + any_of(lexicon["name_non_preceders"]) + r" \Z")
        # event_place
        self.at_town = re.compile(r"(?i)\b" + any_of(lexicon["town_prepositions"]) + r"\s+" + the
                                  + r"(?:(?:[\w-]+\s+)?" + any_of(lexicon["capital_words"]) + r",?\s+)?" + self.settlement + "$")
        self.held = re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in lexicon["venue_verbs"]) + r")\b[^.;]{0,70}$")
        self.event_in = re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in lexicon["event_nouns"]) + r")\b[^.;]{0,60}$")
        self.origin = re.compile(r"(?i)\b" + any_of(lexicon["origin_prepositions"]) + r"\s+" + the + "$")
        # "the town of X": the "of" of a settlement's name, not the "of" of an origin
        self.settled = re.compile(r"(?i)\b(?:" + _settlement_words(lexicon) + r")\s+$") \
            if lexicon["settlement_words"] else re.compile(r"(?!)")
        self.seat = re.compile(r"(?i)" + any_of(lexicon["seat_words"]) + r"\s+" + any_of(lexicon["seat_prepositions"]) + r"\s+$")
        self.in_country = re.compile(r"(?i)\b" + any_of(lexicon["country_prepositions"]) + r"\s+" + the + "$")


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    place: Place
    source: str  # gazetteer | model
    city: Place | None = None  # the city of that name, when there is one


def _country_after(after: str, resources: Resources) -> str | None:
    """The country named right after a place, after a comma or in brackets ("Bridgetown, Barbados",
    "Vienna (Austria)"), as its code."""
    m = re.match(r"\s*(?:,|\()\s*([A-Z][\w'’.-]*(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w'’.-]*){0,3})", after)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):  # the longest run of words that names a country
        rows = resources.places.get(" ".join(words[:n]).rstrip(".,"))
        if rows and rows[0].kind == "country":
            return rows[0].country
    return None


def _choose(rows: tuple[Place, ...], countries: set[str]) -> Place:
    """Among places sharing a name, prefer a country, then one in a country the item names."""
    for row in rows:
        if row.kind in ("country", "region"):
            return row
    for row in rows:
        if row.country in countries:
            return row
    return rows[0]


@lru_cache(maxsize=8)
def _stop_words(language: str) -> frozenset[str]:
    """The spaCy stop words of a language ("On", "As", "Over" are towns somewhere, never here)."""
    from spacy.util import get_lang_class

    return frozenset(w.casefold() for w in get_lang_class(language).Defaults.stop_words)


def place_mentions(text: str, doc, resources: Resources, lexicon: dict, *, grammar: PlaceGrammar,
                   org_spans: list[tuple[int, int, bool]],
                   actor_spans: list[tuple[int, int]], start: int, end: int, use_model: bool = True,
                   head_spans: list[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Every place the item names in its own right, in text order (duplicates kept)."""
    not_places = {w.casefold() for w in lexicon["not_places"]} | {w.casefold() for w in lexicon["months"]} \
        | {w.casefold() for w in lexicon["weekdays"]}
    heads = phrase_pattern(lexicon["org_heads"])
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PERSON", "PER")]
    model_places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC")]
    stop_words = _stop_words(doc.lang_)
    venue_of = grammar.venue_of
    number_words = {w.casefold() for w in lexicon["number_words"]} | {
        w for n in lexicon["number_words"] for w in re.split(r"[\s-]+", n.casefold())}
    locative = grammar.locative
    spans = [(s.start_char, s.end_char, s.text) for s in doc.spans.get("places", [])]
    if use_model:
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC") and not any(a < ent.end_char and ent.start_char < b for a, b, _ in spans) \
                    and not any(c.isdigit() for c in ent.text):  # "C3ER", "G20": a code, never a place name
                spans.append((ent.start_char, ent.end_char, ent.text))
    admin = set(_admin_areas(text, lexicon, start, end))
    # a named area wins over a shorter gazetteer match inside it ("Champasak Province", "Darkhan-Uul")
    spans = [x for x in spans if not any(a[0] <= x[0] and x[1] <= a[1] and a[1] - a[0] > x[1] - x[0] for a in admin)]
    spans += [a for a in admin if not any(x < a[1] and a[0] < y for x, y, _ in spans)]
    # the countries the item names in its own right ("the United States Census Bureau" names a body, not a country)
    countries = {resources.places[t][0].country for s, e, t in spans
                 if t in resources.places and resources.places[t][0].kind == "country"
                 and not any(a <= s and e <= b and not (a == s and b == e) for a, b, _ in org_spans)}
    out: list[PlaceMention] = []
    for s, e, surface in sorted(spans):
        if not (start <= s < end) or surface.casefold() in not_places \
                or _nationality(surface, resources):
            continue
        rows = lookup(resources.places, surface) or resources.places.get(surface.title())
        before = text[max(0, s - 40):s]
        after = text[e:e + 40]
        if rows is None and (s, e, surface) in admin:  # "Dornogovi province", "région de Kayes"
            first = surface.split()[0].casefold()
            bare = re.sub(r"\s+\S+$", "", surface) if " " in surface else surface
            if first in stop_words or first in number_words or (
                    bare != surface and any(x[2] == bare for x in spans if x not in admin)):
                continue  # "The region", "Eighty-six districts", or a place already named on its own
            place = Place(surface, "region", "", None, None, 0, surface)
            source = "admin"
            city_row = None
        elif rows is None:  # a model entity not in the gazetteer: keep clear locatives and list members
            surface = grammar.leading_article.sub("", surface)
            listed = grammar.listed_before.search(before) and any(o.end >= s - 6 for o in out[-1:])
            if not (grammar.entity_locative.search(before) or listed) or heads.search(surface) \
                    or not surface[:1].isupper() or len(surface.split()) > 3 or "\n" in surface:
                continue
            place = Place(surface, "city", "", None, None, 0, surface)
            source = "model"
            city_row = place
        else:
            named_after = _country_after(after, resources)  # "Bridgetown, Barbados": that country's Bridgetown
            place = _choose(rows, {named_after} if named_after in {r.country for r in rows} else countries)
            source = "gazetteer"
            cities = [r for r in rows if r.kind == "city"]
            city_row = next((r for r in cities if r.country == named_after), None) \
                or next((r for r in cities if r.country in countries), cities[0] if cities else None)
            if place.kind == "city" and city_row is not None:
                place = city_row
        in_venue = bool(venue_of.search(before))  # "au Bénin Royal Hôtel de Cotonou": the venue is in Cotonou
        if not in_venue and (any(a <= s and e <= b and not (b == e and a == s) for a, b, _ in org_spans)
                             or any(a <= s and e <= b for a, b, _ in org_spans if a == s and b == e and _)):
            continue  # fused into an organisation's name
        if any(a <= s < b for a, b in actor_spans):
            continue  # a country named as a funder or an actor
        if grammar.job_title.search(before):
            continue
        if grammar.org_of.search(before) and any(h.group()[:1].isupper() for h in heads.finditer(before[-30:])) \
                and not grammar.located.search(before[-12:]) and not venue_of.search(before):
            continue  # "Supreme Court of Uzbekistan", "Government of Japan" (but "Hôtel de Cotonou" is in Cotonou)
        if re.match(r"\s*(?:[A-Z][\w'’-]*\s+)*?(?:" + heads.pattern + r")", after) and \
                re.match(r"\s+[A-Z]", after) and heads.match(after.strip().split(" ")[0] if after.strip() else ""):
            continue  # "Koya University", "Dhaka Ahsania Mission"
        if re.match(r"[’']s?\s", after) and heads.search(after[:30]) and place.kind != "country":
            continue
        if place.kind == "city":
            if any(a <= s < b for a, b in persons) and place.population < 100_000 and not locative.search(before):
                continue
            if surface.casefold() in stop_words:
                continue
            supported = (
                source == "model" or place.population >= 100_000 or locative.search(before)
                or "\n" not in text[:s]  # named in the title
                or any(a <= s < b for a, b in model_places)
                or grammar.listed_before.search(before) and any(o.end >= s - 6 for o in out[-1:])
                or grammar.listed_after.match(after) and grammar.listed_after_name.match(after)
                and grammar.listed_after_name.match(after).group(1) in resources.places
                or any(a <= s < b for a, b in head_spans)
            )
            if not supported:
                continue
        if grammar.venue_after.match(after):
            continue  # "the Saint-Michel hospital", "the Bamako Hotel": the name of a venue
        if place.kind != "country" and _inside_longer_name(before, after, resources.places, grammar):
            continue  # "Kamel Samir", "Tal Afar", "Weather Coast": part of a longer proper name
        if place.kind == "country" or place.kind == "region" and (city_row is None or city_row.country != place.country):
            city_row = None  # a district that shares its name with its town ("Jashore") can still be the event's town
        out.append(PlaceMention(s, e, text[s:e], place, source, city_row))
    return out


def _settlement_words(lexicon: dict) -> str:
    """The lexicon's settlement words ("town of", "la commune de") as one alternation, any spaces inside."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in lexicon["settlement_words"])


def _settlement(lexicon: dict) -> str:
    """An optional "the town of ", "the lakeside town of ", "la commune de " between a preposition and a
    town's name (a lower-case word may qualify the settlement)."""
    words = _settlement_words(lexicon)
    return r"(?:" + _articles(lexicon["settlement_articles"]) + r"(?:[a-zà-ÿ][\w-]*\s+)?(?:" + words + r")\s+)?" \
        if words else ""


def _venue_of(lexicon: dict) -> re.Pattern:
    """Text ending in a venue word and "de" ("Hôtel de ", "Palais des congrès de"): the place after it locates the venue."""
    if not lexicon["venue_heads"] or not lexicon["venue_of_words"]:
        return re.compile(r"(?!)")
    heads = "|".join(map(re.escape, lexicon["venue_heads"]))
    return re.compile(r"(?i)\b(?:" + heads + r")\b[^.,;]{0,30}?\s" + _quotes(any_of(lexicon["venue_of_words"])) + r"\s*$")


@lru_cache(maxsize=8)
def _area_name(non_starters: tuple[str, ...]) -> str:
    """A named area: one to three capitalised words, not opening with an article or a preposition
    (the capital is checked first: most positions fail there, before the list of words is tried)."""
    return r"(?=[A-ZÀ-Þ])(?!" + any_of(non_starters) + r"\b)[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+){0,2}"


@lru_cache(maxsize=8)
def _admin_patterns(suffixes: tuple[str, ...], titled: tuple[str, ...], prefixes: tuple[str, ...],
                    non_starters: tuple[str, ...], joiners: tuple[str, ...], articles: tuple[str, ...]):
    """The area patterns of a lexicon: "<names> province(s)", "province of <names>", and one name."""
    name = _area_name(non_starters)
    listed = rf"{name}(?:,\s*{name})*(?:,?\s+{any_of(joiners)}\s+{name})?"
    suffix = prefix = None
    if suffixes:
        words = "|".join(re.escape(w) + "s?" for w in suffixes)
        titled_words = "|".join(re.escape(w.title()) + "s?" for w in titled)
        suffix = re.compile(rf"\b({listed})\s+(?:{words}|{titled_words})\b")
    if prefixes:
        prefix = re.compile(rf"(?i:\b(?:{phrase_tree(prefixes, fold=True, exact_spaces=True)}))\s+"
                            rf"{_articles(list(articles))}({listed})")
    return suffix, prefix, re.compile(name)


def _admin_areas(text: str, lexicon: dict, start: int, end: int):
    """Named areas the gazetteer may lack: "Dornogovi province", "the districts of Kono, Port Loko and Bombali",
    "Darkhan-Uul, Orkhon and Khovd aimags", "région de Kayes"."""
    suffix, prefix, area_name = _admin_patterns(
        tuple(lexicon["admin_suffix"]), tuple(lexicon["admin_suffix_titled"]), tuple(lexicon["admin_prefix"]),
        tuple(lexicon["area_name_non_starters"]), tuple(lexicon["list_joiners"]), tuple(lexicon["area_articles"]))
    if suffix is not None:
        for m in suffix.finditer(text, start, end):
            parts = list(area_name.finditer(m.group(1)))
            if len(parts) == 1 or not m.group().endswith("s"):
                last = parts[-1]  # "Dornogovi province"; "Manyani, Taita-Taveta County": only the last is the county
                yield m.start(1) + last.start(), m.end(), text[m.start(1) + last.start():m.end()]
            else:  # "Darkhan-Uul, Orkhon and Khovd aimags"
                for p in parts:
                    yield m.start(1) + p.start(), m.start(1) + p.end(), p.group()
    if prefix is not None:
        for m in prefix.finditer(text, start, end):
            for p in area_name.finditer(m.group(1)):
                yield m.start(1) + p.start(), m.start(1) + p.end(), p.group()


def _nationality(surface: str, resources: Resources) -> bool:
    """"Lao", "Somali": a people's name (unless it is also the country's own name, like "Myanmar")."""
    rows = resources.places.get(surface)
    return surface in resources.demonyms and not (rows and rows[0].kind == "country")


def _inside_longer_name(before: str, after: str, places: dict, grammar: PlaceGrammar) -> bool:
    """True when a capitalised word the gazetteer does not know sits right before or after the match."""
    if grammar.name_particle.match(after):
        return True  # "Plaza del Estudiante", "Praia do Forte": a name the gazetteer would have matched whole
    nxt = re.match(r"[ -]([A-ZÀ-Þ][\w'’-]*)", after)
    if nxt and not grammar.non_follower.match(after) and nxt.group(1) not in places:
        return True
    prev = re.search(r"\b([A-ZÀ-Þ][^\W\d_]+)[ -]\Z", before)
    return bool(prev and not grammar.non_preceder.search(before) and prev.group(1) not in places)


def location_entities(mentions: list[PlaceMention], *, grammar: PlaceGrammar) -> list[Candidate]:
    """One entity per distinct place, named as the item first writes it."""
    seen: dict[str, Candidate] = {}
    for m in mentions:
        key = m.place.key if m.place.kind != "country" else f"country:{m.place.country}"
        if key in seen:
            continue
        name = m.surface if not m.surface.isupper() or len(m.surface) <= 3 else m.place.canonical
        name = grammar.leading_article.sub("", name)
        entity = Entity(name=name, country=m.place.country or None, lat=m.place.lat, lon=m.place.lon,
                        kind=m.place.kind)
        rule = "places.gazetteer." + m.place.kind if m.source == "gazetteer" else "places.model_entity"
        seen[key] = Candidate(entity, (Evidence(m.surface, m.start, m.end, rule),), 1.0)
    return list(seen.values())


def city_name(mention: PlaceMention, *, prefer_surface: bool) -> str:
    """The city as the item spells it (English items), else the gazetteer's English name."""
    canonical = mention.city.canonical
    surface = mention.surface.title() if mention.surface.isupper() else mention.surface
    if fold(surface) == fold(canonical) or not prefer_surface:
        return canonical
    return surface


def _planned_clause(text: str, sent_s: int, s: int, grammar: PlaceGrammar) -> bool:
    """The clause before a place is about what is to come ("would be held in Kisumu"), unless the future
    word follows a relative pronoun ("people who will run shelters completed a training in Montego Bay")."""
    cue = grammar.planned.search(text, sent_s, s)
    return bool(cue) and not grammar.relative.search(text, max(sent_s, cue.start(1) - 8), cue.start(1))


# The rules' weight of each sign that a town is the event's; their sum ranks the towns the item names.
# The picker (picker.py) reads the same signs as features and fits its own weights.
CITY_SIGNS = {
    "head": 4.5,  # the dateline's town, unless the body says the event was elsewhere
    "date_line": 4.0,  # a date line above the body names where the item was published: a little weaker
    "locative": 1.0,  # "in X", "at the ... of X"
    "locative_event": 2.0,  # ... in a sentence about an event
    "held_in": 3.0,  # "held in X", "a workshop in X": the body names the venue's town
    "origin": -1.5,  # "from X"
    "seat": -3.0,  # "based in X", "headquartered in X"
    "past": -2.0,  # a sentence about an earlier event
    "planned": -3.0,  # "a second session is planned in Mopti", "se tiendra à Thiès": a later event
    "event_date": 1.0,  # named with the event's date (a dateline shares the lede's sentence by accident)
    "title": 1.0,  # the title names the place
    "earlier_year": -3.0,  # "The first course, run in 2007 in Port of Spain"
    "unnamed_country": -1.5,  # a town of that name in a country the item never mentions
    "lede": 1.0,  # the lede names where it happened
    "title_again": 1.0,  # and the title names the same town
}
RANK_COST = 0.05  # of two towns with the same signs, the first named wins
CITY_FLOOR = 1.0  # below this sum, the rules name no town


@dataclass(frozen=True)
class TownCandidate:
    """One town the item names, as the event's town would be in the record, with the picker's features."""

    name: str
    country: str | None
    evidence: Evidence
    features: dict[str, float]

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "evidence": self.evidence.to_dict(),
                "features": self.features}


def _signs(text: str, m: PlaceMention, sentences: Sentences, ctx: dict) -> list[str]:
    """The signs (keys of CITY_SIGNS) that ``m`` is the town of the main event."""
    grammar = ctx["grammar"]
    s, e = m.start, m.end
    in_head = any(a <= s and e <= b for a, b in ctx["head_spans"])
    sent_s, sent_e = sentences.around(s)
    sentence = text[sent_s:sent_e]
    before = text[max(sent_s, s - 30):s]
    date_line = ctx["date_line"]
    signs = []
    if in_head:
        signs.append("date_line" if date_line and date_line[0] <= s < date_line[1] else "head")
    in_venue = bool(grammar.venue_of.search(text[max(sent_s, s - 60):s]))
    locative = in_venue or bool(grammar.at_town.search(before))
    if locative:
        signs.append("locative")
        if ctx["events"].search(sentence) or ctx["verbs"].search(sentence):
            signs.append("locative_event")
        lead = text[max(sent_s, s - 90):s]
        if grammar.held.search(lead) or grammar.event_in.search(lead):
            signs.append("held_in")
    if not in_venue and grammar.origin.search(before) and not grammar.settled.search(before):
        signs.append("origin")
    if grammar.seat.search(before):
        signs.append("seat")
    if ctx["past"].search(sentence):
        signs.append("past")
    if not in_head and (ctx["future"].search(sentence) or _planned_clause(text, sent_s, s, grammar)):
        signs.append("planned")
    offset = ctx["event_offset"]
    if offset is not None and sent_s <= offset < sent_e and not in_head:
        signs.append("event_date")
    if "\n" not in text[:s]:
        signs.append("title")
    year = ctx["event_year"]
    if year and any(int(y) < year for y in re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", sentence)):
        signs.append("earlier_year")
    if m.city.country and ctx["named_countries"] and m.city.country not in ctx["named_countries"]:
        signs.append("unnamed_country")
    lede = ctx["lede"]
    if locative and lede is not None and sentences.index(s) in (lede, lede + 1):
        signs.append("lede")
    if locative and not in_head and m.city.key in ctx["title_cities"]:
        signs.append("title_again")
    return signs


def event_place(text: str, mentions: list[PlaceMention], sentences: Sentences, lexicon: dict, *,
                grammar: PlaceGrammar, head_spans: list[tuple[int, int]], event_offset: int | None, prefer_surface: bool = True,
                body_start: int | None = None, event_year: int | None = None,
                date_line: tuple[int, int] | None = None
                ) -> tuple[Candidate | None, Candidate | None, list[TownCandidate]]:
    """The city and country of the main event (both None for an online event), and every town named
    as a candidate for the picker."""
    events = phrase_pattern(lexicon["event_nouns"])
    ctx = {"grammar": grammar, "head_spans": head_spans, "date_line": date_line, "events": events,
           "verbs": phrase_pattern(lexicon["event_verbs"]), "past": phrase_pattern(lexicon["past_event_cues"]),
           "future": phrase_pattern(lexicon["future_cues"]), "event_offset": event_offset, "event_year": event_year,
           "named_countries": {m.place.country for m in mentions if m.place.kind == "country"},
           "lede": sentences.index(body_start) if body_start is not None else None,
           "title_cities": {m.city.key for m in mentions if m.city is not None and "\n" not in text[:m.start]}}
    scored = []
    country_votes: dict[str, float] = {}
    for rank, m in enumerate(mentions):
        if m.place.country:
            in_head = any(a <= m.start and m.end <= b for a, b in head_spans)
            country_votes[m.place.country] = country_votes.get(m.place.country, 0) + (3 if in_head else 1)
        if m.city is None:
            continue
        signs = _signs(text, m, sentences, ctx)
        scored.append((sum(CITY_SIGNS[x] for x in signs) - RANK_COST * rank, m, signs))
    voted = max(country_votes, key=country_votes.get) if country_votes else None
    city = None
    if scored:
        score, best, _ = max(scored, key=lambda t: t[0])
        if score >= CITY_FLOOR:
            city = best
    towns = _town_candidates(scored, city, voted, prefer_surface)
    if city is not None:
        ev = (Evidence(city.surface, city.start, city.end, "places.event_city"),)
        country = city.city.country or voted
        return (Candidate(city_name(city, prefer_surface=prefer_surface), ev, 1.0),
                Candidate(country, ev, 1.0) if country else None, towns)
    head_countries = [m for m in mentions if any(a <= m.start and m.end <= b for a, b in head_spans) and m.place.country]
    pick = head_countries[0] if head_countries else None
    if pick is None:
        located = [m for m in mentions if m.place.country and grammar.in_country.search(
            text[max(0, m.start - 12):m.start])
            and (events.search(text[slice(*sentences.around(m.start))]))]
        pick = located[0] if located else None
    if pick is None:
        return None, None, towns
    ev = (Evidence(pick.surface, pick.start, pick.end, "places.event_country"),)
    return None, Candidate(pick.place.country, ev, 0.5), towns


def _bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


def _town_candidates(scored: list[tuple[float, PlaceMention, list[str]]], chosen: PlaceMention | None,
                     voted: str | None, prefer_surface: bool) -> list[TownCandidate]:
    """One candidate per town (its mentions grouped), in the order the item first names them: the signs
    any mention shows, the rules' best sum and rank, how often and where the town is named."""
    groups: dict[str, list[tuple[float, PlaceMention, list[str]]]] = {}
    for row in scored:
        groups.setdefault(row[1].city.key, []).append(row)
    best = {key: max(rows, key=lambda r: r[0]) for key, rows in groups.items()}
    order = sorted(best, key=lambda k: -best[k][0])
    in_title = {key for key, rows in groups.items() if any("title" in r[2] for r in rows)}
    out = []
    for key, rows in groups.items():
        score, m, _ = best[key]
        feats: dict[str, float] = {"sign=" + x: 1.0 for _, _, signs in rows for x in signs}
        feats["rules_rank=" + _bucket(order.index(key), 3)] = 1.0
        feats["rules_sum"] = round(max(-1.0, min(score, 10.0)) / 10, 4)
        feats["named=" + _bucket(len(rows), 4)] = 1.0
        in_body = [r for r in rows if not {"head", "date_line", "title"} & set(r[2])]
        feats["in_body=" + _bucket(len(in_body), 3)] = 1.0
        if not in_body:
            feats["head_only"] = 1.0
        if in_title - {key}:
            feats["other_town_in_title"] = 1.0
        feats["kind=" + m.city.kind] = 1.0
        if chosen is not None and chosen.city.key == key:
            feats["chosen"] = 1.0
        name = city_name(m, prefer_surface=prefer_surface)
        out.append(TownCandidate(name, m.city.country or voted, Evidence(m.surface, m.start, m.end, "places.event_city"),
                                 dict(sorted(feats.items()))))
    return out
