"""Organisation names bounded by the parse (extract/names.py): French names with lower-case complements
are read to their end, and nothing else is taken into them (the default French model's parse)."""
from __future__ import annotations

import pytest

from pipeline.extract.actors import OrgMention
from pipeline.extract.names import widen


@pytest.fixture(scope="module")
def french(model_extractor):
    try:
        nlp, grammars = model_extractor.pipeline("fr")
    except OSError:
        pytest.skip("the French model is not installed")
    return nlp, grammars.names  # with the gazetteer: a place is no name


def names(french, text: str, mentions=()) -> list[str]:
    nlp, grammar = french
    return [m.name for m in widen(text, list(mentions), nlp(text), grammar)]


def test_a_lower_case_head_with_a_named_complement_is_a_body(french):
    text = "Le ministère de la Pêche et de l'Économie maritime a lancé mardi une formation."
    assert names(french, text) == ["ministère de la Pêche et de l'Économie maritime"]


def test_a_lower_case_head_with_a_common_complement_is_not(french):
    text = "Le fonds de garantie et d'administrations des huit États membres sera lancé."
    assert names(french, text) == []


@pytest.mark.parametrize("text,cut,name", [
    ("L'atelier a été organisé par le Centre national de lutte contre le paludisme à Cotonou.",
     "Centre national de lutte", "Centre national de lutte contre le paludisme"),
    ("L'atelier a été organisé par le Conseil national pour la promotion de l'égalité à Dakar.",
     "Conseil national", "Conseil national pour la promotion de l'égalité"),
])
def test_a_name_goes_on_through_contre_and_pour(french, text, cut, name):
    start = text.index(cut)
    assert names(french, text, [OrgMention(start, start + len(cut), cut)]) == [name]  # and stops at "à"


def test_a_lower_case_head_before_a_place_is_not(french):
    assert names(french, "Les migrants partent vers le nord, en direction de la Libye.") == []


def test_a_run_cut_before_its_place_is_widened(french):
    text = "Elle a été organisée en partenariat avec la Direction régionale du commerce des Hauts-Bassins."
    start = text.index("Direction")
    cut = OrgMention(start, start + len("Direction régionale du commerce des"), "Direction régionale du commerce des")
    assert names(french, text, [cut]) == ["Direction régionale du commerce des Hauts-Bassins"]


def test_a_complement_of_another_kind_ends_the_name(french):
    text = "La session a été organisée par la direction régionale de la Santé de Kolda en partenariat avec l'UNFPA."
    assert names(french, text) == ["direction régionale de la Santé de Kolda"]


@pytest.mark.parametrize("text,name", [
    ("La Croix-Rouge sénégalaise a organisé une formation aux premiers secours.", "Croix-Rouge sénégalaise"),
    ("La formation a été organisée par la Région médicale de Kolda en partenariat avec l'UNFPA.",
     "Région médicale de Kolda"),
])
def test_a_hyphenated_or_two_word_head(french, text, name):
    assert names(french, text) == [name]


def test_a_known_body_keeps_its_bounds(french):
    text = "Le ministère de la Santé et l'Organisation mondiale de la Santé ont organisé un atelier."
    start = text.index("Organisation")
    who = OrgMention(start, start + len("Organisation mondiale de la Santé"), "Organisation mondiale de la Santé",
                     "OMS", "un")
    assert "Organisation mondiale de la Santé" in names(french, text, [who])
    assert not any("et l'Organisation" in n for n in names(french, text, [who]))


def test_english_names_are_left_to_the_capital_runs(model_extractor):
    nlp, grammars = model_extractor.pipeline("en")
    text = "The Ministry of Finance of the Republic of Kazakhstan held a workshop."
    start = text.index("Ministry")
    run = OrgMention(start, start + len("Ministry of Finance"), "Ministry of Finance")
    assert [m.name for m in widen(text, [run], nlp(text), grammars.names)] == ["Ministry of Finance"]
