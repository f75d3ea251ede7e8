"""Date mentions: detection with patterns built from the lexicon, normalisation with dateparser.

``find_dates`` lists every day-precise date mention (single days, ranges,
relative days); ``publication_date`` and ``event_dates`` choose among them.
Month-only mentions ("in June 2015") are not day-precise and are never events.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..types import Candidate, Evidence, NewsItem
from .text import Sentences, key_words, mentions_any, phrase_pattern, phrase_tree

DAY = r"(?:[12]\d|3[01]|0?[1-9])"
YEAR = r"(?:19[5-9]\d|20\d\d)"
DIGITS = re.compile(r"\d+")
# a date written without its year and falling this many days after publication is read as last year's
LAST_YEAR_AFTER = 180


@dataclass(frozen=True)
class DateMention:
    start: date
    end: date
    span: tuple[int, int]
    kind: str  # range | single | relative | numeric
    has_year: bool
    rule: str


class DateGrammar:
    """Regexes for one language, built from its lexicon (month, weekday and joiner words)."""

    def __init__(self, lexicon: dict):
        self.months = {k.lower(): v for k, v in lexicon["months"].items()}
        self.weekdays = {k.lower(): v for k, v in lexicon["weekdays"].items()}
        self.relative = {k.lower(): v for k, v in lexicon["relative_days"].items()}
        month = r"(?P<{}>" + phrase_tree(self.months, fold=True) + r")\.?"
        suf = lexicon.get("ordinal_suffix", "") or "(?!)"
        day_of = lexicon.get("day_of", "")
        day = r"(?P<{}>" + DAY + r")" + (f"(?:{suf})?" if suf else "")
        joiner = r"\s*(?:" + "|".join(
            re.escape(j) if not j.isalpha() else rf"\b{j}\b" for j in lexicon["range_joiners"]
        ) + r")\s*"
        opener = r"(?:(?:" + phrase_tree(lexicon["range_openers"], fold=True) + r")\s+)?"
        weekday = r"(?:(?:" + phrase_tree(self.weekdays, fold=True) + r"),?\s+)?"
        year = r"(?:,?\s*(?P<{}>" + YEAR + r"))"
        d = lambda n: day.format(n)  # noqa: E731
        m = lambda n: month.format(n)  # noqa: E731
        y = lambda n: year.format(n)  # noqa: E731
        self.patterns = [
            # 30 September [2015] to 1 October 2015 / 10 to 12 August 2020 / 24-25 January
            ("dates.range_dmy", re.compile(
                rf"\b{opener}{weekday}{d('d1')}(?:\s+{day_of}{m('m1')}{y('y1')}?)?(?:,\s*{DAY}(?:{suf})?)*{joiner}{weekday}"
                rf"{d('d2')}\s+{day_of}{m('m2')}{y('y2')}?\b", re.I)),
            # June 30 [2015] to July 2, 2015 / June 25-27, 2012 / June 25 and 30, 2020 /
            # Tuesday, August 14, to Friday, August 17
            ("dates.range_mdy", re.compile(
                rf"\b{opener}{weekday}{m('m1')}\s+{d('d1')}{y('y1')}?,?{joiner}{weekday}(?:{m('m2')}\s+)?"
                rf"{d('d2')}\b{y('y2')}?", re.I)),
            ("dates.single_dmy", re.compile(rf"\b{weekday}{d('d1')}\s+{day_of}{m('m1')}{y('y1')}?\b", re.I)),
            ("dates.single_mdy", re.compile(rf"\b{weekday}{m('m1')}\s+{d('d1')}\b(?!\s*(?:%|-))(?:{y('y1')})?", re.I)),
            ("dates.iso", re.compile(r"\b(?P<y1>" + YEAR + r")-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b")),
            # "(4-6/12)": a range of days in a numeric month, the year from the item
            ("dates.range_numeric", re.compile(
                r"(?<![\d/.-])(?P<d1>" + DAY + r")\s*[-–]\s*(?P<d2>" + DAY + r")/(?P<m1>0?[1-9]|1[0-2])"
                r"(?:/(?P<y1>" + YEAR + r"|\d\d))?(?![\d/.-])")),
            # one separator throughout: "12/05/2018", "12.05.18" (not "4-6/12")
            ("dates.numeric_dmy", re.compile(
                r"(?<![\d/.-])(?P<d1>" + DAY + r")(?P<sep>[./-])(?P<m1>0?[1-9]|1[0-2])(?P=sep)(?P<y1>" + YEAR + r"|\d\d)(?![\d/.-])")),
            # month first only where the day cannot be a month: "11/13/2018" (US web pages)
            ("dates.numeric_mdy", re.compile(
                r"(?<![\d/.-])(?P<m1>0?[1-9]|1[0-2])(?P<sep>[./-])(?P<d1>1[3-9]|2\d|3[01])(?P=sep)(?P<y1>" + YEAR
                + r")(?![\d/.-])")),
        ]
        # every pattern above has a digit, and reaches at most an opener, a weekday, a month and their
        # separators beyond its digits ("between Wednesday, September 30"): searching that close to the
        # digits is enough (``_near_digits``); 24 characters cover the spaces, commas and dots
        self.digit_reach = 24 + sum(max(map(len, words), default=0) for words in (
            lexicon["range_openers"], self.weekdays, self.months, [day_of, lexicon.get("ordinal_suffix", "")]))
        self.week_shift = {k.lower(): v for k, v in lexicon.get("week_shift", {}).items()}
        wdays = phrase_tree(self.weekdays, fold=True)
        shift = phrase_tree(self.week_shift, fold=True) if self.week_shift else "(?!)"
        self.weekday_range = re.compile(
            rf"\b(?:{opener})?(?P<w1>{wdays}){joiner}(?P<w2>{wdays})\b(?:\s+(?:of\s+)?(?P<shift>{shift}))?", re.I)
        # a weekday range names two weekdays, a relative date a weekday or a relative word
        self.weekday_words = key_words(self.weekdays)
        self.relative_words = key_words([*self.weekdays, *self.relative])
        rel = phrase_tree(self.relative, fold=True)
        wd = phrase_tree(self.weekdays, fold=True)
        self.relative_pattern = re.compile(
            rf"\b(?P<word>{rel}|(?:(?:on|last|this|le|ce)\s+)?(?:{wd})(?:\s+dernier)?)\b"
            r"(?:\s*\((?P<pd>" + DAY + r")/(?P<pm>0?[1-9]|1[0-2])(?:/(?P<py>\d{2,4}))?\))?",
            re.I,
        )

    def month(self, word: str | None) -> int | None:
        if word is None:
            return None
        if word.isdigit():
            return int(word)
        return self.months.get(word.lower().rstrip("."))


@lru_cache(maxsize=4)
def _date_parser(language: str):
    """dateparser's parser for one language, built once (it loads the locale's data)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=[language] if language in ("en", "fr") else None,
        settings={"DATE_ORDER": "YMD", "REQUIRE_PARTS": ["day", "month", "year"],
                  "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_LOCALE_DATE_ORDER": False},
    )


@lru_cache(maxsize=4096)
def normalise(day: int, month: int, year: int, language: str) -> date | None:
    """A (day, month, year) to a date, through dateparser; None when no such day exists.

    The date goes to dateparser written as ISO, with that format named: a day that exists
    is then read directly (about 15 µs); only one that does not exists ("31 June") goes
    through dateparser's general parsers, which take about 1.7 ms and also say no.
    """
    data = _date_parser(language).get_date_data(f"{year:04d}-{month:02d}-{day:02d}", date_formats=["%Y-%m-%d"])
    return data.date_obj.date() if data.date_obj else None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def find_dates(text: str, grammar: DateGrammar, *, language: str, ref_year: int | None,
               reference: date | None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every day-precise date mention in ``text[start:end]``, leftmost-longest, no overlaps."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    windows = _near_digits(text, start, end, grammar.digit_reach)
    for rule, pattern in grammar.patterns:
        for m in (m for ws, we in windows for m in pattern.finditer(text, ws, we)):
            if not free(*m.span()):
                continue
            g = m.groupdict()
            y2 = _year(g.get("y2")) or _year(g.get("y1"))
            y1 = _year(g.get("y1")) or y2
            has_year = y1 is not None
            y1 = y1 or ref_year
            y2 = y2 or y1
            m1, m2 = grammar.month(g.get("m1")), grammar.month(g.get("m2"))
            m1 = m1 or m2
            m2 = m2 or m1
            if not (y1 and m1):
                continue
            d1, d2 = _days(g, m1, m2, y1, y2, language)
            if not has_year and reference is not None and d1 is not None and (d1 - reference).days > LAST_YEAR_AFTER:
                # "from 27 November to 1 December", published in January: last year's, not next year's
                d1, d2 = _days(g, m1, m2, y1 - 1, y2 - 1, language)
            if d1 is None or d2 is None or d2 < d1 or (d2 - d1).days > 366:
                continue
            kind = "range" if d2 != d1 or g.get("d2") else ("numeric" if rule.startswith("dates.n") else "single")
            found.append(DateMention(d1, d2, m.span(), kind, has_year, rule))
            taken.append(m.span())
    folded = text[start:end].casefold()
    if reference is not None and mentions_any(folded, grammar.weekday_words):
        for m in grammar.weekday_range.finditer(text, start, end):
            if not free(*m.span()):
                continue
            w1, w2 = grammar.weekdays[m.group("w1").lower()], grammar.weekdays[m.group("w2").lower()]
            monday = reference - timedelta(days=reference.weekday())
            shift = m.group("shift") or _shift_before(text[max(0, m.start() - 30):m.start()], grammar)
            if shift:
                monday += timedelta(days=7 * grammar.week_shift[shift.lower()])
            elif monday + timedelta(days=w2) > reference:
                monday -= timedelta(days=7)  # the most recent such days on or before publication
            first = monday + timedelta(days=w1 if w1 <= w2 else w1 - 7)  # a Sunday-to-Thursday week
            found.append(DateMention(first, monday + timedelta(days=w2), m.span(), "range", True, "dates.weekday_range"))
            taken.append(m.span())
    for m in grammar.relative_pattern.finditer(text, start, end) if mentions_any(folded, grammar.relative_words) else ():
        if not free(*m.span()):
            continue
        resolved = _relative(m, grammar, language, reference)
        if resolved:
            found.append(DateMention(resolved, resolved, m.span(), "relative", True, "dates.relative"))
            taken.append(m.span())
    return sorted(found, key=lambda d: d.span)


def _days(g: dict, m1: int, m2: int, y1: int, y2: int, language: str) -> tuple[date | None, date | None]:
    """A match's first and last day in the given months and years (the first alone when it names one day)."""
    d1 = normalise(int(g["d1"]), m1, y1, language)
    return d1, normalise(int(g["d2"]), m2, y2, language) if g.get("d2") else d1


def _near_digits(text: str, start: int, end: int, reach: int) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` within ``reach`` characters of a digit, merged, in order.

    Every pattern in ``DateGrammar.patterns`` has a digit, so searching these stretches finds
    what searching the whole range finds (each stretch keeps a full reach of context around
    its digits for the patterns' look-arounds), at a fraction of the cost: most text has no digit.
    """
    windows: list[tuple[int, int]] = []
    for m in DIGITS.finditer(text, start, end):
        s, e = max(start, m.start() - reach), min(end, m.end() + reach)
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], e)
        else:
            windows.append((s, e))
    return windows


def _shift_before(before: str, grammar: DateGrammar) -> str | None:
    """A week phrase just before a weekday range ("Last week, from Sunday to Thursday")."""
    for phrase in grammar.week_shift:
        if re.search(r"(?i)\b" + re.escape(phrase) + r"\b[\s,]*(?:\w+\s+){0,2}$", before):
            return phrase
    return None


def _relative(m: re.Match, grammar: DateGrammar, language: str, reference: date | None) -> date | None:
    if m.group("pd"):  # "yesterday (18/5)", "Monday (18/3/13)": the written day wins
        year = _year(m.group("py")) or (reference.year if reference else None)
        return normalise(int(m.group("pd")), int(m.group("pm")), year, language) if year else None
    if reference is None:
        return None
    word = m.group("word").lower()
    if word in grammar.relative:
        return reference + timedelta(days=grammar.relative[word])
    weekday = next((grammar.weekdays[w] for w in word.split() if w in grammar.weekdays), None)
    if weekday is None:
        return None
    back = (reference.weekday() - weekday) % 7
    if (word.startswith("last") or word.endswith("dernier")) and back == 0:
        back = 7
    return reference - timedelta(days=back)


def publication_date(item: NewsItem, mentions_in_head: list[DateMention]) -> Candidate | None:
    """The publication date: a single full date on the date line or in the dateline."""
    for mention in mentions_in_head:
        if mention.kind in ("single", "numeric") and mention.has_year:
            s, e = mention.span
            return Candidate(mention.start.isoformat(),
                             (Evidence(item.matched_text[s:e], s, e, "dates.publication." + mention.rule.split(".")[-1]),), 1.0)
    return None


def header_year(text: str, spans: list[tuple[int, int]]) -> int | None:
    """A year written on the date line or dateline, even with no day ("July 2021")."""
    for s, e in spans:
        m = re.search(YEAR, text[s:e])
        if m:
            return int(m.group())
    return None


DURATION = re.compile(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
    r"un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze)[- ](?P<unit>day|days|week|weeks|jours?|semaines?)\b"
    r"|\b(?P<long>week-long|weeklong)\b", re.I)
SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "un": 1, "une": 1, "deux": 2, "trois": 3,
         "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "douze": 12, "quinze": 15}


def duration_days(sentence: str) -> int | None:
    """A stated length in days ("a four-day training", "a two-week course"), if any."""
    m = DURATION.search(sentence)
    if not m:
        return None
    if m.group("long"):
        return 5
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else SMALL.get(raw)
    if n is None:
        return None
    # a course of n weeks runs Monday to Friday: 7n - 2 days
    return n * 7 - 2 if m.group("unit").lower().startswith(("week", "semaine")) else n


def event_dates(item: NewsItem, mentions: list[DateMention], sentences: Sentences, lexicon: dict, *,
                publication: date | None, head_spans: list[tuple[int, int]]) -> tuple[Candidate | None, Candidate | None]:
    """Choose the main event's start and end among the date mentions."""
    text = item.matched_text
    event_words = phrase_pattern(lexicon["event_nouns"])
    event_verbs = phrase_pattern(lexicon["event_verbs"])
    past = phrase_pattern(lexicon["past_event_cues"])
    end_verbs = phrase_pattern(lexicon["end_verbs"])
    start_verbs = phrase_pattern(lexicon["start_verbs"])
    scored = []
    for rank, mention in enumerate(mentions):
        s, e = mention.span
        in_head = any(a <= s and e <= b for a, b in head_spans)
        if in_head and mention.kind != "range":
            continue  # a single date on the date line or dateline is the publication date
        sent_s, sent_e = sentences.around(s)
        sentence = text[sent_s:sent_e]
        score = {"range": 3.0, "single": 2.0, "numeric": 1.0, "relative": 2.0}[mention.kind]
        score += 2.0 if event_words.search(sentence) else 0.0
        score += 1.5 if event_verbs.search(sentence) else 0.0
        score -= 3.0 if past.search(sentence) else 0.0
        score -= 0.15 * rank
        if not mention.has_year:
            score -= 0.5
        if publication:
            delta = (mention.start - publication).days
            if delta > 7:
                score -= 2.5
            elif delta < -400:
                score -= 2.0
            elif delta < -60 and past.search(sentence):
                score -= 1.5  # "le vendredi 18 juin 2021, 13 agents avaient alors suivi ...": background, months before
        scored.append((score, mention, sentence, sent_s))
    if not scored:
        return None, None
    score, best, sentence, sent_s = max(scored, key=lambda t: t[0])
    if score < 1.0:
        return None, None
    s, e = best.span
    rule = best.rule
    start, end = best.start, best.end
    evidence = [Evidence(text[s:e], s, e, rule)]
    if start == end and best.kind != "range":
        partner = _partner(best, scored, text, start_verbs, end_verbs)
        if partner is not None:
            start, end = min(start, partner.start), max(end, partner.end)
            ps, pe = partner.span
            evidence.append(Evidence(text[ps:pe], ps, pe, partner.rule + "+opening_and_closing"))
    if start == end and best.kind != "range":
        days = duration_days(sentence)
        following = sentences.index(sent_s) + 1
        if days is None and following < len(sentences.bounds):  # "... on Monday. The three-day course ..."
            days = duration_days(text[slice(*sentences.bounds[following])])
        if days and days > 1:
            if _role(best, sentence, start_verbs, end_verbs, text) == "end":
                start = end - timedelta(days=days - 1)
                rule += "+length_back"
            else:
                end = start + timedelta(days=days - 1)
                rule += "+length"
    evidence[0] = Evidence(text[s:e], s, e, rule)
    ev = tuple(evidence)
    return Candidate(start.isoformat(), ev, score), Candidate(end.isoformat(), ev, score)


def _role(mention: DateMention, sentence: str, start_verbs: re.Pattern, end_verbs: re.Pattern,
          text: str = "") -> str | None:
    """Whether a date opens or closes the event: words just before it first ("opened on Monday"), else its sentence."""
    if text:
        s, e = mention.span
        near = text[max(0, s - 45):s]
        starts, ends = list(start_verbs.finditer(near)), list(end_verbs.finditer(near))
        if starts or ends:
            last_start = starts[-1].end() if starts else -1
            last_end = ends[-1].end() if ends else -1
            return "start" if last_start > last_end else "end"
        # "on Monday concluded a six-week course", "vendredi dernier leurs attestations": in the same sentence
        after = re.split(r"[.;!?](?:\s|$)", text[e:e + 30])[0]
        starts, ends = list(start_verbs.finditer(after)), list(end_verbs.finditer(after))
        if starts or ends:
            first_start = starts[0].start() if starts else len(after)
            first_end = ends[0].start() if ends else len(after)
            return "start" if first_start < first_end else "end"
    if end_verbs.search(sentence) and not start_verbs.search(sentence):
        return "end"
    if start_verbs.search(sentence) and not end_verbs.search(sentence):
        return "start"
    return None


def _partner(best: DateMention, scored: list, text: str, start_verbs: re.Pattern,
             end_verbs: re.Pattern) -> DateMention | None:
    """For a course that "opened on 5 May" and closed with a ceremony "today": the other end."""
    sentence = next(t[2] for t in scored if t[1] is best)
    role = _role(best, sentence, start_verbs, end_verbs, text)
    if role is None:
        return None
    for score, mention, other_sentence, _ in sorted(scored, key=lambda t: -t[0]):
        if mention is best or mention.start != mention.end or score < 0.5:
            continue
        other = _role(mention, other_sentence, start_verbs, end_verbs, text)
        gap = (best.start - mention.start).days if role == "end" else (mention.start - best.start).days
        if other and other != role and 0 < gap <= 62:
            return mention
    return None
