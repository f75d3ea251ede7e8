"""French extractor behaviour on short hand-written sentences: one behaviour per case.

Same shape as test_rules.py: each case runs the full rules (French model) on a tiny
item through the session's Extractor and checks one field.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.engine import Extractor, Settings, extract
from pipeline.resources import load_resources


@pytest.fixture(scope="session")
def extractor():
    """The rules' own choice: the picker (models/weights/picker.json) is tested in test_picker.py."""
    return Extractor(Settings(language="fr"), resources=replace(load_resources(), picker_model=None))


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
    # a connector's initial spells a letter only where no long form spells the acronym without it
    ("L'atelier a été organisé par la Communauté économique des États de l'Afrique de l'Ouest (CEDEAO) à Abuja.",
     [("Communauté économique des États de l'Afrique de l'Ouest", "CEDEAO")]),
    ("La Direction du développement et de la coopération (DDC) a organisé un atelier à Ouagadougou.",
     [("Direction du développement et de la coopération", "DDC")]),
])
def test_long_form_of_acronym(extractor, body, expected):
    assert names(run(extractor, body).organizers) == expected


@pytest.mark.parametrize("body,count", [
    # the parse ties the number to the people gathered, whatever the noun; a rate is no group
    ("Mardi, le projet a formé vingt-deux Relais Communautaires du district sanitaire de Ziniaré.", 22),
    ("Le projet a formé deux agents par commune à Ziniaré.", None),
])
def test_counts_from_the_parse(extractor, body, count):
    assert run(extractor, body).participant_count == count


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
    # un groupe à former plus tard n'est pas la participation
    ("Le matériel a été remis à Niamey. Le projet prévoit de former 120 agents d'ici la fin de l'année.", None),
    # ... ou dit après l'effectif
    ("Les tablettes ont été remises à Kasserine. La représentante a rappelé que 120 enseignants seraient formés "
     "dans les prochains mois.", None),
])
def test_participant_count(extractor, body, count):
    assert run(extractor, body).participant_count == count


@pytest.mark.parametrize("body,date_line,start,end", [
    # the length is given in the sentence after the date
    ("L'OIM a ouvert hier à Niamey un atelier de formation. Cette formation de trois jours est financée par l'UE.",
     "21 juin 2023", "2023-06-20", "2023-06-22"),
    # "entamé ... le mardi 6", "poursuivie jusqu'au 8": opening and closing dates
    ("Les policiers ont entamé le mardi 6 novembre 2018 une formation à N'Djamena. Organisée par l'ONUDC, "
     "la formation s'est poursuivie jusqu'au 8 novembre.", None, "2018-11-06", "2018-11-08"),
    # an earlier session in the pluperfect ("avait bénéficié") is not the main event
    ("Les agents sont en conclave depuis lundi dernier à Ségou. Une session, organisée du 8 au 12 mai 2018, "
     "avait bénéficié à 40 agents.", "25/05/2018", "2018-05-21", "2018-05-21"),
    # "ont achevé vendredi dernier une formation de cinq jours": the relative date closes the event
    ("Vingt-deux sages-femmes ont achevé vendredi dernier une formation de cinq jours à Kolda.",
     "14 avril 2025", "2025-04-07", "2025-04-11"),
    # the closing verb after the date ("ont reçu mercredi leurs attestations"), the opening date named
    ("Trente-six sages-femmes ont reçu mercredi leurs attestations au terme d'une formation de dix jours "
     "démarrée le 3 octobre à Parakou.", "14 octobre 2022", "2022-10-03", "2022-10-12"),
])
def test_event_dates(extractor, body, date_line, start, end):
    record = run(extractor, body, date_line=date_line)
    assert (record.event_start, record.event_end) == (start, end)


def test_webinar_series_has_no_city(extractor):
    body = "Le centre de l'OIM basé à Moshi a lancé ce mardi un programme de webinaires destiné aux agents."
    assert run(extractor, body).event_city is None


def test_dateline_in_capitals_with_lower_case_particles(extractor):
    record = run(extractor, "PORT-AU-PRINCE – L'OIM a remis mercredi dix motos à la police lors d'une cérémonie.")
    assert (record.event_city, record.event_country) == ("Port-au-Prince", "HT")


def test_common_word_is_not_a_place(extractor):
    body = "L'atelier s'inscrit dans le Plan d'action régional de la CEDEAO contre la drogue, à Abidjan."
    assert "Plan" not in [loc.name for loc in run(extractor, body).locations]


@pytest.mark.parametrize("body,expected", [
    # "et de la": one name whose complements are coordinated, not two bodies
    ("L'atelier a été organisé en collaboration avec le Ministère de la Sécurité et de la Protection Civile à Conakry.",
     ["Ministère de la Sécurité et de la Protection Civile"]),
    # "de l'Administration": the elided article inside a name
    ("L'atelier a été organisé par le Ministère de l'Administration du Territoire à Conakry.",
     ["Ministère de l'Administration du Territoire"]),
    # "A et le B": two names in one cue's scope, not a new clause
    ("La cérémonie, organisée en collaboration avec le Ministère de la Justice et le Ministère de la Santé, "
     "a eu lieu à Conakry.", ["Ministère de la Justice", "Ministère de la Santé"]),
    # a lower-case head whose complements are listed after commas, up to its acronym: one name
    ("L'atelier, tenu à Bertoua, a été organisé en partenariat avec le ministère de l'Économie, de la Planification "
     "et de l'Aménagement du territoire (MINEPAT).",
     ["ministère de l'Économie, de la Planification et de l'Aménagement du territoire"]),
    # complements listed after commas, each opened by a preposition and an article, the last after "et"
    ("Le séminaire, tenu à Flic-en-Flac, a été organisé en partenariat avec le ministère de l'Économie océanique, "
     "des Ressources marines, de la Pêche et de la Navigation.",
     ["ministère de l'Économie océanique, des Ressources marines, de la Pêche et de la Navigation"]),
    # near miss: a list of other bodies after the comma ("et la Mairie") is no list of the name's complements
    ("L'atelier, tenu à Dakar, a été organisé en collaboration avec le Ministère de la Santé, l'Institut Pasteur "
     "et la Mairie de Dakar.", ["Ministère de la Santé", "Institut Pasteur", "Mairie de Dakar"]),
])
def test_french_organisation_names(extractor, body, expected):
    assert [o.name for o in run(extractor, body).organizers] == expected


@pytest.mark.parametrize("body,expected", [
    # noun then nationality adjective: the government as written, not a place
    ("L'OIM, en partenariat avec le Gouvernement malien, a organisé à Bamako une formation de trois jours.",
     ["International Organization for Migration", "Gouvernement malien"]),
    ("L'ONUDC a organisé à Ouagadougou, en collaboration avec les autorités burkinabè, un atelier de formation.",
     ["United Nations Office on Drugs and Crime", "autorités burkinabè"]),
])
def test_government_named_by_nationality_adjective(extractor, body, expected):
    assert [o.name for o in run(extractor, body).organizers] == expected


def test_nationality_noun_is_not_a_location(extractor):
    body = "Sept médiateurs camerounais et des Camerounais de la diaspora ont suivi la formation à Yaoundé."
    assert "Camerounais" not in [loc.name for loc in run(extractor, body).locations]


@pytest.mark.parametrize("body,expected", [
    # "Gouvernement du Royaume-Uni dans le cadre ...": the country's name ends at a French preposition
    ("Financé par le Gouvernement du Royaume-Uni dans le cadre du projet « Renforcement des Capacités », "
     "l'atelier a réuni 27 agents à Bamako.", ["United Kingdom"]),
    # an amount between the cue and the donor
    ("Les motos ont été acquises grâce à une contribution de 644 943 dollars américains du Bureau INL, "
     "et remises lors d'une cérémonie à Ouanaminthe.", ["INL"]),
    # "du Royaume des Pays-Bas": the country, not a gap that ends the cue's scope
    ("L'ONUDC a organisé à Dakar un atelier sous-régional, grâce à la contribution du Royaume des Pays-Bas.",
     ["Netherlands"]),
    # a French long form whose initials do not spell its (English) acronym: the capitalised head opens it
    ("La rencontre a fait le point sur le projet, financé par le Fonds de l'OIM pour le développement (IDF), à Rabat.",
     ["IDF"]),
    # "ont bénéficié de l'appui financier de X et de Y": the cue's list goes on after "et de"
    ("Les travaux, tenus à Niamey, ont bénéficié de l'appui financier de l'Agence des États-Unis pour le "
     "développement international (USAID) et de l'Union européenne.", ["USAID", "EU"]),
    # "ainsi que par Y": a second agent of the cue
    ("Le colloque, tenu à Dakar, a été financé par l'Agence française de développement (AFD) dans le cadre du "
     "programme WACA, ainsi que par le Fonds vert pour le climat.", ["AFD", "GCF"]),
    # a long form in lower case up to its acronym is one name, not its capitalised start
    ("La session, tenue à Bukavu, a reçu l'appui technique et financier de l'Organisation des Nations unies pour "
     "l'éducation, la science et la culture (UNESCO).", ["UNESCO"]),
    # near miss: "l'appui technique de" alone says nothing of money; a body that is no donor is no funder
    ("La session, tenue à Bukavu, a reçu l'appui technique de l'Université de Kinshasa.", []),
])
def test_french_funders(extractor, body, expected):
    assert [f.acronym or f.name for f in run(extractor, body).funders] == expected


def test_unit_named_before_its_parent_is_the_parent(extractor):
    body = ("Le Centre africain de renforcement des capacités (ACBC) de l'Organisation internationale pour les "
            "migrations (OIM) a lancé ce mardi un atelier à Moshi.")
    assert [o.acronym for o in run(extractor, body).organizers] == ["OIM"]


def test_country_in_an_ambassadors_title_is_not_a_location(extractor):
    body = "Les diplômes ont été remis lors de la cérémonie par l'Ambassadeur des Pays-Bas au Sénégal, à Dakar."
    assert "Pays-Bas" not in [loc.name for loc in run(extractor, body).locations]


@pytest.mark.parametrize("body,date_line,start,end", [
    # "(4-6/12)": days 4 to 6 of month 12, the year from the date line (not 4 June 2012)
    ("YAOUNDÉ – La semaine dernière (4-6/12), sept médiateurs ont suivi une formation organisée par l'OIM.",
     "Décembre 2018", "2018-12-04", "2018-12-06"),
    # a dated session months before publication, told in the pluperfect, is background: no event date
    ("Des agents ont été formés à Lomé. Lors d'une session le vendredi 18 juin 2021, 13 agents avaient alors "
     "suivi une formation de deux semaines.", "5 avril 2022", None, None),
])
def test_event_dates_numeric_range_and_background(extractor, body, date_line, start, end):
    record = run(extractor, body, date_line=date_line)
    assert (record.event_start, record.event_end) == (start, end)


def test_figures_under_a_background_heading_are_not_the_attendance(extractor):
    body = ("L'OIM a organisé hier à Rabat un atelier sur l'intégration des migrants.\n\n"
            "Repères\n- Juillet 2014 : l'OIM lance un programme de formation.\n"
            "- 135 femmes migrantes en ont bénéficié.\n\nLa cheffe de mission a salué la politique migratoire.")
    assert run(extractor, body).participant_count is None


def test_count_joined_to_a_group_of_unknown_size_is_no_total(extractor):
    body = ("YAOUNDÉ – Des membres de deux organisations de la société civile et sept médiateurs communautaires "
            "ont suivi une formation organisée par l'OIM.")
    assert run(extractor, body).participant_count is None


def test_venue_named_de_city_is_in_that_city(extractor):
    body = ("L'objectif de l'atelier technique organisé les 24 et 25 novembre 2020 au Bénin Royal Hôtel de Cotonou "
            "par l'Organisation internationale pour les migrations (OIM).")
    record = run(extractor, body)
    assert record.event_city == "Cotonou" and "Cotonou" in [loc.name for loc in record.locations]


def test_french_acronym_kept_as_written(extractor):
    record = run(extractor, "L'atelier a été organisé par le PNUD à Dori, avec l'appui financier du Grand-Duché de "
                            "Luxembourg.")
    assert [o.acronym for o in record.organizers] == ["PNUD"] and [f.name for f in record.funders] == ["Luxembourg"]


@pytest.mark.parametrize("body,count", [
    ("Dix-huit agents communautaires et douze infirmiers ont suivi les deux journées, animées par quatre formateurs.", 30),
    ("Annoncée comme devant réunir une quarantaine de personnes, la rencontre a finalement accueilli 38 participants.", 38),
])
def test_trainers_and_announced_numbers_are_not_attendance(extractor, body, count):
    assert run(extractor, body).participant_count == count


def test_the_fund_a_donor_pays_through_is_a_funder(extractor):
    record = run(extractor, "La formation a eu lieu à Dakar. Elle a été financée par l’Union européenne à travers "
                            "le Fonds fiduciaire d’urgence pour l’Afrique, dans le cadre du programme.")
    assert [f.name for f in record.funders] == ["Union européenne", "Fonds fiduciaire d'urgence pour l'Afrique"]


@pytest.mark.parametrize("body,funders", [
    # a lower-case head word before a name the rules bounded: the name ("la fondation X (ACR)")
    ("La session a été organisée à Kankan grâce au financement de la fondation Open Society Initiative for West "
     "Africa (OSIWA).", [("Open Society Initiative for West Africa", "OSIWA")]),
    # an English acronym after a French name: the name from its capitalised head word
    ("L'étude, réalisée avec le soutien financier du Programme mondial pour la sécurité de l'eau et "
     "l'assainissement (GWSP), a été présentée à Dakar.",
     [("Programme mondial pour la sécurité de l'eau et l'assainissement", "GWSP")]),
])
def test_funders_named_after_a_head_word(extractor, body, funders):
    assert names(run(extractor, body).funders) == funders


@pytest.mark.parametrize("body,expected", [
    ("Le lancement, à Fomboni, a été organisé par le Programme des Nations unies pour le développement (Pnud).",
     [("Programme des Nations unies pour le développement", "Pnud")]),
    # near miss: a capitalised word in brackets that the words before it do not spell is no acronym
    ("Le lancement, à Fomboni, a été organisé par l'Office des parcs nationaux (Comores).",
     [("Office des parcs nationaux", None)]),
])
def test_an_acronym_written_in_title_case(extractor, body, expected):
    assert names(run(extractor, body).organizers) == expected
