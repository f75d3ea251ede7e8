"""The data under models/: it loads, validates, and the generated gazetteer is reproducible."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest

from pipeline.resources import MODELS_DIR, LEXICON_KEYS, ResourceError, load_lexicon, load_organizations, load_resources

ROOT = Path(__file__).resolve().parents[1]


def test_every_lexicon_has_the_same_keys():
    keys = {p.stem: set(json.loads(p.read_text(encoding="utf-8"))) for p in (MODELS_DIR / "lexicons").glob("*.json")}
    assert {"en", "fr"} <= set(keys)
    for name, present in keys.items():
        assert set(LEXICON_KEYS) <= present, name


# word lists moved out of Python regexes into the lexicons: each language has its own words
MOVED_WORD_LISTS = (
    "count_prefix_blockers", "age_cues", "age_range_joiners", "percent_words", "duration_units", "conjunctions",
    "of_whom_links", "of_whom_pronouns", "of_whom_verbs", "list_part_cues", "sum_breakers", "part_joiners",
    "led_by_cues", "plural_noun_followers", "past_participle_endings",
    "in_person_cues", "remote_join_cues", "remote_audience_nouns", "online_thing_nouns", "today_words",
    "envoy_titles", "envoy_prepositions", "venue_nouns", "org_of_words", "country_titles", "place_articles",
    "list_joiners", "entity_place_prepositions", "located_prepositions", "settlement_articles", "venue_of_words",
    "area_name_non_starters", "area_articles", "name_particles", "name_non_followers", "name_non_preceders",
    "town_prepositions", "capital_words", "origin_prepositions", "seat_words", "seat_prepositions",
    "country_prepositions",
    "and_words", "scope_comma_breaks", "scope_comma_prepositions", "scope_possessives", "scope_breaks",
    "scope_prepositions", "with_words", "with_articles", "scope_and_breaks", "second_name_articles",
    "event_pronouns", "event_pronoun_verbs", "donor_determiners", "donor_adjectives", "donor_nouns", "also_words",
    "agent_prepositions", "parent_prepositions", "gap_words", "gap_unit_nouns", "gap_fund_nouns",
    "gap_fund_prepositions", "gap_state_nouns", "gap_state_prepositions", "money_scales", "money_scale_links",
    "currency_words", "currency_qualifiers", "money_prepositions",
    "channel_determiners", "not_organizing_verbs", "name_of_words", "thanks_cues", "x_funded_words",
    "support_cue_words", "handover_cue_stems", "passive_auxiliaries", "fund_passive_auxiliaries",
    "subject_blocking_prepositions", "subject_articles", "owner_determiners", "proper_name_links", "unit_links",
    "unit_possessives",
    "name_connectors", "run_connectors", "run_prepositions", "run_articles", "run_and_articles", "run_elisions",
    "name_articles", "name_lead_words", "second_body_articles", "complement_prepositions", "complement_articles",
    "place_small_words",
    "government_articles", "government_of_nouns", "government_prepositions", "country_end_words", "embassy_nouns",
    "demonym_government_nouns", "government_demonym_nouns", "name_government_nouns", "fund_subject_fillers",
    "name_complement_prepositions", "gathering_verbs", "attending_verbs", "rate_words",
)
# where one language has a word and the other none (see each key's _about_ note): no word of the
# other language ever matched there
EMPTY_IN = {("fr", "past_participle_endings"), ("fr", "remote_join_cues"), ("fr", "country_titles"),
            ("fr", "place_articles"), ("fr", "located_prepositions"), ("fr", "capital_words"),
            ("en", "settlement_articles"), ("en", "venue_of_words"), ("en", "area_articles"),
            ("fr", "scope_comma_breaks"), ("fr", "scope_comma_prepositions"), ("fr", "scope_possessives"),
            ("en", "second_name_articles"), ("fr", "gap_fund_nouns"), ("fr", "gap_fund_prepositions"),
            ("en", "money_scale_links"), ("en", "currency_qualifiers"), ("fr", "name_of_words"),
            ("fr", "passive_auxiliaries"), ("fr", "fund_passive_auxiliaries"), ("fr", "subject_blocking_prepositions"),
            ("fr", "subject_articles"), ("fr", "owner_determiners"), ("fr", "second_body_articles"),
            ("fr", "complement_prepositions"), ("fr", "complement_articles"), ("fr", "government_articles"),
            ("fr", "demonym_government_nouns"), ("en", "government_demonym_nouns"), ("fr", "name_government_nouns"),
            ("fr", "fund_subject_fillers"), ("en", "name_complement_prepositions")}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("key", MOVED_WORD_LISTS)
def test_moved_word_lists_are_lists_of_words_in_every_language(language, key):
    words = load_lexicon(MODELS_DIR / "lexicons" / f"{language}.json")[key]
    assert key in LEXICON_KEYS
    assert isinstance(words, list) and all(isinstance(w, str) and w.strip() == w and w for w in words)
    assert bool(words) != ((language, key) in EMPTY_IN), (language, key)


def test_a_word_list_with_a_non_word_names_file_and_key(tmp_path):
    data = json.loads((MODELS_DIR / "lexicons" / "en.json").read_text(encoding="utf-8"))
    data["age_cues"] = ["aged", 18]
    bad = tmp_path / "xx.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"xx\.json: key 'age_cues'"):
        load_lexicon(bad)


def test_invalid_lexicon_names_file_and_line(tmp_path):
    bad = tmp_path / "xx.json"
    bad.write_text('{"months": {}\n,,}', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"xx\.json:2"):
        load_lexicon(bad)


def test_organization_acronyms_are_unique():
    rows = [line.split("\t")[0] for line in (MODELS_DIR / "gazetteers" / "organizations.tsv").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(rows) == len(set(rows))
    assert load_organizations(MODELS_DIR / "gazetteers" / "organizations.tsv")["iom"].name.startswith("International")


def test_places_gazetteer_loads_with_kinds_and_coordinates():
    places = load_resources().places
    assert places["Ségou"][0].country == "ML"
    assert any(p.kind == "city" and p.lat for p in places["Dakar"])
    assert places["Tchad"][0].canonical == "Chad"


@pytest.mark.slow
def test_rebuilding_the_gazetteer_gives_the_committed_file():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["name", "kind", "country", "lat", "lon", "population", "canonical"])
    writer.writerows(module.build())
    assert buffer.getvalue() == (MODELS_DIR / "gazetteers" / "places.tsv").read_text(encoding="utf-8")


def test_rebuilding_the_stop_words_gives_the_committed_file():
    spec = importlib.util.spec_from_file_location("build_stop_words", ROOT / "scripts" / "build_stop_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (MODELS_DIR / "stop_words.json").read_text(encoding="utf-8")


def test_the_layout_words_load_with_every_key():
    from pipeline.resources import LAYOUT_KEYS, load_layout_words

    words, months = load_layout_words()
    assert all(words[key] for key in LAYOUT_KEYS)
    assert {"march", "mars", "juillet"} <= set(months)


def test_the_prepared_gazetteer_equals_the_tsv_and_follows_its_edits(tmp_path):
    from pipeline.resources import load_places, read_places_tsv

    tsv = tmp_path / "places.tsv"
    tsv.write_text("name\tkind\tcountry\tlat\tlon\tpopulation\tcanonical\n"
                   "Ségou\tcity\tML\t13.43\t-6.26\t130690\tSégou\nMali\tcountry\tML\t\t\t0\tMali\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_places(tsv, cache_dir=cache)
    assert len(list(cache.iterdir())) == 1
    second = load_places(tsv, cache_dir=cache)  # read from the prepared form
    assert dict(second) == dict(first) == {k: tuple(load_places(tsv, cache_dir=tmp_path / "none")[k])
                                          for k in read_places_tsv(tsv)}
    assert second["Ségou"][0].lat == 13.43 and second.country_names() == {"ML": "Mali"}
    tsv.write_text(tsv.read_text(encoding="utf-8") + "Kayes\tcity\tML\t14.45\t-11.44\t127368\tKayes\n",
                   encoding="utf-8")
    assert "Kayes" in load_places(tsv, cache_dir=cache)  # an edited gazetteer is never read from a stale copy
