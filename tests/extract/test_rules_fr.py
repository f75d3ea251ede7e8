"""French extractor behaviour on short hand-written sentences: one behaviour per case.

Same shape as test_rules.py: each case runs the full rules (French model) on a tiny
item through the session's Extractor and checks one field.
"""
from __future__ import annotations

import pytest

from pipeline.engine import Extractor, Settings, extract


@pytest.fixture(scope="session")
def extractor():
    return Extractor(Settings(language="fr"))


def run(extractor, body, date_line="16 août 2020", title="Des agents formés à la gestion des frontières"):
    text = f"{title}\n\n{date_line}\n\n{body}" if date_line else f"{title}\n\n{body}"
    return extract(text, extractor=extractor)


def names(entities):
    return [(e.name, e.acronym) for e in entities]


@pytest.mark.parametrize("body,expected", [
    # "l'Organisation ...": the elided article is not the long form's first word
    ("Trente agents ont suivi une formation organisée par l'Agence nationale de la statistique (ANS) à Dakar.",
     [("Agence nationale de la statistique", "ANS")]),
    # initials with accents: "êtres" gives the E of the acronym
    ("Le Bureau national de lutte contre la traite des êtres humains (BNTEH) a organisé un atelier à Bamako.",
     [("Bureau national de lutte contre la traite des êtres humains", "BNTEH")]),
])
def test_long_form_of_acronym(extractor, body, expected):
    assert names(run(extractor, body).organizers) == expected


def test_support_of_a_non_donor_makes_a_co_organizer(extractor):
    record = run(extractor, "Le Centre national de formation (CNF) a organisé, avec le soutien de l'Institut "
                            "régional de santé (IRS), un atelier à Lomé.")
    assert (sorted(o.acronym for o in record.organizers), record.funders) == (["CNF", "IRS"], [])


@pytest.mark.parametrize("body,place", [
    # a lower-case common noun before "de" is not an organisation's name: the place counts
    ("Deux experts venus du bureau régional de Dakar ont animé l'atelier à Bamako.", "Dakar"),
    ("Les migrants partent vers le nord, en direction de la Libye.", "Libye"),
])
def test_place_after_a_common_noun_and_de_is_a_location(extractor, body, place):
    assert place in [loc.name for loc in run(extractor, body).locations]


def test_place_in_an_organisations_name_is_not_a_location(extractor):
    body = "L'atelier a été organisé par le Ministère de la Justice du Sénégal à Dakar."
    assert "Sénégal" not in [loc.name for loc in run(extractor, body).locations]


@pytest.mark.parametrize("body,count", [
    # "une vingtaine": the approximate phrase, not its article "une"
    ("Une vingtaine de magistrats ont participé à la formation à Kinshasa.", 20),
    # "trois journées" is a length, not a group of people
    ("En trois journées, près d'une centaine de participants ont suivi la formation.", 100),
    # an expected number in its own clause gives way to the actual attendance
    ("Une cinquantaine de participants étaient attendus ; 47 agents ont finalement pris part à la formation, "
     "dont 19 agents béninois.", 47),
])
def test_participant_count(extractor, body, count):
    assert run(extractor, body).participant_count == count
