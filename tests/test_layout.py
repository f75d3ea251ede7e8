"""Layout as found: no title line, datelines in the lede, menus, labelled and piped date lines,
bylines, share bars and footers; text matched through typographic quotes without moving offsets."""
from __future__ import annotations

import pytest

from pipeline.ingest import make_item, read_file
from pipeline.layout import default_grammar, match_text, read_layout

LEDE_FIRST = ("Vienna (Austria), 28 July 2020 - On 21 July the Civil Society Team of the United Nations Office on "
              "Drugs and Crime (UNODC) launched a training series for 35 NGO representatives in Vienna.\n\n"
              "The series was funded by the Government of Norway.\n")
WIRE = ("JAKARTA, 28 November 2017 – The International Organization for Migration (IOM) held a regional workshop "
        "on border management for 40 officials in Jakarta yesterday.\n\nThe workshop was funded by Australia.\n")
NO_SPACES = ("NAIROBI,Kenya,Mar 5—Kenya's border security officers completed a five-day training on document fraud "
             "organized by IOM in Nairobi.\n\nTwenty officers took part.\n")
MENU_FIRST = ("Home | Who we are | Our Work | News | Contact\nNews > Press releases\n"
              "IOM trains border officials in Niamey\nPosted on 12 May 2019 by IOM Niger\n"
              "Share this: Facebook Twitter LinkedIn\n\nThirty border officials took part in a three-day training "
              "on migrant protection organized by IOM in Niamey from 7 to 9 May.\n\n"
              "© 2019 International Organization for Migration, Geneva. All rights reserved.\n")
METADATA = ("date 2024-11-25\nUNDP trains 25 judges in Juba\n\nTwenty-five judges took part in a training "
            "organized by UNDP in Juba on 20 November.\n")
BYLINE = ("Journalists trained on election reporting in Monrovia\nBy Jane Doe | 13 November 2018\n\nTwenty "
          "journalists took part in a two-day workshop organized by UNESCO in Monrovia on 10 and 11 November.\n")
LABELLED = ("Police officers trained in Accra\nPublished Date: Tue, 11/13/2018 - 08:00\n\nForty police officers "
            "took part in a workshop organized by UNODC in Accra on Monday.\n")
PIPED = ("News | Geneva, Switzerland | 08 March 2013\nExperts meet on migration data\n\nThirty experts took part in "
         "a meeting organized by IOM on 6 March.\n")
SHORT_YEAR = ("Customs officers trained\n15 Nov, 2017\n\nTwenty customs officers took part in a workshop organized "
              "by the WCO in Lusaka on 13 November.\n")
APOSTROPHES = ("Atelier à Abidjan\n\n12 mars 2019\n\nL’Organisation internationale pour les migrations (OIM) a "
               "organisé du 5 au 7 mars un atelier à Abidjan, en Côte d’Ivoire, pour 30 agents.\n")
CORPUS_LAYOUT = ("Magistrates trained in Ségou\n\n16 August 2020\n\nSEGOU - Twenty-five magistrates took part from "
                 "10 to 12 August 2020 in a workshop organized by UNODC.\n")


@pytest.mark.parametrize("text, pub, start, end, city", [
    (LEDE_FIRST, "2020-07-28", "2020-07-21", "2020-07-21", "Vienna"),
    (WIRE, "2017-11-28", "2017-11-27", "2017-11-27", "Jakarta"),
    (NO_SPACES, None, None, None, "Nairobi"),
    (MENU_FIRST, "2019-05-12", "2019-05-07", "2019-05-09", "Niamey"),
    (METADATA, "2024-11-25", "2024-11-20", "2024-11-20", "Juba"),
    (BYLINE, "2018-11-13", "2018-11-10", "2018-11-11", "Monrovia"),
    (LABELLED, "2018-11-13", "2018-11-12", "2018-11-12", "Accra"),
    (PIPED, "2013-03-08", "2013-03-06", "2013-03-06", None),
    (SHORT_YEAR, "2017-11-15", "2017-11-13", "2017-11-13", "Lusaka"),
    (CORPUS_LAYOUT, "2020-08-16", "2020-08-10", "2020-08-12", "Ségou"),
], ids=["lede-first", "wire-dateline", "dateline-without-spaces", "menu-first", "metadata-line", "byline-date",
        "labelled-us-date", "piped-header", "short-month-comma-year", "corpus-layout"])
def test_dates_and_city_whatever_the_layout(blank_extractor, text, pub, start, end, city):
    record = blank_extractor.extract_one(make_item("x", "x.txt", text))
    assert (record.publication_date, record.event_start, record.event_end) == (pub, start, end)
    if city:
        assert record.event_city == city


def _layout(text):
    return read_layout(match_text(text), default_grammar())


def test_a_lede_with_a_dateline_is_body_not_title():
    layout = _layout(LEDE_FIRST)
    assert layout.title is None and layout.body_start == 0
    assert LEDE_FIRST[slice(*layout.dateline)] == "Vienna (Austria), 28 July 2020"
    assert make_item("x", "x.txt", LEDE_FIRST).title == ""


@pytest.mark.parametrize("text, dateline", [
    (NO_SPACES, "NAIROBI,Kenya,Mar 5"),
    ("Dakar, le 14 mars 2018 – Le PNUD a organisé un atelier de trois jours pour 25 élus locaux.\n",
     "Dakar, le 14 mars 2018"),
    (WIRE, "JAKARTA, 28 November 2017"),
    # an em dash right after the year, then a space
    ("KAMPALA,Uganda,Mar 15 2024— One hundred and fifty women entrepreneurs from across Uganda have completed "
     "a three-day business growth bootcamp at Makerere University Business School, which the school ran.\n",
     "KAMPALA,Uganda,Mar 15 2024"),
    # place, dash, date, dash: the date belongs to the dateline
    ("Kingston, Jamaica – Thursday, 12 May 2022 – With the hurricane season set to begin on 1 June, 35 people "
     "completed a two-day training in Montego Bay on Monday and Tuesday.\n", "Kingston, Jamaica – Thursday, 12 May 2022"),
    # a town and a full stop open the lede (Tanzanian and Kenyan papers)
    ("Mwanza. Women who dry dagaa on the shores of Lake Victoria lose up to 40 percent of their catch, a "
     "training that ended here yesterday was told.\n", "Mwanza"),
])
def test_dateline_forms(text, dateline):
    layout = _layout(text)
    assert text[slice(*layout.dateline)] == dateline


def test_menus_share_bars_and_footers_are_blanked_not_cut():
    item = make_item("x", "x.txt", MENU_FIRST)
    assert item.title == "IOM trains border officials in Niamey"
    assert len(item.clean) == len(item.text)
    for furniture in ("Who we are", "Press releases", "Facebook", "All rights reserved"):
        assert furniture in item.text and furniture not in item.clean
    assert "Thirty border officials" in item.clean
    rules = {d.rule for d in item.layout}
    assert {"layout.menu", "layout.share", "layout.footer", "layout.labelled", "layout.title"} <= rules


def test_footer_places_are_not_places(blank_extractor):
    record = blank_extractor.extract_one(make_item("x", "x.txt", MENU_FIRST))
    assert "Geneva" not in {place.name for place in record.locations}


def test_typographic_apostrophes_match_and_evidence_quotes_the_text_as_read(blank_extractor):
    record = blank_extractor.extract_one(make_item("x", "x.txt", APOSTROPHES, language="fr"))
    assert "OIM" in {o.acronym for o in record.organizers}
    assert record.event_country == "CI"
    assert "Côte d'Ivoire" in {place.name for place in record.locations}
    quoted = [e for spans in record.evidence.values() for e in spans]
    assert any("’" in e.text for e in quoted)
    assert all(APOSTROPHES[e.start:e.end] == e.text for e in quoted)


@pytest.mark.parametrize("raw, matched", [
    ("l’OIM", "l'OIM"),
    ("“quoted”", '"quoted"'),
    ("25\u00a0participants", "25 participants"),
    ("Mi\u200bnistry", "Mi nistry"),
    ("14<sup>th</sup> March", "14th" + " " * 11 + " March"),
])
def test_match_text_keeps_the_length(raw, matched):
    assert match_text(raw) == matched and len(match_text(raw)) == len(raw)


def test_html_with_the_date_only_in_its_metadata(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>WHO trains nurses in Bo</title>'
        '<meta property="article:published_time" content="2019-05-12T10:00:00+00:00"></head>'
        '<body><nav><a href="/">Home</a></nav><article><h1>WHO trains nurses in Bo</h1>'
        '<p>Thirty nurses took part in a three-day training on infection prevention organized by the World '
        'Health Organization (WHO) in Bo from 7 to 9 May.</p></article></body></html>', encoding="utf-8")
    (item,) = read_file(page)
    assert item.date_line is not None and item.text[slice(*item.date_line)] == "2019-05-12"


SITE_NAME_FIRST = ("Enabel  Agence belge de développement\nAccueil | Qui sommes-nous | Actualités | Carrières\n"
                   "Bénin > Actualités\n\nParakou : 36 sages-femmes formées aux soins obstétricaux d'urgence\n"
                   "Publié le 14 octobre 2022 par Enabel Bénin\n\nPARAKOU, Bénin ,14 oct —  Trente-six sages-femmes "
                   "ont reçu leurs attestations au terme d'une formation de dix jours.\n")
LABELLED_BREADCRUMB = ("MINISTÈRE DE L'ÉDUCATION NATIONALE\nAccueil  |  Le Ministère  |  Actualités  |  Documentation\n"
                       "date 2021-08-30\nVous êtes ici : Accueil » Actualités » Formation continue\n\n"
                       "Koudougou, le 30 août 2021 - Deux cent quarante enseignants ont achevé une formation.\n")


def test_a_site_name_above_the_title_and_its_date_line():
    item = make_item("x", "x.txt", SITE_NAME_FIRST)
    assert item.title.startswith("Parakou : 36 sages-femmes")
    assert SITE_NAME_FIRST[slice(*item.date_line)].startswith("14 octobre 2022")
    assert SITE_NAME_FIRST[item.body_start:].startswith("PARAKOU, Bénin")


def test_a_labelled_breadcrumb_is_furniture_and_the_lede_keeps_its_dateline():
    item = make_item("x", "x.txt", LABELLED_BREADCRUMB)
    assert "Formation continue" not in item.clean
    assert LABELLED_BREADCRUMB[slice(*item.dateline)] == "Koudougou, le 30 août 2021"


FILED = ("Accueil | Le Ministère | Actualités | Contact\n\n"
         "Kaolack : 35 agents de santé formés à la surveillance épidémiologique\n\n"
         "Date de publication : 05/04/2023\nCatégorie : Actualités\n\n"
         "La Direction de la Prévention a organisé du mardi 28 au vendredi 31 mars 2023 un atelier de formation "
         "à Kaolack pour 35 agents de santé venus des districts de la région.\n\n"
         "Articles similaires\n– Lancement de la campagne de vaccination contre la rougeole à Matam\n")


def test_a_filing_line_is_furniture_and_a_similar_articles_list_a_trailer():
    layout = _layout(FILED)
    assert layout.dateline is None  # "Catégorie : Actualités" is not a dateline
    rules = {d.rule for d in layout.decisions}
    assert {"layout.meta", "layout.trailer"} <= rules
    assert FILED[layout.content_end:].lstrip().startswith("Articles similaires")
