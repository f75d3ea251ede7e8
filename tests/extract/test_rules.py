"""Extractor behaviour on short hand-written sentences: one behaviour per case.

Each case runs the full rules on a tiny item through the session's Extractor
(statistical English model) and checks one field and the rule that produced it.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.engine import Extractor, Settings, extract
from pipeline.resources import load_resources


@pytest.fixture(scope="session")
def extractor():
    """The rules' own choice: the picker (models/weights/picker.json) is tested in test_picker.py."""
    return Extractor(Settings(), resources=replace(load_resources(), picker_model=None))


def run(extractor, body, date_line="16 August 2020", title="Officials trained on border management"):
    text = f"{title}\n\n{date_line}\n\n{body}" if date_line else f"{title}\n\n{body}"
    return extract(text, extractor=extractor)


DATES = [
    ("The workshop took place from 10 to 12 August 2020 in Bamako.", "2020-08-10", "2020-08-12"),
    ("The training was held on 24-25 July 2020 in Dakar.", "2020-07-24", "2020-07-25"),
    ("On June 25-27, 2020, UNODC held a seminar in Accra.", "2020-06-25", "2020-06-27"),
    ("IOM held a three-day training from 13th to 15th March 2020 in Banjul.", "2020-03-13", "2020-03-15"),
    ("The course ran from 30 July to 1 August 2020 in Niamey.", "2020-07-30", "2020-08-01"),
    ("IOM yesterday (15/8) organized a workshop in Addis Ababa.", "2020-08-15", "2020-08-15"),
    ("IOM on Friday wrapped up a four-day training in Kanilai.", "2020-08-11", "2020-08-14"),
    ("The workshop was held in Lomé in July 2020.", None, None),
    ("The course ran from Monday to Wednesday last week in Hargeisa.", "2020-08-03", "2020-08-05"),
    ("Officials took part in an online training held on 8, 9 and 10 June 2020.", "2020-06-08", "2020-06-10"),
    ("A three-week course opened on 6 July 2020 in Bridgetown.", "2020-07-06", "2020-07-24"),
]


def test_course_that_opened_and_closed_with_a_ceremony(extractor):
    record = run(extractor, "Thirty officers received their certificates today at a graduation ceremony that "
                            "closed the course.\n\nThe course, which opened on 3 August, covered risk analysis.",
                 date_line="DUSHANBE, 14 August 2020")
    assert (record.event_start, record.event_end) == ("2020-08-03", "2020-08-14")


DATES += [
    # an MDY range with weekdays on both ends, a comma before "to"
    ("UMDF conducted the training from Tuesday, August 11, to Friday, August 14, in Fort Portal.",
     "2020-08-11", "2020-08-14"),
    # the closing verb right after the relative date, the opening date in the same sentence
    ("UNIDO on Monday concluded a six-week training programme in Karachi that began on 6 July.",
     "2020-07-06", "2020-08-10"),
    # near miss: a verb in the next sentence does not say how this date relates to the event
    ("Teachers completed a week-long training at Mubende on Friday 14 August. The training started on "
     "Monday 10 August.", "2020-08-10", "2020-08-14"),
]


@pytest.mark.parametrize("body,start,end", DATES)
def test_event_dates(extractor, body, start, end):
    record = run(extractor, body)
    assert (record.event_start, record.event_end) == (start, end)


@pytest.mark.parametrize("date_line,expected", [
    ("16-08-2020", "2020-08-16"), ("03.03.2010 14:21", "2010-03-03"), ("Tuesday, 5 March 2019", "2019-03-05"),
    ("Dushanbe, Tajikistan, 24 September 2024", "2024-09-24"), ("Published on 19 Jan 2018", "2018-01-19"),
    ("July 2021", None),
])
def test_publication_date_line(extractor, date_line, expected):
    record = run(extractor, "The workshop was held in Bamako.", date_line=date_line)
    assert record.publication_date == expected


COUNTS = [
    ("Twenty-five (25) magistrates took part in the workshop.", 25, None, None),
    ("Some 40 officials attended the training.", 40, None, None),
    ("The workshop brought together 15 judges and 10 prosecutors.", 25, None, None),
    ("A total of 30 participants (12 women and 18 men) attended the training.", 30, 12, 18),
    ("The training gathered 25 participants, including 6 women.", 25, 6, None),
    ("The USD 2,500,000 project started in 2019; COVID-19 slowed it down.", None, None, None),
    ("Forty-two officers took part in the course.", 42, None, None),
]


@pytest.mark.parametrize("body,count,female,male", COUNTS)
def test_participants(extractor, body, count, female, male):
    record = run(extractor, body)
    assert (record.participant_count, record.participants_female, record.participants_male) == (count, female, male)


def test_a_common_acronym_spelled_across_a_list_is_no_body(extractor):
    record = run(extractor, "WaterAid ran the course for 31 mechanics from Wonchi, Ameya and Goro districts, most of "
                            "them members of the water, sanitation and hygiene (WASH) committees.")
    assert [o.name for o in record.organizers] == ["WaterAid"]
    assert not any("Wonchi" in c.entity.name for c in record.candidates)


def test_an_events_long_form_names_no_body(extractor):
    record = run(extractor, "A national workshop, combined with a Training of Trainers (ToT), was held for the "
                            "Ministry of Migration. It was facilitated by UNODC.")
    assert "ToT" not in {c.entity.acronym for c in record.candidates}


def test_a_lower_case_long_form_names_no_body(extractor):
    record = run(extractor, "UNDP organised the workshop for members of civil society organisations (CSOs) and "
                            "health surveillance assistants (HSAs).")
    assert [o.acronym for o in record.organizers] == ["UNDP"]
    assert not {"CSOs", "HSAs"} & {c.entity.acronym for c in record.candidates}


@pytest.mark.parametrize("body,organizers", [
    ("The workshop was organised by the Ministry of Health on Tuesday.", ["Ministry of Health"]),
    ("The course was organised by the Conference on Disarmament in Geneva.", ["Conference on Disarmament"]),
    ("The meeting was organised by the Ministry of Agriculture's seed directorate.", ["Ministry of Agriculture"]),
])
def test_a_name_ends_before_a_date_and_an_owners_s(extractor, body, organizers):
    assert [o.name for o in run(extractor, body).organizers] == organizers


@pytest.mark.parametrize("body,funders", [
    ("The units were co-funded by the Provincial Government of Surigao del Norte.",
     ["Provincial Government of Surigao del Norte"]),
    ("The course was funded by the Merck Sharp & Dohme Foundation.", ["Merck Sharp & Dohme Foundation"]),
])
def test_names_joined_by_del_and_ampersand(extractor, body, funders):
    assert [f.name for f in run(extractor, body).funders] == funders


def test_acronym_paired_with_long_form(extractor):
    record = run(extractor, "The workshop was organized by the National Coordinating Committee to Combat "
                            "Trafficking in Persons (CNCLTP) in collaboration with UNODC.")
    assert [(o.name, o.acronym) for o in record.organizers] == [
        ("National Coordinating Committee to Combat Trafficking in Persons", "CNCLTP"),
        ("United Nations Office on Drugs and Crime", "UNODC")]
    assert record.evidence["organizers"][0].rule == "organizers.cue_by"


@pytest.mark.parametrize("body,funders", [
    ("The training was funded by the Netherlands and the Republic of Italy.", ["Netherlands", "Italy"]),
    ("IOM held the workshop with support from the Government of Japan.", ["Japan"]),
    ("The workshop was part of an EU-funded project.", ["European Union"]),
    ("The course was financed by USAID through SPC.", ["United States Agency for International Development"]),
])
def test_funders(extractor, body, funders):
    record = run(extractor, body)
    assert [f.name for f in record.funders] == funders


def test_donor_country_is_not_a_location(extractor):
    record = run(extractor, "The workshop in Bamako was funded by the Netherlands.")
    assert [loc.name for loc in record.locations] == ["Bamako"]


def test_capitalised_dateline_gives_event_city(extractor):
    record = run(extractor, "SEGOU In Mali, twenty magistrates took part in a training workshop.")
    assert (record.event_city, record.event_country) == ("Ségou", "ML")


def test_online_event_has_no_city(extractor):
    record = run(extractor, "IOM held virtual workshops with 27 officials of the ministry in Dakar.")
    assert (record.event_city, record.event_country) == (None, None)


def test_place_inside_organisation_name_is_not_a_location(extractor):
    record = run(extractor, "Judges of the Supreme Court of Uzbekistan attended a workshop in Tashkent.")
    assert "Uzbekistan" not in [loc.name for loc in record.locations]


def test_rules_only_mode_runs_on_blank_pipeline():
    record = extract("Workshop in Mali\n\n16-08-2020\n\nThe workshop took place from 10 to 12 August 2020 in "
                     "Bamako, organized by UNODC for 25 magistrates.", model="blank")
    assert (record.event_start, record.event_city, record.participant_count) == ("2020-08-10", "Bamako", 25)


def test_evidence_offsets_point_into_the_text(extractor):
    text = "Title\n\n16-08-2020\n\nThe workshop took place from 10 to 12 August 2020 in Bamako."
    record = extract(text, extractor=extractor)
    for spans in record.evidence.values():
        for e in spans:
            assert text[e.start:e.end] == e.text


def test_event_city_keeps_the_items_english_spelling(extractor):
    record = run(extractor, "HARGEISA - Forty police officers took part in a training workshop.")
    assert record.event_city == "Hargeisa"


def test_organizer_is_not_a_funder_of_a_passive_funding_cue(extractor):
    record = run(extractor, "The workshop was organized by UNODC and funded by the Netherlands.")
    assert ([o.acronym for o in record.organizers], [f.name for f in record.funders]) == (["UNODC"], ["Netherlands"])


@pytest.mark.parametrize("body,count,female", [
    ("The organizers had expected 150 officers, but in the end one hundred and twenty officers took part.", 120, None),
    ("Sixty-four young women and men aged 18 to 25 took part in a youth bootcamp.", 64, None),
    ("Forty-eight rangers, nine of them women, graduated from the course.", 48, 9),
    # a group to be trained later is not the attendance; the event's own count still wins beside it
    ("The freezers were handed over in Dili. UNICEF engineers would train 60 technicians on maintenance.", None, None),
    ("Thirty officers attended the workshop in Dili. UNICEF will train 60 more technicians next year.", 30, None),
    # a split stated further on, in a sentence that refers back to the group
    ("Eighty-six nurses attended the course in Musanze. They came from five hospitals. The sessions used "
     "mannequins. Maternal deaths have fallen. Among the trainees were 61 women.", 86, 61),
    # near miss: a later figure that does not refer back to the group is not its split
    ("Eighty-six nurses attended the course in Musanze. They came from five hospitals. The sessions used "
     "mannequins. Maternal deaths have fallen. The district has 61 women in its council.", 86, None),
    # a plain plural with its split right after it is a count even with no verb of attending
    ("Thirty-five artisans, twenty-seven of them women, are spending ten days in Pemagatshel.", 35, 27),
    # gender adjectives before a shared noun keep the split; a count of mornings is a length
    ("Fourteen female and twelve male journalists attended the workshop in Bulawayo.", 26, 14),
    ("The training, held over three mornings, brought together 126 customs officers.", 126, None),
    # a split between dashes, as between commas
    ("SNV trained thirty-six private hatchery operators – eleven of them women – from Kisumu.", 36, 11),
    # the parse ties a number to the people an event gathers, whatever the noun; a rate is no group
    ("Last week we trained forty-eight volunteer Care Group promoters and fourteen health surveillance "
     "assistants (HSAs) in Nsanje.", 62, None),
    ("The minister said two drivers per vehicle had already been trained in defensive driving.", None, None),
])
def test_counts_expected_mixed_and_partial_groups(extractor, body, count, female):
    record = run(extractor, body)
    assert (record.participant_count, record.participants_female) == (count, female)


def test_count_from_an_earlier_event_is_not_the_count(extractor):
    record = run(extractor, "Officials met in Lusaka on 3 August 2020. The first meeting, held in 2017, was "
                            "attended by 85 officers.")
    assert record.participant_count is None


def test_sunday_to_thursday_last_week(extractor):
    record = run(extractor, "Last week, from Sunday to Thursday, 27 lawyers took part in a course in Mosul.",
                 date_line="ERBIL, 31 October 2018")
    assert (record.event_start, record.event_end) == ("2018-10-21", "2018-10-25")


def test_venue_city_named_in_the_body_beats_the_dateline(extractor):
    record = run(extractor, "A five-day course for 25 police officers started yesterday in Tsaghkadzor, a town "
                            "north of the capital.", date_line="YEREVAN, 19 November 2013")
    assert record.event_city == "Tsaghkadzor"


def test_a_few_remote_participants_do_not_make_an_event_online(extractor):
    record = run(extractor, "Forty officials met in Budva on 24 and 25 May 2020, while a few representatives "
                            "followed the discussions online.")
    assert record.event_city == "Budva"


def test_place_fused_into_a_hospital_name_is_not_the_event_city(extractor):
    record = run(extractor, "Forty nurses completed a course held at the Hôpital Saint-Michel in Jacmel.")
    assert record.event_city == "Jacmel"


@pytest.mark.parametrize("body,absent", [
    ("Lawyers from Tal Afar attended the course in Mosul.", "Afar"),
    ("A vendor from the Weather Coast attended the training in Honiara.", "Coast"),
    ("Lao health officials attended a simulation exercise in Vientiane.", "Lao"),
])
def test_part_of_a_longer_name_or_a_nationality_is_not_a_location(extractor, body, absent):
    record = run(extractor, body)
    assert absent not in [loc.name for loc in record.locations]


@pytest.mark.parametrize("body,organizers", [
    ("It was organized by the International Organization for Migration (IOM) in collaboration with the Ministry "
     "of Labour, Employment and Social Security (MoLESS).", ["IOM", "MoLESS"]),
    ("The Pacific Community (SPC) ran the session jointly with the Pacific Islands Forum Fisheries Agency (FFA).",
     ["SPC", "FFA"]),
    ("The CARICOM Implementation Agency for Crime and Security (IMPACS) organized the course.", ["IMPACS"]),
    ("UNODC's Global Firearms Programme (GFP) organized the meeting.", ["UNODC"]),
    ("The meeting was held in collaboration with the Africa Centres for Disease Control and Prevention (Africa CDC).",
     ["Africa CDC"]),
    ("The workshop was organised in collaboration with the Zimbabwe National Network of People Living with HIV "
     "(ZNNP+).", ["ZNNP+"]),
])
def test_organizers_with_acronyms_and_units(extractor, body, organizers):
    record = run(extractor, body)
    assert [o.acronym for o in record.organizers] == organizers


@pytest.mark.parametrize("body,organizers", [
    # a name no gazetteer knows, listed in a cue's scope
    ("The workshop was organized by Search for Common Ground (SFCG) in collaboration with Youth Action Network, a "
     "local association.", ["Search for Common Ground", "Youth Action Network"]),
    ("The course was organised by the Danida Fellowship Centre (DFC) together with the Technical University of "
     "Denmark (DTU) and HOFOR, the city's water utility.",
     ["Danida Fellowship Centre", "Technical University of Denmark", "HOFOR"]),
    # near misses: a unit written right after its parent, a place, a unit named before its parent
    ("The workshop was organized by the Ministry of Health in partnership with the IsDB Regional Hub.",
     ["Ministry of Health", "Islamic Development Bank"]),
    ("The dialogue was organised by World Vision East Africa on Tuesday.", ["World Vision"]),
    ("The course was organized by the Kenya Wildlife Service (KWS) in collaboration with the Faculty of Law of the "
     "University of Nairobi.", ["Kenya Wildlife Service", "University of Nairobi"]),
])
def test_unlisted_names_in_a_cues_scope(extractor, body, organizers):
    record = run(extractor, body)
    assert [o.name for o in record.organizers] == organizers


@pytest.mark.parametrize("body,funders", [
    ("The course was funded by extra-budgetary contributions from Finland and Norway.", ["Finland", "Norway"]),
    ("The European Union, the project's main donor, also finances the wells.", ["European Union"]),
    ("The course was held with financing from the Canadian International Development Agency (CIDA).",
     ["Canadian International Development Agency"]),
    ("The workshop ran for two days in Bridgetown. Funding came from the Government of Canada.", ["Canada"]),
    ("The training was financed from the SAARC Development Fund (SDF) under its social window.",
     ["SAARC Development Fund"]),
    ("The handover took place in Kingston. The equipment was provided by the Government of Japan.", ["Japan"]),
    ("The training of vaccinators was funded by Gavi, the Vaccine Alliance.", ["Gavi, the Vaccine Alliance"]),
    ("The workshop was held with support from the Konrad-Adenauer-Stiftung (KAS).", ["Konrad-Adenauer-Stiftung"]),
    # the fund a donor pays through is a funder too; an agency it pays through is not
    ("The training was funded by the European Union through its Emergency Trust Fund for Africa, under a "
     "regional programme.", ["European Union", "Emergency Trust Fund for Africa"]),
    ("The training was funded by the Government of Norway through UN Women.", ["Norway"]),
    # a donor named by what it does, in a relative clause; a project that is funded is none
    ("The hub was launched with the International Development Research Centre (IDRC) of Canada, which is funding "
     "it for five years.", ["International Development Research Centre"]),
    ("Trainers came from the National Value Chain Project, which is financed by the World Bank.", ["World Bank"]),
    ("The workshop ran for five days in Bridgetown. Financing came from the Caribbean Development Bank (CDB).",
     ["Caribbean Development Bank"]),
])
def test_more_funding_phrases(extractor, body, funders):
    record = run(extractor, body)
    assert [f.name for f in record.funders] == funders


def test_course_opened_on_monday_closed_today_with_counted_groups():
    text = ("Counsellors certified\n\nMONROVIA - Twenty (20) hotline counsellors and five (5) supervisors received "
            "certificates at the end of a five-day training course that opened on Monday, at a closing ceremony held "
            "today (Friday 14 September 2012) in Monrovia.")
    record = extract(text)
    assert (record.publication_date, record.event_start, record.event_end, record.participant_count) == (
        "2012-09-14", "2012-09-10", "2012-09-14", 25)


def test_lede_count_beats_a_later_group(extractor):
    record = run(extractor, "Twenty-two media professionals - 14 women and 8 men - spent two days in Ulaanbaatar.\n\n"
                            "The workshop brought together reporters and editors, as well as two press officers.")
    assert (record.participant_count, record.participants_female, record.participants_male) == (22, 14, 8)


def test_venue_named_after_a_city_is_not_the_city(extractor):
    record = run(extractor, "Forty nurses completed a course in Jacmel.\n\nThe course, held from 15 to 26 July 2020 "
                            "at the Saint-Michel hospital, was organized by UNFPA.")
    assert record.event_city == "Jacmel"


def test_a_model_org_entity_does_not_swallow_the_dateline(extractor):
    record = run(extractor, "Banjul - IOM held a three-day training from 13th to 15th March 2020.", date_line=None)
    assert record.event_city == "Banjul" and "Banjul" in [loc.name for loc in record.locations]


def test_city_of_an_earlier_event_is_not_the_venue(extractor):
    record = run(extractor, "Twenty-two analysts received certificates on 27 March 2009 at a course hosted at a "
                            "training centre in Bridgetown.\n\nThe first course, run in 2007 at the headquarters in "
                            "Port of Spain, trained 18 analysts.", date_line="BRIDGETOWN, Barbados")
    assert record.event_city == "Bridgetown"


def test_ten_day_course_starting_on_a_date(extractor):
    record = run(extractor, "Twenty-four nurses have completed a ten-day course starting 2 October 2017 in Cairo.")
    assert (record.event_start, record.event_end) == ("2017-10-02", "2017-10-11")


@pytest.mark.parametrize("body,expected", [
    ("Reporters came from Darkhan and Dornogovi province to the workshop in Ulaanbaatar.", "Dornogovi province"),
    ("Food was stored in Toamasina and in the Analanjirofo region.", "Analanjirofo region"),
    ("Officers from Kaski and Tanahun attended the training in Pokhara.", "Tanahun"),
])
def test_places_the_gazetteer_lacks(extractor, body, expected):
    record = run(extractor, body)
    assert expected in [loc.name for loc in record.locations]


def test_the_region_is_not_a_place(extractor):
    record = run(extractor, "The workshop was held in Accra. The region remains a transit area.")
    assert [loc.name for loc in record.locations] == ["Accra"]


@pytest.mark.parametrize("body,organizers", [
    ("The meeting was organized by the South Eastern and Eastern Europe Clearinghouse for the Control of Small Arms "
     "and Light Weapons (SEESAC).", ["SEESAC"]),
    ("The course was organized by the Ministry of Gender and Development and UN Women.",
     [None, "UN Women"]),
    ("The exercise was convened by the Ministry of Health with the World Health Organization (WHO).", [None, "WHO"]),
    ("The European Union and the United Nations Development Programme (UNDP) handed over equipment under an "
     "EU-funded project.", ["EU", "UNDP"]),
])
def test_organizer_lists(extractor, body, organizers):
    record = run(extractor, body)
    assert [o.acronym for o in record.organizers] == organizers


def test_a_title_word_is_not_a_far_passive_cue(extractor):
    record = run(extractor, "The workshop was part of the project \"Coordinated Border Management in Mali\", funded "
                            "by the Government of Japan.")
    assert record.organizers == [] and [f.name for f in record.funders] == ["Japan"]


@pytest.mark.parametrize("body,names", [
    ("Teams came from the municipalities of Kaski, Syangja and Tanahun to the training in Pokhara.",
     {"Kaski", "Syangja", "Tanahun"}),
    ("Staff from Darkhan-Uul, Orkhon and Khovd aimags attended the course in Ulaanbaatar.",
     {"Darkhan-Uul", "Orkhon"}),
    ("The group visited the temple complex in Champasak Province after the workshop in Vientiane.",
     {"Champasak Province"}),
])
def test_listed_administrative_areas(extractor, body, names):
    record = run(extractor, body)
    assert names <= {loc.name for loc in record.locations}


def test_member_states_is_not_an_area(extractor):
    record = run(extractor, "Officials from 12 Member States attended the workshop in Gaborone.")
    assert [loc.name for loc in record.locations] == ["Gaborone"]


def test_singular_area_word_names_only_the_last_place(extractor):
    record = run(extractor, "Forty rangers graduated from a course at the academy in Manyani, Taita-Taveta County.")
    assert record.event_city == "Manyani"


@pytest.mark.parametrize("body,count,female,male", [
    ("Thirty-eight market vendors, all of them women, completed a two-day training.", 38, 38, None),
    ("Thirty farmers took part in the course. Eleven of the trainees were women.", 30, 11, None),
    ("The 36 graduates (31 women and five men) completed the course.", 36, 31, 5),
    ("Twenty-two (22) midwives completed a five-day training.", 22, None, None),  # not stated to be women
])
def test_female_and_male_splits(extractor, body, count, female, male):
    record = run(extractor, body)
    assert (record.participant_count, record.participants_female, record.participants_male) == (count, female, male)


def test_body_names_the_event_town_not_the_dateline(extractor):
    record = run(extractor, "ULAANBAATAR - Twenty herders were trained from 4 to 6 August 2020 in the town of Khovd "
                            "on camera trapping. The training was organized by WWF.", date_line=None,
                 title="Herders trained in snow leopard monitoring")
    assert record.event_city == "Khovd"
    assert record.evidence["event_city"][0].rule == "places.event_city"


def test_a_later_session_elsewhere_is_not_the_event_town(extractor):
    record = run(extractor, "BAMAKO - Twenty-five judges attended a workshop from 10 to 12 August 2020. "
                            "A second session is planned in Mopti in October.", date_line=None)
    assert record.event_city == "Bamako"


def test_a_planned_in_person_meeting_leaves_an_online_course_online(extractor):
    record = run(extractor, "Sixty inspectors completed an online training course from 10 to 12 August 2020. "
                            "A follow-up in-person workshop is planned in Tashkent in September.")
    assert record.event_city is None and record.event_country is None
    assert record.evidence["event_city"][0].rule == "places.online_event"


def test_a_square_named_after_a_place_word_is_no_place(extractor):
    record = run(extractor, "The campaign was launched at a festival in the Plaza del Estudiante in La Paz, Bolivia.")
    assert "Plaza" not in [e.name for e in record.locations]
    assert record.event_city == "La Paz"


def test_a_date_without_its_year_long_after_publication_is_last_years(extractor):
    record = run(extractor, "Forty midwives completed a course held from 27 November to 1 December in Kenema.",
                 date_line="22 January 2021")
    assert (record.event_start, record.event_end) == ("2020-11-27", "2020-12-01")


def test_a_split_given_when_the_group_is_counted_again(extractor):
    record = run(extractor, "BRIDGETOWN, Barbados, August 25, 2020 – Twenty-four emergency shelter managers from four "
                            "island states have completed a week-long training course in Vieux Fort, Saint Lucia, held "
                            "August 10–14.\n\nThe course was delivered by CDEMA. It was funded by the Government of "
                            "Canada.\n\nThe 24 participants – 15 women and 9 men – came from Dominica and Grenada. They "
                            "were joined by four facilitators.", date_line=None)
    assert (record.participant_count, record.participants_female, record.participants_male) == (24, 15, 9)


def test_a_passive_cue_with_a_second_agent(extractor):
    record = run(extractor, "The workshop was held from 10 to 12 August 2020 in Castries. It was funded by the "
                            "Government of Canada, through its embassy, and by the European Union (EU).")
    assert {e.name for e in record.funders} >= {"Canada", "European Union"}


@pytest.mark.parametrize("link,second", [(", and from", True), (", and", False)])
def test_a_second_agent_after_and_from(extractor, link, second):
    # "with support from X under its fund, and from Y": Y is a second funder; a bare "and" after the fund's name
    # starts something else, not a second agent
    record = run(extractor, "The strategy was validated at a workshop held on 10 August 2020 in Gaborone. It was "
                            "prepared with financial support from the European Union under the 11th European "
                            f"Development Fund{link} the Austrian Development Agency (ADA) reviewed it.")
    assert ("ADA" in {e.acronym for e in record.funders}) is second


@pytest.mark.parametrize("sentence,funders", [
    ("Funding for the workshop was provided by the Government of Australia.", ["Australia"]),
    ("The truck and its tools were donated by the Government of the People's Republic of China.", ["China"]),
    # near miss: a body that provides the training is no donor, so no funder
    ("Training was provided by the Namibia Training Authority (NTA).", []),
])
def test_provided_by_names_a_funder_only_when_a_donor(extractor, sentence, funders):
    record = run(extractor, "The course was held in Rundu on 7 June 2020. " + sentence)
    assert [e.name for e in record.funders] == funders


@pytest.mark.parametrize("adjective,funders", [("New Zealand-funded", ["New Zealand"]), ("community-funded", [])])
def test_a_donor_of_two_words_written_into_the_adjective(extractor, adjective, funders):
    record = run(extractor, f"The ice machine, bought under the {adjective} Fisheries Livelihoods Project, was handed "
                            "over in Gizo on 10 August 2020.")
    assert [e.name for e in record.funders] == funders


@pytest.mark.parametrize("host,organizers", [
    ("the Baidoa Municipality", {"Baidoa Municipality"}),
    # near miss: a name written with a lower-case first letter is not cut inside its first word
    ("the eThekwini Municipality", set()),
])
def test_a_municipality_is_a_body(extractor, host, organizers):
    record = run(extractor, f"A dialogue on evictions was held on 12 August 2020 in Baidoa, organised by {host}.")
    assert {e.name for e in record.organizers} == organizers


@pytest.mark.parametrize("bodies,organizers", [
    ("the Ministry of Education and Sports and Kyambogo University",
     {"Ministry of Education and Sports", "Kyambogo University"}),
    # near miss: only one side of "and" carries a head word, so the run is one body
    ("the Ministry of Agriculture and Rural Development", {"Ministry of Agriculture and Rural Development"}),
])
def test_a_run_of_two_bodies_joined_by_and(extractor, bodies, organizers):
    record = run(extractor, f"The training was organised by {bodies} in Mubende from 10 to 12 August 2020.")
    assert {e.name for e in record.organizers} == organizers


def test_a_lower_case_word_before_a_partner_is_no_head_of_its_name(extractor):
    # near miss of the lower-case long forms: "partnership" is a head word, but no complement follows it
    record = run(extractor, "The course was held in Suva from 10 to 12 August 2020 by USP in partnership with the "
                            "Pacific Community (SPC).")
    assert [e.name for e in record.organizers if e.acronym == "SPC"] == ["Pacific Community"]


def test_a_donor_agency_supporting_the_event_is_a_funder(extractor):
    record = run(extractor, "FAO handed over 300 pumps to farmers in Nsanje on 14 August 2020, thanks to the "
                            "generous support of Irish Aid.")
    assert "Irish Aid" in [e.name for e in record.funders]


def test_midwives_are_counted_but_not_as_women(extractor):
    record = run(extractor, "Forty-two (42) midwives and nurses from three districts completed a five-day course "
                            "held from 10 to 14 August 2020 in Kenema. The course is the third in a series that has "
                            "so far trained 160 health workers.")
    assert record.participant_count == 42 and record.participants_female is None


ONE_WORD_BODIES = [
    # a name no gazetteer knows, subject of a holding verb and written as a name again mid-sentence
    ("Radiovox trained 18 radio journalists at a workshop in Juba on 12 August 2020. Editors from Radiovox will mentor them.",
     "Officials trained on border management", ["Radiovox"]),
    # the title's subject ("<Body> trains ..."), named only there and once more in the body
    ("The two-day workshop ended in Juba on 12 August 2020. It was the second one run with editors of Radiovox.",
     "Radiovox trains radio journalists in Juba", ["Radiovox"]),
    # near misses: a common noun at a sentence start, a person after a title, a place ("Lumina" is a town)
    ("Lumina trained 18 radio journalists at a workshop in Juba on 12 August 2020. Editors from Lumina came.",
     "Officials trained on border management", []),
    ("Participants trained 18 radio journalists at a workshop in Juba on 12 August 2020. The participants came from Juba.",
     "Officials trained on border management", []),
    ("Dr Harewood trained 18 radio journalists at a workshop in Juba on 12 August 2020, said Dr Harewood.",
     "Officials trained on border management", []),
    ("Juba hosted a workshop for 18 radio journalists on 12 August 2020, officials in Juba said.",
     "Officials trained on border management", []),
]


@pytest.mark.parametrize("body,title,expected", ONE_WORD_BODIES)
def test_a_capitalised_subject_of_a_holding_verb_is_an_organizer_only_when_written_as_a_name(
        extractor, body, title, expected):
    record = run(extractor, body, title=title)
    assert [o.name for o in record.organizers] == expected


@pytest.mark.parametrize("body,organizers", [
    # a name whose complement is a list of plain capitalised words is one name
    ("The workshop was organised by the Ministry of Agriculture, Livestock, Fisheries and Irrigation in Nairobi.",
     ["Ministry of Agriculture, Livestock, Fisheries and Irrigation"]),
    ("The workshop was organised in collaboration with the Qatar National Commission for Education, Culture and "
     "Science and the Ministry of Culture and Sports.",
     ["Qatar National Commission for Education, Culture and Science", "Ministry of Culture and Sports"]),
    # near miss: the list holds other bodies (acronyms), so the name stops at its own complement
    ("The training was organized by the Ministry of Health, UNICEF and WHO in Nairobi.",
     ["Ministry of Health", "United Nations Children's Fund", "World Health Organization"]),
    ("The courses are being staged by the Caribbean Community (CARICOM) Secretariat in Kingston.",
     ["Caribbean Community"]),
])
def test_names_with_listed_complements_and_more_organizer_cues(extractor, body, organizers):
    record = run(extractor, body)
    assert [o.name for o in record.organizers] == organizers


@pytest.mark.parametrize("body,city", [
    # an online thing, not an online event: the parse has "online" modify a noun that is no event
    ("Forty women took part in a workshop in Samarkand on 12 August 2020. Sessions covered online sales "
     "and cash-flow planning.", "Samarkand"),
    ("Thirty journalists from print, radio and online outlets attended the workshop in Arusha on 12 August 2020.",
     "Arusha"),
    # an online course still to come is not how this event met
    ("Forty women attended a launch in Nairobi on 12 August 2020. The programme will combine a twelve-week "
     "online course with internships.", "Nairobi"),
    # near miss: an online event named by a noun of the lexicon stays online
    ("Young farmers took part in an online exchange held from 10 to 12 August 2020.", None),
])
def test_online_only_when_the_event_met_online(extractor, body, city):
    assert run(extractor, body).event_city == city


def test_a_code_with_digits_is_never_a_place(extractor):
    record = run(extractor, "Officials met at C3ER in Dhaka on 12 August 2020, said the head of research at C3ER.")
    assert "C3ER" not in [loc.name for loc in record.locations] and record.event_city != "C3ER"


@pytest.mark.parametrize("body,city", [
    # a place in a clause about what is to come is not where this event met
    ("Thirty farmers attended a training in Nakuru on 12 August 2020. JICA said a follow-up session would be "
     "held in Kisumu next year.", "Nakuru"),
    # near miss: a future word in a relative clause before a verb of attending
    ("Thirty-five people who will run emergency shelters completed a two-day training in Montego Bay on "
     "12 August 2020.", "Montego Bay"),

])
def test_a_place_in_a_planned_clause_is_not_the_venue(extractor, body, city):
    assert run(extractor, body).event_city == city


@pytest.mark.parametrize("body,date_line,organizers", [
    # a person named by a cue is not a body
    ("The online workshop was organised by UNESCO and facilitated by Prof Annie Tabet over five days.", None,
     ["United Nations Educational, Scientific and Cultural Organization"]),
    # a dateline's place in capitals is not the subject of the lede's verb
    ("The National Department of Health and the Asian Development Bank (ADB) jointly held a workshop.",
     "PORT MORESBY, PAPUA NEW GUINEA (8 September 2022) —", ["National Department of Health", "Asian Development Bank"]),
])
def test_persons_and_dateline_places_are_not_organizers(extractor, body, date_line, organizers):
    text = f"{date_line} {body}" if date_line else body
    record = run(extractor, text)
    assert [o.name for o in record.organizers] == organizers


def test_a_country_named_after_a_town_picks_that_country_s_town(extractor):
    record = run(extractor, "Thirty-one statisticians took part in a regional workshop in Bridgetown, Barbados, from "
                            "22 to 26 July 2019, run with the United States Census Bureau.")
    assert (record.event_city, record.event_country) == ("Bridgetown", "BB")


def test_the_body_venue_wins_over_the_date_line_town(extractor):
    record = run(extractor, "The EAC Secretariat convened a regional validation meeting on a draft strategy for "
                            "women traders from 10 to 12 August 2020 in Kigali, Rwanda.",
                 date_line="Arusha, Tanzania, 16 August 2020")
    assert (record.event_city, record.event_country) == ("Kigali", "RW")


@pytest.mark.parametrize("body,organizers", [
    # no phrase says who acted: the body named most (at least twice) is the organizer of last resort
    ("Protective gear from the United Nations Office for Project Services (UNOPS) reached the health service in "
     "Accra. UNOPS said the gear would reach 40 clinics.", ["United Nations Office for Project Services"]),
    # near miss: a body named once is no organizer
    ("Protective gear reached the health service in Accra, the United Nations Office for Project Services said.",
     []),
])
def test_the_body_named_most_is_the_organizer_of_last_resort(extractor, body, organizers):
    record = run(extractor, body, title="Gear for clinics")
    assert [o.name for o in record.organizers] == organizers
    assert all(e.rule == "organizers.most_named" for e in record.evidence.get("organizers", []))


def test_an_x_funded_title_names_a_funder(extractor):
    record = run(extractor, "Thirty procurement officers began a course in Accra on 10 August 2020.",
                 title="GIMPA opens DANIDA-funded courses for procurement officers")
    assert [f.acronym for f in record.funders] == ["DANIDA"]


def test_a_known_body_with_a_country_is_its_national_office(extractor):
    record = run(extractor, "UNICEF Ghana handed over ten motorbikes to health workers in Tamale on Monday.")
    assert [o.acronym for o in record.organizers] == ["UNICEF"]
    assert "Ghana" not in [loc.name for loc in record.locations]  # part of the body's name, no place


def test_a_known_body_before_a_town_is_not_extended():
    from pipeline.extract.actors import _national_end

    places = load_resources().places
    assert _national_end("UNICEF Ghana handed", 6, places) == len("UNICEF Ghana")
    assert _national_end("UNICEF Tamale handed", 6, places) == 6  # a town: no national office


def test_a_body_named_three_times_at_sentence_starts_is_a_body(extractor):
    text = ("Internews trains radio journalists in Juba\n\n16 August 2020\n\nJUBA - Internews on Monday opened "
            "a five-day training for 25 radio journalists in Juba. Internews has worked in South Sudan since 2006.")
    assert [o.name for o in extract(text, extractor=extractor).organizers] == ["Internews"]


def test_a_word_named_twice_at_sentence_starts_is_not(extractor):
    text = ("Radio journalists trained in Juba\n\n16 August 2020\n\nJUBA - Mentors on Monday opened "
            "a five-day training for 25 radio journalists in Juba. Mentors came from Nairobi.")
    assert extract(text, extractor=extractor).organizers == []


def test_the_lede_s_venue_outweighs_the_dateline_s_seat(extractor):
    body = ("LUSAKA - The Churches Health Association of Zambia yesterday handed over 25 motorbikes to the "
            "Eastern Provincial Health Office in Chipata.")
    assert run(extractor, body).event_city == "Chipata"


def test_the_dateline_stands_when_the_body_names_no_venue(extractor):
    body = "LUSAKA - The Churches Health Association of Zambia yesterday handed over 25 motorbikes to nurses."
    assert run(extractor, body).event_city == "Lusaka"


@pytest.mark.parametrize("where,city", [
    ("was held from 3 to 5 August 2020 in the lakeside town of Gisenyi", "Gisenyi"),
    # near miss: "from the town of X" says where people came from; the dateline's town stays the event's
    ("brought together journalists from the town of Gisenyi on 5 August 2020", "Kigali"),
])
def test_a_qualified_settlement_before_the_town(extractor, where, city):
    record = run(extractor, f"KIGALI - A training for journalists {where}. It was co-organised by the Rwanda "
                            "Governance Board (RGB).", date_line="7 August 2020")
    assert record.event_city == city


@pytest.mark.parametrize("dateline,city", [
    ("Ulaanbaatar, June 15, 2023 /MONTSAME/. An", "Ulaanbaatar"),
    # near miss: a slash inside the lede's words is no wire tag
    ("An", None),
])
def test_a_wire_tag_ends_the_dateline(extractor, dateline, city):
    record = run(extractor, f"{dateline} international conference on rangeland management opened today, gathering "
                            "some two hundred researchers and herders. The event runs until June 16.",
                 date_line="2023-06-15 14:32")
    assert (record.event_city, record.event_end) == (city, "2023-06-16")


def test_victoria_is_a_town_where_the_item_names_its_country(extractor):
    record = run(extractor, "India handed over patrol equipment to Seychelles on 12 August 2020 during a ceremony "
                            "held at the Coast Guard base in Victoria.")
    assert (record.event_city, record.event_country) == ("Victoria", "SC")


@pytest.mark.parametrize("sentence,funders", [
    ("It was financed by the Multi-Partner Fund (MPF), which pools contributions from Denmark, Finland and Sweden.",
     {"MPF"}),
    # near miss: donors named with no pooling word are the event's funders
    ("It was financed by the Multi-Partner Fund (MPF) and by Denmark.", {"MPF", "Denmark"}),
])
def test_who_pays_into_a_pooled_fund_is_no_funder(extractor, sentence, funders):
    record = run(extractor, "The workshop was held in Hargeisa from 10 to 12 August 2020. " + sentence)
    assert {e.acronym or e.name for e in record.funders} == funders


def test_an_abbreviation_inside_a_name_does_not_end_it(extractor):
    record = run(extractor, "The workshop was held in Basseterre from 10 to 12 August 2020, organised by the "
                            "Department of Marine Resources of St. Kitts and Nevis.")
    assert [e.name for e in record.organizers] == ["Department of Marine Resources of St. Kitts and Nevis"]
