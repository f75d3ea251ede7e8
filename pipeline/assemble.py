"""Candidates to one Record per item: runs the extractors on a parsed Doc and picks the main event."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .candidates import BodyCandidate, ContextWords, body_candidates
from .extract import actors as actors_mod
from .extract import dates as dates_mod
from .extract import participants as participants_mod
from .extract import places as places_mod
from .extract.names import NameGrammar, widen
from .extract.numbers import NumberGrammar
from .extract.text import Sentences, any_of, key_words, mentions_any, phrase_pattern
from .resources import Resources
from .types import Candidate, Evidence, NewsItem, Record


class Grammars:
    """Compiled patterns for one language, built once from its lexicon."""

    def __init__(self, language: str, resources: Resources):
        self.language = language
        self.lexicon = resources.lexicon(language)
        self.dates = dates_mod.DateGrammar(self.lexicon)
        self.numbers = NumberGrammar(self.lexicon)
        self.counts = participants_mod.CountGrammar(self.lexicon)
        self.places = places_mod.PlaceGrammar(self.lexicon)
        self.actors = actors_mod.ActorGrammar(self.lexicon, resources)
        self.context = ContextWords(self.lexicon)
        self.names = NameGrammar(self.lexicon, resources.places)
        self.online = phrase_pattern(self.lexicon["online_cues"])
        self.online_words = key_words(self.lexicon["online_cues"])
        self.future = phrase_pattern(self.lexicon["future_cues"])
        self.events = phrase_pattern(self.lexicon["event_nouns"] + self.lexicon["event_verbs"])
        lex = self.lexicon
        self.in_person = re.compile(r"(?i)\b" + any_of(lex["in_person_cues"]) + r"\b")
        # a few words before an online cue ("others joined online"), the words right after it ("online
        # participants", "online platform"): some took part online, or a thing is online, not the event
        self.joined_remotely = re.compile(r"(?i)\b" + any_of(lex["remote_join_cues"]) + r"\b(?:\s+[\w-]+){0,3}\s+$")
        self.remote_audience = re.compile(r"\s*" + any_of(lex["remote_audience_nouns"]))
        self.online_thing = re.compile(r"\s*" + any_of(lex["online_thing_nouns"]))
        self.planned = re.compile(r"(?i)\b" + any_of(lex["planned_cues"]) + r"\b")
        self.today = re.compile(r"(?i)\b" + any_of(lex["today_words"]) + r"\s*\(([^)]{6,30})\)")


def _met_in_person(text: str, sentences: Sentences, grammars: Grammars, start: int, end: int) -> bool:
    """A hybrid or in-person meeting, unless only a future one ("an in-person workshop is planned")."""
    for m in grammars.in_person.finditer(text, start, end):
        if not grammars.future.search(text[slice(*sentences.around(m.start()))]):
            return True
    return False


def _describes_a_thing(doc, grammars: Grammars, start: int, end: int) -> bool:
    """Whether the parse makes an online cue the modifier of a noun that is no event ("online sales",
    "online outlets"): a thing online, not an online event. Without a parse, nothing is known."""
    if doc is None or not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    return token.dep_ in ("amod", "compound") and token.head.i != token.i \
        and not grammars.events.fullmatch(token.head.text) and not grammars.events.fullmatch(token.head.lemma_ or "")


def _is_online(text: str, sentences: Sentences, grammars: Grammars, start: int, end: int, doc=None) -> Evidence | None:
    """An online cue right next to an event noun or verb ("virtual workshops", "met online"), in a
    sentence about what happened (not "a twelve-week online course will follow"), modifying no other
    noun ("online sales")."""
    if not mentions_any(text[start:end].casefold(), grammars.online_words):
        return None
    in_person = None  # asked once, at the first online cue next to an event word
    for m in grammars.online.finditer(text, start, end):
        window = text[max(0, m.start() - 40):m.end() + 30]
        near = [e for e in grammars.events.finditer(window)]
        if any(abs((e.start() + max(0, m.start() - 40)) - m.start()) <= 32 for e in near):
            after = text[m.end():m.end() + 40]
            before = text[max(0, m.start() - 30):m.start()]
            if in_person is None:
                in_person = _met_in_person(text, sentences, grammars, start, end)
            if in_person:
                return None  # some took part online, but the event had a venue
            if grammars.joined_remotely.search(before) or grammars.remote_audience.match(after):
                continue
            if grammars.planned.search(text[slice(*sentences.around(m.start()))]) \
                    or _describes_a_thing(doc, grammars, m.start(), m.end()):
                continue
            if not grammars.online_thing.match(after):
                return Evidence(m.group(), m.start(), m.end(), "places.online_event")
    return None


def _year_of(event_start: Candidate | None, publication: date | None) -> int | None:
    if event_start is not None:
        return int(str(event_start.value)[:4])
    return publication.year - 1 if publication else None  # an item may report last year's event


def assemble(doc, item: NewsItem, resources: Resources, grammars: Grammars, *, use_model: bool = True,
             publication: date | None = None) -> Record:
    """Run every extractor on one parsed item and choose each field's value."""
    # the string the Doc was made from (``doc.text`` would join every token again): the item's
    # text as matched, of the same length as the text as read, into which evidence points
    text = item.matched_text
    lex = grammars.lexicon
    start, end = 0, item.content_end or len(text)
    sentences = Sentences.from_doc(doc, text)
    head_spans = [s for s in (item.date_line, item.dateline) if s]
    record = Record(id=item.id, source=item.source, language=grammars.language, title=item.title,
                    content_hash=item.content_hash)
    evidence: dict[str, list[Evidence]] = {}

    def put(field: str, cand: Candidate | None) -> None:
        if cand is not None:
            setattr(record, field, cand.value)
            evidence[field] = list(cand.evidence)

    # dates
    ref_year = dates_mod.header_year(text, head_spans)
    head_mentions = []
    for s, e in head_spans:
        head_mentions += dates_mod.find_dates(text, grammars.dates, language=grammars.language,
                                              ref_year=ref_year, reference=None, start=s, end=e)
    pub = dates_mod.publication_date(item, head_mentions)
    if pub is None and item.publication_hint:
        hint = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(item.publication_hint))
        if hint and item.date_line:
            pub = Candidate(f"{hint.group(1)}-{hint.group(2)}-{hint.group(3)}",
                            (Evidence(text[slice(*item.date_line)], *item.date_line, "dates.publication.json_field"),))
    if pub is None and publication is not None:
        pub = Candidate(publication.isoformat(), (), 0.5)
    if pub is None:
        today = grammars.today.search(text)
        if today:
            found = dates_mod.find_dates(text, grammars.dates, language=grammars.language, ref_year=ref_year,
                                         reference=None, start=today.start(1), end=today.end(1))
            if found and found[0].has_year:
                s, e = found[0].span
                pub = Candidate(found[0].start.isoformat(), (Evidence(text[s:e], s, e, "dates.publication.today"),))
    put("publication_date", pub)
    pub_date = date.fromisoformat(pub.value) if pub else None
    ref_year = ref_year or (pub_date.year if pub_date else None)
    if ref_year is None:
        years = re.findall(r"\b(20\d\d|19[5-9]\d)\b", text[:end])
        # the most frequent year; a tie goes to the year written first (iterating a set of str
        # depended on the process's hash seed, so runs and worker processes disagreed)
        ref_year = int(max(years, key=years.count)) if years else None
    mentions = dates_mod.find_dates(text, grammars.dates, language=grammars.language, ref_year=ref_year,
                                    reference=pub_date, start=start, end=end)
    ev_start, ev_end = dates_mod.event_dates(item, mentions, sentences, lex, publication=pub_date,
                                             head_spans=head_spans)
    put("event_start", ev_start)
    put("event_end", ev_end)
    date_spans = [m.span for m in mentions] + head_spans

    # organisations first: places fused into their names are not places
    place_spans = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get("places", [])]
    model_orgs = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"] if use_model else []
    orgs, acronyms = actors_mod.org_mentions(text, grammars.actors, start=0, end=end,
                                             model_orgs=model_orgs)
    if use_model:
        orgs = widen(text, orgs, doc, grammars.names)
    country_spans = []
    for s, e, label in place_spans:
        if label == "country" and not any(o.start <= s < o.end for o in orgs):
            country_spans.append((s, e, resources.places[text[s:e]][0].canonical if text[s:e] in resources.places
                                  else text[s:e]))
    roles = [actors_mod.RoleSpan(s.root.idx, s.start_char, s.end_char, s.label_, s.id_)
             for s in doc.spans.get("role_candidates", [])]
    title = next(((d.start, d.end) for d in item.layout if d.part == "title"), None)
    # a person's full name (the small models read many one-word bodies as persons: "Internews", "Lantmäteriet")
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PERSON", "PER") and len(e) >= 2
               and all(t.is_alpha or t.text in ".'’" for t in e)] if use_model else []
    result = actors_mod.actors(text, orgs, sentences, grammars.actors, country_spans=country_spans,
                               start=item.body_start if item.body_start < end else 0, end=end, roles=roles,
                               title=title, persons=persons)
    organizers = actors_mod.merge(result.organizers, acronyms)
    funders = actors_mod.merge(result.funders, acronyms)
    funder_keys = {actors_mod.entity_key(c.value) for c in funders}
    organizers = [c for c in organizers if actors_mod.entity_key(c.value) not in funder_keys
                  or c.value.kind not in ("country", "donor")
                  or any(e.rule in ("organizers.cue_by", "organizers.subject_of_verb") for e in c.evidence)]
    if not organizers:  # no cue and no role names one: the body the item names most, if named again
        organizers = actors_mod.most_named(text, orgs, acronyms, exclude=funder_keys,
                                           start=item.body_start if item.body_start < end else 0, end=end)
    record.organizers = [c.value for c in organizers]
    record.funders = [c.value for c in funders]
    record.candidates = [BodyCandidate(c.entity, {r: as_read(e, item.text) for r, e in c.evidence.items()}, c.features)
                         for c in body_candidates(text, orgs, acronyms, proposed={"organizers": result.organizers,
                                                                                  "funders": result.funders},
                                                  chosen={"organizers": organizers, "funders": funders},
                                                  sentences=sentences, words=grammars.context, title=title,
                                                  body_start=item.body_start, end=end, language=grammars.language,
                                                  doc=doc if use_model else None)]
    evidence["organizers"] = [e for c in organizers for e in c.evidence[:1]]
    evidence["funders"] = [e for c in funders for e in c.evidence[:1]]

    # places
    org_spans = [(o.start, o.end, o.acronym is not None) for o in orgs if o.kind not in ("country", "model")]
    org_spans += [(o.start, o.end, True) for o in orgs if o.kind == "country" and
                  not resources.places.get(text[o.start:o.end])]
    mentions_p = places_mod.place_mentions(text, doc, resources, lex, grammar=grammars.places, org_spans=org_spans,
                                           actor_spans=result.actor_spans, start=0, end=end, use_model=use_model,
                                           head_spans=head_spans)
    locations = places_mod.location_entities(mentions_p, grammar=grammars.places)
    record.locations = [c.value for c in locations]
    evidence["locations"] = [c.evidence[0] for c in locations]
    online = _is_online(text, sentences, grammars, start, end, doc if use_model else None)
    if online:
        evidence["event_city"] = [online]
    else:
        event_offset = ev_start.evidence[0].start if ev_start and ev_start.evidence else None
        city, country, record.towns = places_mod.event_place(text, mentions_p, sentences, lex, grammar=grammars.places,
                                               head_spans=head_spans,
                                               event_offset=event_offset,
                                               prefer_surface=grammars.language == "en",
                                               body_start=item.body_start,
                                               event_year=int(ev_start.value[:4]) if ev_start else None,
                                               date_line=item.date_line)
        put("event_city", city)
        put("event_country", country)

    # participants
    numbers = grammars.numbers.find(text, start, end)
    counts, record.counts = participants_mod.participants(text, numbers, sentences, lex, grammar=grammars.counts,
                                                          excluded=date_spans,
                                                          start=item.body_start if item.body_start < end else 0,
                                                          end=end, event_year=_year_of(ev_start, pub_date),
                                                          lede=sentences.index(item.body_start),
                                                          doc=doc if use_model else None)
    for field, cand in counts.items():
        put(field, cand)
    if item.title:
        title = next(d for d in item.layout if d.part == "title")
        evidence["title"] = [Evidence(text[title.start:title.end], title.start, title.end, title.rule)]
    record.evidence = {field: [as_read(e, item.text) for e in spans] for field, spans in evidence.items()}
    record.towns = [replace(t, evidence=as_read(t.evidence, item.text)) for t in record.towns]
    record.counts = [replace(c, evidence=as_read(c.evidence, item.text), female=_read_split(c.female, item.text),
                             male=_read_split(c.male, item.text)) for c in record.counts]
    return record


def _read_split(part: Candidate | None, text: str) -> Candidate | None:
    return part and Candidate(part.value, tuple(as_read(e, text) for e in part.evidence), part.score)


def as_read(evidence: Evidence, text: str) -> Evidence:
    """Evidence quoting the text as read from the file (the matched text differs in quotes and spaces)."""
    quoted = text[evidence.start:evidence.end]
    return evidence if quoted == evidence.text else Evidence(quoted, evidence.start, evidence.end, evidence.rule)
