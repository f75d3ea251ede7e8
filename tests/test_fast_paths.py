"""Each shortcut taken for speed finds exactly what the plain way finds.

The plain way is written out here as the oracle: the date patterns searched over the
whole text (not only near digits), and the gazetteer tried at every capitalised token
through Token objects (not integer offsets, and without skipping words that begin no
place name). Both are compared on random news-like
text and on every item of corpus/ and ../shared.
"""
from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from pipeline.components import gazetteer
from pipeline.extract import dates
from pipeline.ingest import iter_files, read_file

from test_properties import FRAGMENTS, SETS

DATE_BITS = [
    "from", "between", "to", "and", "-", "–", ",", "of", "du", "au", "entre le", "et", "le",
    "Wednesday", "Monday,", "mercredi", "September", "Sept.", "septembre", "1er", "30th", "2", "15", "2015",
    "2020", "12/05/2018", "4-6/12", "2021-03-04", "yesterday", "last Monday", "(18/5)", "%", "\n", "   ",
    "x" * 70, "Thursday " * 3,
]
date_text = st.lists(st.one_of(st.sampled_from(DATE_BITS + FRAGMENTS), st.text(max_size=8)), max_size=60).map(
    lambda parts: " ".join(parts))
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def resources():
    from pipeline.resources import load_resources

    return load_resources()


@pytest.fixture(scope="module")
def heads(resources):
    return gazetteer.first_words(resources.places)


@pytest.fixture(scope="module")
def grammars(resources):
    return {lang: dates.DateGrammar(resources.lexicon(lang)) for lang in ("en", "fr")}


def _dates_both_ways(text, grammar, language, start=0, end=None):
    kwargs = dict(language=language, ref_year=2020, reference=dates.date(2020, 6, 17), start=start, end=end)
    fast = dates.find_dates(text, grammar, **kwargs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_near_digits", lambda text, s, e, reach: [(s, e)])  # the whole range
        plain = dates.find_dates(text, grammar, **kwargs)
    return fast, plain


@PROPS
@given(text=date_text, cut=st.integers(0, 40))
def test_dates_near_digits_are_all_the_dates(grammars, text, cut):
    for language, grammar in grammars.items():
        fast, plain = _dates_both_ways(text, grammar, language, start=min(cut, len(text)),
                                       end=max(min(cut, len(text)), len(text) - cut))
        assert fast == plain


def _plain_searches(patch) -> None:
    """Undo the search shortcuts: dates searched everywhere, no search skipped for lack of key words."""
    from pipeline import assemble
    from pipeline.extract import actors

    patch.setattr(dates, "_near_digits", lambda text, s, e, reach: [(s, e)])
    for module in (dates, actors, assemble):
        patch.setattr(module, "mentions_any", lambda folded, words: True)


KEY_WORD_BITS = ["Government", "government of Japan", "the Malian authorities", "le gouvernement malien",
                 "Embassy", "funded", "EU-funded", "co-financed", "sponsored", "thanks to", "grateful to",
                 "remercie", "Thursday", "Monday to Friday", "yesterday", "this morning", "online", "virtual",
                 "en ligne", "webinar", "GOVERNMENT", "THANKS", "ſponsored", "K"]
record_text = st.lists(st.one_of(st.sampled_from(KEY_WORD_BITS + DATE_BITS + FRAGMENTS), st.text(max_size=8)),
                       max_size=50).map(" ".join)


def _records_both_ways(extractor, text):
    from pipeline.ingest import make_item

    item = make_item("x", "x.txt", text)
    fast = extractor.extract_one(item).to_dict()
    with pytest.MonkeyPatch.context() as patch:
        _plain_searches(patch)
        plain = extractor.extract_one(item).to_dict()
    return fast, plain


@PROPS
@given(text=record_text)
def test_skipped_searches_would_have_found_nothing(blank_extractor, text):
    if text.strip():
        fast, plain = _records_both_ways(blank_extractor, "Title\n\n" + text)
        assert fast == plain


def test_skipped_searches_on_every_item(blank_extractor):
    for text in _set_texts():
        fast, plain = _records_both_ways(blank_extractor, text)
        assert fast == plain


def _set_texts():
    texts = []
    for name, docs in sorted(SETS.items()):
        if docs.is_dir():
            texts += [item.text for path in iter_files([docs]) for item in read_file(path) if hasattr(item, "text")]
    return texts


def test_dates_near_digits_on_every_item(grammars):
    texts = _set_texts()
    assert texts
    for text in texts:
        for language, grammar in grammars.items():
            fast, plain = _dates_both_ways(text, grammar, language)
            assert fast == plain


def _places_token_by_token(doc, places):
    """The plain look-up: Token objects, every capitalised token, longest span first."""
    out, i = [], 0
    while i < len(doc):
        if doc[i].text[:1].isupper():
            for j in range(min(len(doc), i + gazetteer.MAX_TOKENS), i, -1):
                last = doc[j - 1]
                if not (last.text[:1].isalpha() or last.text == ")"):
                    continue
                surface = doc.text[doc[i].idx:last.idx + len(last.text)]
                rows = gazetteer.lookup(places, surface)
                if rows and surface not in places and not gazetteer.in_capitals(doc.text, doc[i].idx, last.idx + len(last.text)):
                    rows = None
                if rows:
                    out.append((i, j, rows[0].kind, rows[0].key))
                    i = j - 1
                    break
        i += 1
    return out


def _spans(spans: list[Span]):
    return [(s.start, s.end, s.label_, s.kb_id_) for s in spans]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_gazetteer_offsets_find_what_tokens_find(resources, heads, language):
    nlp = spacy.blank(language)
    texts = _set_texts() + [" ".join(FRAGMENTS), "PORT-AU-PRINCE (Haiti) - In Port-au-Prince ( Haiti )",
                            "Ouagadougou2020 in Bamako2 and SÉGOU's, Saint-Louis-du-Sénégal, NEW YORK CITY"]
    for doc in nlp.pipe(texts):
        assert _spans(list(gazetteer.find_places(doc, resources.places, heads=heads))) == \
            _places_token_by_token(doc, resources.places)


@PROPS
@given(text=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10)), max_size=30).map(" ".join))
def test_gazetteer_offsets_on_random_text(resources, heads, text):
    doc = spacy.blank("en")(text)
    assert _spans(list(gazetteer.find_places(doc, resources.places, heads=heads))) == _places_token_by_token(doc, resources.places)


@pytest.mark.parametrize("text,found", [
    ("DHANGADHI - CARE Nepal on Thursday launched a programme.", ["DHANGADHI", "Nepal"]),
    ("CARE launches savings groups in Dhangadhi", ["Dhangadhi"]),
    ("KAMPALA, UGANDA - The course opened.", ["KAMPALA", "UGANDA"]),
    ("KARACHI: The course opened.", ["KARACHI"]),
    ("SEGOU In Mali, the course opened.", ["SEGOU", "Mali"]),
])
def test_a_name_in_capitals_is_a_place_where_such_names_stand(resources, heads, text, found):
    """A date line's place or a run of capitals, not an acronym amid ordinary words ("CARE" is also a town)."""
    doc = spacy.blank("en")(text)
    assert [s.text for s in gazetteer.find_places(doc, resources.places, heads=heads)] == found


def test_known_organisations_as_a_tree_match_as_the_plain_alternation(resources):
    import re

    from pipeline.extract.actors import ActorGrammar

    names = {o.acronym for o in resources.organizations.values()} | {o.name for o in resources.organizations.values()} \
        | {a for o in resources.organizations.values() for a in o.aliases}
    names = sorted((n for n in names if n), key=len, reverse=True)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    tree = ActorGrammar(resources.lexicon("en"), resources).known
    texts = _set_texts() + [" ".join(names), "  ".join(names), "\n".join(names), "-".join(names), "".join(names)]
    for text in texts:
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_stop_word_vote_agrees_with_py3langid_on_every_item():
    from pipeline import langid

    texts = _set_texts()
    votes = [langid.stop_word_vote(text) for text in texts]
    assert sum(v is not None for v in votes) >= 0.9 * len(texts)  # the fast path is the usual one
    for text, vote in zip(texts, votes):
        if vote is not None:
            assert vote == langid._identifier().classify(text[:langid.HEAD])[0]


@pytest.mark.parametrize("text, expected", [
    ("The workshop was held in Bamako and the participants of the course were trained for a week on the rules.", "en"),
    ("L'atelier s'est tenu à Bamako et les participants de la formation ont été formés pendant une semaine.", "fr"),
])
def test_language_of_a_sentence(text, expected):
    from pipeline import langid

    assert langid.detect(text) == expected


def test_too_few_function_words_go_to_py3langid():
    from pipeline import langid

    assert langid.stop_word_vote("Bamako, Mali — UNODC, IOM") is None
    assert langid.detect("Bamako, Mali — UNODC, IOM") in langid.SUPPORTED


def _org_mentions_both_ways(resources, text):
    from pipeline.extract import actors

    grammar = _actor_grammar(resources)
    fast = actors.org_mentions(text, grammar)
    with pytest.MonkeyPatch.context() as patch:
        _plain_searches(patch)
        plain = actors.org_mentions(text, grammar)
    return [repr(m) for m in fast[0]], [repr(m) for m in plain[0]]


_grammars_cache: dict = {}


def _actor_grammar(resources):
    from pipeline.extract.actors import ActorGrammar

    if "en" not in _grammars_cache:
        _grammars_cache["en"] = ActorGrammar(resources.lexicon("en"), resources)
    return _grammars_cache["en"]


@PROPS
@given(text=record_text)
def test_organisations_found_with_and_without_skipping(resources, text):
    fast, plain = _org_mentions_both_ways(resources, text)
    assert fast == plain


def test_organisations_found_with_and_without_skipping_on_every_item(resources):
    for text in _set_texts():
        fast, plain = _org_mentions_both_ways(resources, text)
        assert fast == plain


AREA_BITS = ["province", "Province", "provinces", "district", "District", "région de", "region of", "camp de",
             "camp de réfugiés de", "Camp De", "REGION OF", "l'", "Kayes", "Port Loko", "Taita-Taveta", "The", "Le",
             "La Réunion", ",", "and", "et", "Darkhan-Uul", "aimags", "Kono"]


def _areas_plain(text: str, lexicon: dict) -> list:
    """The admin-area search as first written: articles checked before capitals, prefixes as an alternation."""
    import re

    starters = "|".join(map(re.escape, lexicon["area_name_non_starters"]))
    name = rf"(?!(?:{starters})\b)[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+){{0,2}}"
    listed = rf"{name}(?:,\s*{name})*(?:,?\s+(?:{'|'.join(map(re.escape, lexicon['list_joiners']))})\s+{name})?"
    articles = "|".join(re.escape(w).replace("'", "['’]") for w in lexicon["area_articles"])
    out = []
    if lexicon["admin_suffix"]:
        words = "|".join(re.escape(w) + "s?" for w in lexicon["admin_suffix"])
        titled = "|".join(re.escape(w.title()) + "s?" for w in lexicon["admin_suffix_titled"])
        out += [(m.span(), m.group(1)) for m in re.finditer(rf"\b({listed})\s+(?:{words}|{titled})\b", text)]
    if lexicon["admin_prefix"]:
        prefix = rf"(?i:\b(?:{'|'.join(map(re.escape, lexicon['admin_prefix']))}))\s+{f'(?:{articles})?' if articles else ''}({listed})"
        out += [(m.span(), m.group(1)) for m in re.finditer(prefix, text)]
    return out


def _areas_fast(text: str, lexicon: dict) -> list:
    from pipeline.extract import places

    suffix, prefix, _ = places._admin_patterns(
        tuple(lexicon["admin_suffix"]), tuple(lexicon["admin_suffix_titled"]), tuple(lexicon["admin_prefix"]),
        tuple(lexicon["area_name_non_starters"]), tuple(lexicon["list_joiners"]), tuple(lexicon["area_articles"]))
    return [(m.span(), m.group(1)) for pattern in (suffix, prefix) if pattern for m in pattern.finditer(text)]


@PROPS
@given(text=st.lists(st.one_of(st.sampled_from(AREA_BITS + FRAGMENTS), st.text(max_size=6)), max_size=40).map(" ".join))
def test_area_patterns_match_as_first_written(resources, text):
    for language in ("en", "fr"):
        lexicon = resources.lexicon(language)
        assert _areas_fast(text, lexicon) == _areas_plain(text, lexicon)


def test_area_patterns_match_as_first_written_on_every_item(resources):
    for text in _set_texts():
        for language in ("en", "fr"):
            lexicon = resources.lexicon(language)
            assert _areas_fast(text, lexicon) == _areas_plain(text, lexicon)
