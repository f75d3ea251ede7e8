"""Participant counts: a number attached to a participant noun, near an attendance cue.

Handles number words, parenthesised digits, vague quantifiers ("some 40"),
sums of listed parts ("15 judges and 10 prosecutors") and female/male splits.
Budgets, years, percentages, ages and "COVID-19" are never counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Candidate, Evidence
from .numbers import NumberGrammar, NumberMention
from .text import Sentences, any_of, any_phrase, clause_opened_by, phrase_pattern

MAX_COUNT = 100_000
MIN_SCORE = 0.5
NOUN_WINDOW = 60  # characters after the number in which the participant noun must start


class CountGrammar:
    """The regexes of one language that tell a count from other numbers, compiled once from its
    lexicon (``assemble.Grammars``): the words come from the lexicon, the shape stays here."""

    def __init__(self, lexicon: dict):
        # "Forty-eight rangers took part": a lower-case plural word right after the number
        endings = lexicon["past_participle_endings"]
        followers = ([f"[a-z]+{any_of(endings)}"] if endings else []) + [any_of(lexicon["plural_noun_followers"]), ","]
        self.plural = re.compile(r"\s+(?:[a-z-]+\s+){0,3}?(?P<n>[a-zà-ÿ]{3,}[sx])\b(?=\s+(?:"
                                 + "|".join(followers) + r")\b|,|\s+[–—])")  # "36 operators – eleven of them women –"
        self.prefix_blocker = re.compile(r"(?i)" + any_of(lexicon["count_prefix_blockers"]) + r"\s*-?\s*$")
        self.age = re.compile(r"(?i)\b" + any_of(lexicon["age_cues"]) + r"\s+(?:\d+\s*(?:-|–|"
                              + any_phrase(lexicon["age_range_joiners"]) + r")\s*)?$")
        self.unit_after = re.compile(r"\s*(?:%|" + any_of(lexicon["percent_words"]) + r"|-?\s*"
                                     + any_of(lexicon["duration_units"]) + r"s?\b)", re.I)
        conjunction = r"\s*(?:&|" + any_phrase(lexicon["conjunctions"]) + r")\s+"
        self.joined = re.compile(conjunction + r"(?:[^\W\d_-]+\s+)?[^\W\d_]+")  # "women and men"
        self.joined_tail = re.compile(conjunction + r"(?:[^\W\d_]+\s+)?[^\W\d_]+")
        self.of_whom = re.compile(r"\s+" + any_of(lexicon["of_whom_links"]) + r"\s+" + any_of(lexicon["of_whom_pronouns"])
                                  + r"\b[^.;]{0,40}?\b" + any_of(lexicon["of_whom_verbs"]) + r"\s+([^\W\d_]+)")
        self.list_part = re.compile(r"(?i)\b" + any_of(lexicon["list_part_cues"]) + r"\s+$")
        self.sum_breaker = re.compile(r"\b" + any_of(lexicon["sum_breakers"]) + r"\b", re.I)
        self.part_joiner = re.compile(r",|\b" + any_of(lexicon["part_joiners"]) + r"\b")
        self.ends_in_joiner = re.compile(r"(?:\b" + any_of(lexicon["part_joiners"]) + r"|,)\s+$")
        self.rate = re.compile(r"\s+" + any_of(lexicon["rate_words"]) + r"\b", re.I)
        self.led_by = re.compile(r"(?i)\b" + any_of(lexicon["led_by_cues"]) + r"\s+$")
        # "would train 60 technicians", "prévoit de former 120 agents": the clause before the count is about the future
        self.backref = re.compile(r"(?i)(?<![\w'’])" + any_of(lexicon["group_backrefs"]) + r"(?![\w'’])")
        self.gender_adjective = re.compile(r"(?i)" + any_of(lexicon["gender_adjectives"]))
        self.planned = clause_opened_by(lexicon["planned_cues"])
        # "120 enseignants seraient formés dans les prochains mois": the same, said after the count
        self.planned_after = re.compile(r"(?i)[^,;:.()]*?\b" + any_of(lexicon["planned_cues"]) + r"\b")


@dataclass(frozen=True)
class Counted:
    number: NumberMention
    noun_end: int
    gender: str | None  # "female", "male" or None
    weak: bool = False  # the noun is only "a plural word after the number", not a known participant noun


def _attached(text: str, number: NumberMention, grammar: CountGrammar, nouns: re.Pattern, female: re.Pattern,
              male: re.Pattern, blockers: re.Pattern, number_words: re.Pattern | None = None) -> Counted | None:
    """The number followed (within a few words) by a participant noun, and no blocker first."""
    after = text[number.end:number.end + NOUN_WINDOW]
    if _not_a_count(text, number, grammar):
        return None
    head = re.match(r"[^.;:()\n]*", after).group(0)
    block = blockers.search(head)
    noun = nouns.search(head)
    plural = grammar.plural.match(head)
    if plural and not blockers.match(head.lstrip()) and (not noun or noun.start() > plural.end()):
        noun = plural  # "Forty-eight rangers": the plural noun right after the number
        weak = True
    else:
        weak = False
    if not noun or (block and block.start() <= noun.start()):
        return None
    if len(re.findall(r"\w+", head[:noun.start()])) > 6:
        return None
    gender = None
    rest = head[noun.end():]
    if grammar.rate.match(rest):
        return None  # "deux agents par commune", "two officers per district": a rate, not a group
    joined = grammar.joined.match(rest)
    mixed = bool(joined and (female.search(joined.group()) or male.search(joined.group()))
                 and not (number_words and number_words.search(joined.group())))
    of_whom = grammar.of_whom.match(head)
    if of_whom and (female.fullmatch(of_whom.group(1)) or male.fullmatch(of_whom.group(1))):
        # "Eleven of the trainees were women"
        gender = "female" if female.fullmatch(of_whom.group(1)) else "male"
        return Counted(number, number.end + of_whom.end(), gender, False)
    if mixed:
        pass  # "young women and men": a mixed group, no split
    elif female.match(head[noun.start():]) and (not nouns.match(head[noun.end():].lstrip())
                                                 or grammar.gender_adjective.fullmatch(noun.group().strip())):
        gender = "female"
    elif male.match(head[noun.start():]) and (not nouns.match(head[noun.end():].lstrip())
                                               or grammar.gender_adjective.fullmatch(noun.group().strip())):
        gender = "male"  # "twelve male journalists": the adjective keeps the split
    return Counted(number, number.end + noun.end(), gender, weak)


@dataclass(frozen=True)
class CountCandidate:
    """One sentence's count, as the record would hold it (with its split), and the picker's features."""

    value: int
    evidence: Evidence
    female: Candidate | None
    male: Candidate | None
    features: dict[str, float]

    def to_dict(self) -> dict:
        split = {g: {"value": c.value, "evidence": c.evidence[0].to_dict()} if c else None
                 for g, c in (("female", self.female), ("male", self.male))}
        return {"value": self.value, "evidence": self.evidence.to_dict(), **split, "features": self.features}


def participants(doc_text: str, numbers: list[NumberMention], sentences: Sentences, lexicon: dict, *,
                 grammar: CountGrammar, excluded: list[tuple[int, int]], start: int, end: int,
                 event_year: int | None = None, lede: int | None = None, doc=None
                 ) -> tuple[dict[str, Candidate], list[CountCandidate]]:
    """Candidates for participant_count, participants_female and participants_male (``doc``, parsed,
    adds the counts the parse ties to an attendance verb whatever their noun), and every sentence's
    count as a candidate for the picker, with the signs the rules weigh."""
    nouns = phrase_pattern(lexicon["participant_nouns"])
    female = phrase_pattern(lexicon["female_nouns"])
    male = phrase_pattern(lexicon["male_nouns"])
    blockers = phrase_pattern(lexicon["count_blockers"])
    attend = phrase_pattern(lexicon["attendance_verbs"])
    events = phrase_pattern(lexicon["event_nouns"])
    past = phrase_pattern(lexicon["past_event_cues"])
    future = phrase_pattern(lexicon["future_cues"])
    vague = phrase_pattern(lexicon["vague_quantifiers"])
    expected = phrase_pattern(lexicon["expected_cues"])
    staff = phrase_pattern(lexicon["staff_nouns"])
    number_words = phrase_pattern(list(lexicon["number_words"]))
    all_female = phrase_pattern(lexicon["all_female_cues"])
    background = background_boxes(doc_text, lexicon["background_headings"])
    unsized = phrase_pattern(lexicon["unsized_determiners"])
    verbs = AttendanceVerbs.of(lexicon)

    counted: list[Counted] = []
    for number in numbers:
        if not (start <= number.start < end) or number.value <= 1 or number.value > MAX_COUNT:
            continue
        if any(a <= number.start < b for a, b in [*excluded, *background]):
            continue
        hit = _attached(doc_text, number, grammar, nouns, female, male, blockers, number_words)
        if hit is None and not _not_a_count(doc_text, number, grammar):
            hit = _attached_by_parse(doc, number, verbs, blockers)
        if hit and not _trainers(doc_text, hit, staff, grammar):
            counted.append(hit)

    by_sentence: dict[tuple[int, int], list[Counted]] = {}
    for c in counted:
        by_sentence.setdefault(sentences.around(c.number.start), []).append(c)

    best: tuple[float, Candidate] | None = None
    female_c = male_c = None
    split_by_value: dict[int, tuple[Candidate | None, Candidate | None]] = {}
    proposed: list[tuple[float, Candidate, tuple, list[str]]] = []  # every sentence's count, its split and signs
    for rank, ((s, e), group) in enumerate(sorted(by_sentence.items())):
        sentence = doc_text[s:e]
        if not attend.search(sentence):
            # a plain plural counts only with a verb of attending, or when a split of it follows
            # ("Thirty-five artisans, twenty-seven of them women, are spending ten days ...")
            group = [c for c in group if not c.weak or any(
                o.gender and 0 <= o.number.start - c.noun_end <= 4 for o in group)]
            if not group:
                continue
        score = 1.0
        signs = [x for x, on in (("attend", attend.search(sentence)), ("event", events.search(sentence)),
                                 ("past", past.search(sentence)),
                                 ("future", future.search(sentence) and not attend.search(sentence))) if on]
        score += 2.0 if attend.search(sentence) else 0.0
        score += 1.0 if events.search(sentence) else 0.0
        score -= 2.5 if past.search(sentence) else 0.0
        score -= 1.0 if future.search(sentence) and not attend.search(sentence) else 0.0
        score -= 0.1 * rank
        if event_year and any(int(y) < event_year for y in re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", sentence)):
            score -= 4.0  # "The first conference, held in 2017, was attended by 85 officers"
            signs.append("earlier_year")
        totals = [c for c in group if c.gender is None]
        actual = [c for c in totals if not _is_expected(doc_text, c, expected)]
        if actual and len(actual) < len(totals):
            totals = actual  # "had expected 150 officers, but 120 took part": the actual number wins
        elif totals and not actual:
            score -= 0.5  # only an expected number here: an actual attendance in another sentence wins
            signs.append("expected_only")
        if actual and (grammar.planned.search(doc_text, s, actual[0].number.start)
                       or grammar.planned_after.match(doc_text, actual[0].noun_end, e)):
            score -= 3.0  # a group to be trained later, not this event's attendance
            signs.append("planned")
        if lede is not None and sentences.index(s) <= lede and actual:
            score += 2.0  # the lede's count ("Twenty-two journalists spent two days in ...")
            signs.append("lede")
        genders = [c for c in group if c.gender]
        if totals and grammar.list_part.search(doc_text[max(s, totals[0].number.start - 20):totals[0].number.start]):
            score -= 2.0  # "..., as well as two press officers": one group of a longer list, not the total
            signs.append("list_part")
        if totals and _joins_unsized_group(doc_text, s, totals[0], nouns, unsized, grammar):
            continue  # "des membres de deux ONG et sept médiateurs": one part of a group of unknown size
        if totals:
            first = totals[0]
            value = first.number.value
            parts = [first]
            # a list of parts with no stated total: "15 judges and 10 prosecutors"
            for nxt in totals[1:]:
                gap = doc_text[parts[-1].noun_end:nxt.number.start]
                if len(gap) < 130 and grammar.part_joiner.search(gap) and not attend.search(gap) \
                        and not grammar.sum_breaker.search(gap) \
                        and not vague.search(doc_text[max(s, nxt.number.start - 14):nxt.number.start]):
                    value += nxt.number.value
                    parts.append(nxt)
                else:
                    break
            if value > 5000:
                score -= 3.0
                signs.append("huge")
            s0, e0 = first.number.start, parts[-1].noun_end
            rule = "participants.sum_of_parts" if len(parts) > 1 else "participants.count_before_noun"
            cand = Candidate(value, (Evidence(doc_text[s0:e0], s0, e0, rule),), score)
        elif genders:
            value = sum(c.number.value for c in genders)
            s0, e0 = genders[0].number.start, genders[-1].noun_end
            if len(genders) == 1:
                score -= 0.5
                signs.append("one_gender")
            cand = Candidate(value, (Evidence(doc_text[s0:e0], s0, e0, "participants.sum_of_genders"),), score)
        else:
            continue
        split = tuple(_gender_candidate(doc_text, [c for c in genders if c.gender == g], f"participants.{g}")
                      for g in ("female", "male"))
        if genders:
            split_by_value.setdefault(cand.value, split)  # the same group counted again, with its split
        if not genders and totals:
            noun_text = doc_text[totals[0].number.end:totals[0].noun_end]
            tail = doc_text[totals[0].noun_end:totals[0].noun_end + 20]
            if female.search(noun_text) and not male.search(noun_text) and not grammar.joined_tail.match(tail):
                split = (Candidate(cand.value, cand.evidence, score), None)  # "24 women journalists"
        if any(c.number.value != cand.value for c in genders) or genders and not totals:
            signs.append("split")
        proposed.append((score, cand, split, signs))
        if best is None or score > best[0]:
            best = (score, cand)
            female_c, male_c = split
            if not genders and totals:
                noun_text = doc_text[totals[0].number.end:totals[0].noun_end]
                tail = doc_text[totals[0].noun_end:totals[0].noun_end + 20]
                if female.search(noun_text) and not male.search(noun_text) and not grammar.joined_tail.match(tail):
                    female_c = Candidate(cand.value, cand.evidence, score)
    if best and female_c is None and male_c is None and best[1].value in split_by_value:
        female_c, male_c = split_by_value[best[1].value]  # "Twenty-four managers ... The 24 participants – 15 women"
    if best and female_c is None and male_c is None:
        female_c, male_c = _split_nearby(doc_text, best[1], counted, sentences, all_female, grammar.backref)
    out: dict[str, Candidate] = {}
    if best and best[0] >= MIN_SCORE:
        out["participant_count"] = best[1]
        if female_c:
            out["participants_female"] = female_c
        if male_c:
            out["participants_male"] = male_c
    chosen = best[1] if best and best[0] >= MIN_SCORE else None
    return out, _count_candidates(proposed, chosen, (female_c, male_c), split_by_value)


def _count_candidates(proposed: list, chosen: Candidate | None, chosen_split: tuple,
                      split_by_value: dict) -> list[CountCandidate]:
    """The picker's view of every sentence's count: the signs the rules weigh, their sum and rank,
    the rules' own choice, the count's rule and size, and whether it comes with a split."""
    order = sorted(range(len(proposed)), key=lambda i: -proposed[i][0])
    out = []
    for i, (score, cand, split, signs) in enumerate(proposed):
        mine = cand is chosen
        female, male = chosen_split if mine else (split if any(split) else split_by_value.get(cand.value, (None, None)))
        feats = {"sign=" + x: 1.0 for x in signs}
        feats["rule=" + cand.evidence[0].rule] = 1.0
        feats["rules_rank=" + str(min(order.index(i), 3))] = 1.0
        feats["rules_sum"] = round(max(-2.0, min(score, 8.0)) / 8, 4)
        feats["size=" + str(min(len(str(cand.value)), 4))] = 1.0
        if female or male:
            feats["has_split"] = 1.0
        if mine:
            feats["chosen"] = 1.0
        out.append(CountCandidate(cand.value, cand.evidence[0], female, male, dict(sorted(feats.items()))))
    return out


def _not_a_count(text: str, number: NumberMention, grammar: CountGrammar) -> bool:
    """A code, an age, a percentage or duration, or a year: never a count, whatever follows."""
    if grammar.prefix_blocker.search(text[max(0, number.start - 12):number.start]):
        return True  # "COVID-19", "USD 500", "Resolution 1325"
    if grammar.age.search(text[max(0, number.start - 24):number.start]):
        return True  # an age ("aged 18 to 25"), not a count
    if grammar.unit_after.match(text[number.end:number.end + NOUN_WINDOW]):
        return True  # a percentage or a duration
    return 1950 <= number.value <= 2100 and bool(re.fullmatch(r"\d{4}", text[number.start:number.end]))


def _attached_by_parse(doc, number: NumberMention, verbs: "AttendanceVerbs", blockers: re.Pattern) -> Counted | None:
    """A number the parse ties to a group that attends, whatever its noun: the number modifies the
    object of a verb that gathers people ("we trained forty-eight volunteer Care Group promoters and
    fourteen health surveillance assistants"; passive: "48 promoters were trained") or the subject of
    a verb that people do ("twelve Care Group promoters attended")."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(number.start, number.end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    if token.dep_ not in ("nummod", "amod", "det"):  # a number modifying a noun (French reads "vingt-deux" as amod)
        return None
    noun = group = token.head
    after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if blockers.search(noun.text) or (after is not None and after.lower_ in verbs.rates):
        return None  # "three mornings"; "two drivers per vehicle": a rate, not a group
    while group.dep_ == "conj" and group.head.i != group.i:
        group = group.head
    verb = group.head.lower_
    gathered = group.dep_ in ("dobj", "obj", "nsubjpass", "nsubj:pass") and verb in verbs.gathering
    attending = group.dep_ in ("nsubj",) and verb in verbs.attending
    return Counted(number, noun.idx + len(noun), None, False) if gathered or attending else None


@dataclass(frozen=True)
class AttendanceVerbs:
    """The lexicon's verbs whose object is the people gathered, those whose subject attends, and the
    words that make a number a rate."""

    gathering: frozenset[str]
    attending: frozenset[str]
    rates: frozenset[str]  # "per", "each": "two drivers per vehicle" is a rate

    @classmethod
    def of(cls, lexicon: dict) -> "AttendanceVerbs":
        return cls(*(frozenset(w.casefold() for w in lexicon[key])
                     for key in ("gathering_verbs", "attending_verbs", "rate_words")))


def _joins_unsized_group(text: str, sent_s: int, counted: Counted, nouns: re.Pattern, unsized: re.Pattern,
                         grammar: CountGrammar) -> bool:
    """The count is the second conjunct after a group with no number ("several judges and 10 prosecutors")."""
    before = text[sent_s:counted.number.start]
    if not grammar.ends_in_joiner.search(before):
        return False
    group = None
    for m in unsized.finditer(before):
        noun = nouns.match(before, m.end() + len(before[m.end():]) - len(before[m.end():].lstrip()))
        if noun:
            group = noun
    return group is not None and not re.search(r"[.;:!?]|\d", before[group.end():])


def background_boxes(text: str, headings: list[str]) -> list[tuple[int, int]]:
    """Spans of a box under a heading line of its own ("Repères", "Key facts"), down to the next blank line:
    figures about the programme's past, not the event's attendance."""
    if not headings:
        return []
    box = re.compile(r"(?im)^[ \t]*(?:" + any_phrase(headings) + r")[ \t]*:?[ \t]*\n(?:[ \t]*\S[^\n]*(?:\n|$))*")
    return [m.span() for m in box.finditer(text)]


def _split_nearby(text: str, total: Candidate, counted: list[Counted], sentences: Sentences,
                  all_female: re.Pattern, backref: re.Pattern) -> tuple[Candidate | None, Candidate | None]:
    """A female/male figure stated beside the total: "..., all of them women", or in the next sentence
    ("Eleven of the trainees were women", "Parmi ces participants figurent deux femmes"), or further on
    in a sentence that refers back to the group ("Among the trainees were 61 women")."""
    ev = total.evidence[0]
    s, e = sentences.around(ev.start)
    if all_female.search(text[ev.start:e]):
        return Candidate(total.value, total.evidence, 1.0), None
    index = sentences.index(ev.start)
    near = [c for c in counted if c.gender and index < sentences.index(c.number.start) <= index + 2]
    if not near:  # further on, only a split that refers back to the group: "Among the trainees were 61 women"
        near = [c for c in counted if c.gender and sentences.index(c.number.start) > index + 2
                and c.number.value < total.value and backref.search(text[slice(*sentences.around(c.number.start))])][:2]
    f = [c for c in near if c.gender == "female"][:1]
    m = [c for c in near if c.gender == "male"][:1]
    if sum(c.number.value for c in f + m) > total.value:
        return None, None
    return _gender_candidate(text, f, "participants.female_nearby"), _gender_candidate(text, m, "participants.male_nearby")


def _trainers(text: str, counted: Counted, staff: re.Pattern, grammar: CountGrammar) -> bool:
    """ "led by four trainers", "animées par quatre formateurs": the trainers, not the trainees."""
    noun = text[counted.number.end:counted.noun_end].split()
    return bool(noun and staff.fullmatch(noun[-1])
                and grammar.led_by.search(text[max(0, counted.number.start - 8):counted.number.start]))


def _is_expected(text: str, counted: Counted, expected: re.Pattern) -> bool:
    """An "expected" or "invited" number ("had expected 150 officers", "80 participants attendus")."""
    before = re.split(r"[.;!?]", text[max(0, counted.number.start - 25):counted.number.start])[-1]
    after = text[counted.noun_end:counted.noun_end + 20]
    return bool(expected.search(before) or expected.match(after.strip()))


def _gender_candidate(text: str, group: list[Counted], rule: str) -> Candidate | None:
    if not group:
        return None
    c = group[0]
    s, e = c.number.start, c.noun_end
    return Candidate(c.number.value, (Evidence(text[s:e], s, e, rule),), 1.0)
