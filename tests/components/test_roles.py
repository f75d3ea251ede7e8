"""Each role pattern of models/patterns/<lang>/roles.jsonl on one short sentence where it fires
and a near miss where it must not (the parse of the default models; skipped without them)."""
from __future__ import annotations

import pytest

from pipeline.resources import load_role_patterns

CASES = {
    ('en', 'org.subject_of_hold'): ('UNDP held a three-day workshop for 30 judges in Juba.',
        'UNDP', 'The workshop was held in Juba for 30 judges.'),
    ('en', 'org.subject_of_hold_conj'): ('UNDP and the Ministry of Justice held a workshop in Juba.',
        'the Ministry of Justice', 'The Ministry of Law and Human Rights held a workshop in Juba.'),
    ('en', 'org.agent_of_organize'): ('The workshop was organized by the Ministry of Health in Accra.',
        'the Ministry of Health', 'The workshop was organized in Accra in May.'),
    ('en', 'org.agent_of_organize_conj'): ('The workshop was organized by UNICEF and the Ministry of Health.',
        'the Ministry of Health', 'The workshop was organized by the Ministry of Labour and Employment.'),
    ('en', 'org.partner_with'): ('The course was run in partnership with the Kenya School of Government.',
        'the Kenya School of Government', 'The course was run with the Kenya School of Government.'),
    ('en', 'org.partner_with_conj'): ('The course was run in partnership with IOM and the Kenya School of Government.',
        'the Kenya School of Government', 'The course was run in partnership with the Ministry of Trade and Industry.'),
    ('en', 'org.holder_with'): ('The Danish Refugee Council organised the dialogue with the Baidoa Municipality.',
        'the Baidoa Municipality', 'The Danish Refugee Council organised the dialogue in Baidoa on Monday.'),
    ('en', 'org.holder_with_conj'): ('UN Women conducted the training with the Fiscal Commission and the Ministry of Health.',
        'the Ministry of Health', 'UN Women conducted the training with the Ministry of Labour and Employment.'),
    ('en', 'fund.agent_of_fund'): ('The training was funded by the Government of Japan.',
        'the Government of Japan', 'The training was funded last year.'),
    ('en', 'fund.agent_of_fund_conj'): ('The training was funded by Japan and the European Union.',
        'the European Union', 'The training was funded by the Ministry of Justice and Security.'),
    ('en', 'fund.source_of_funding'): ('The training took place with funding from USAID.',
        'USAID', 'The training took place with help from USAID.'),
    ('en', 'fund.source_of_funding_conj'): ('The training took place with funding from USAID and Sweden.',
        'Sweden', 'The training took place with funding from the Bureau of Drugs and Crime.'),
    ('en', 'fund.financial_support_from'): ('The forum was held with financial support from Norway.',
        'Norway', 'The forum was held with support from Norway.'),
    ('en', 'fund.financial_support_from_conj'): ('The forum was held with financial support from Norway and Denmark.',
        'Denmark', 'The forum was held with financial support from the Ministry of Trade and Industry.'),
    ('fr', 'org.sujet_organise'): ('Le PNUD a organisé un atelier à Abidjan.',
        'Le PNUD', 'Un atelier a été organisé à Abidjan.'),
    ('fr', 'org.sujet_organise_conj'): ('Le PNUD et le ministère de la Justice ont organisé un atelier à Abidjan.',
        'le ministère de la Justice', 'Le ministère de la Justice et des Droits humains a organisé un atelier.'),
    ('fr', 'org.agent_organise'): ("L'atelier a été organisé par le ministère de la Santé.",
        'par le ministère de la Santé', "L'atelier a été organisé à Dakar en mars."),
    ('fr', 'org.agent_organise_conj'): ("L'atelier a été organisé par le PNUD et le ministère de la Santé.",
        'le ministère de la Santé', "L'atelier a été organisé par le ministère de la Santé et de l'Hygiène publique."),
    ('fr', 'org.partenariat_avec'): ("L'atelier est organisé en collaboration avec le HCR et la Croix-Rouge.",
        'avec le HCR', "L'atelier est organisé avec le HCR."),
    ('fr', 'org.partenariat_avec_conj'): ("L'atelier est organisé en collaboration avec le HCR et la Croix-Rouge.",
        'la Croix', "L'atelier est organisé en collaboration avec le ministère de la Santé et de l'Hygiène."),
    ('fr', 'fund.agent_finance'): ("Le projet est financé par l'Union européenne.",
        "par l'Union européenne", 'Le projet est financé depuis 2019.'),
    ('fr', 'fund.agent_finance_conj'): ("Le projet est financé par le Japon et l'Union européenne.",
        "l'Union européenne", "Le projet est financé par le ministère de la Santé et de l'Action sociale."),
    ('fr', 'fund.financement_de'): ("L'atelier a eu lieu avec le financement de la Suède.",
        'de la Suède', "L'atelier a eu lieu avec le Fonds des Nations Unies pour la population."),
    ('fr', 'fund.financement_de_conj'): ("L'atelier a eu lieu avec le financement de la Suède et du Danemark.",
        'du Danemark', "L'atelier a eu lieu avec le financement de la Suède et en présence du ministre."),
    ('fr', 'fund.appui_financier_de'): ("L'atelier a eu lieu avec l'appui financier de la Belgique.",
        'de la Belgique', "L'atelier a eu lieu avec l'appui de la Belgique."),
    ('fr', 'fund.appui_financier_de_conj'): ("L'atelier a eu lieu avec l'appui financier de la Belgique et du Luxembourg.",
        'du Luxembourg', "L'atelier a eu lieu avec l'appui financier de la Belgique et en présence du ministre."),
    ('fr', 'org.partenariat_avec_voisin'): ("La formation a été dispensée en partenariat avec l'École nationale de police.",
        "avec l'École nationale de police", "La formation a été dispensée avec l'École nationale de police."),
}


@pytest.fixture(scope="module")
def parse():
    from pipeline.nlp import ModelNotFound, build_nlp
    from pipeline.resources import load_resources

    pipelines = {}

    def run(language: str, text: str):
        if language not in pipelines:
            try:
                pipelines[language] = build_nlp(language, load_resources())
            except ModelNotFound as exc:
                pytest.skip(str(exc))
        return pipelines[language](text)

    return run


def test_every_pattern_has_a_case():
    ids = {(lang, entry["id"]) for lang in ("en", "fr") for entry in load_role_patterns(lang)}
    assert ids == set(CASES)


@pytest.mark.parametrize("language, rule", sorted(CASES), ids=[f"{l}-{r}" for l, r in sorted(CASES)])
def test_pattern_fires_and_its_near_miss_does_not(parse, language, rule):
    sentence, actor, near_miss = CASES[language, rule]
    doc = parse(language, sentence)
    found = [(s.text, s.label_) for s in doc.spans["role_candidates"] if s.id_ == rule]
    assert actor in [text for text, _ in found], found
    assert {label for _, label in found} == {"FUNDER" if rule.startswith("fund.") else "ORGANIZER"}
    missed = parse(language, near_miss)
    assert not [s.text for s in missed.spans["role_candidates"] if s.id_ == rule]


def test_blank_pipelines_have_no_role_component():
    from pipeline.nlp import BLANK, build_nlp
    from pipeline.resources import load_resources

    assert "pressx_roles" not in build_nlp("en", load_resources(), model=BLANK).pipe_names


@pytest.mark.parametrize("line, problem", [
    ('{"id": "x", "label": "DONOR", "pattern": [{"RIGHT_ID": "actor", "RIGHT_ATTRS": {}}]}', "label"),
    ('{"id": "x", "label": "FUNDER", "pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {}}]}', "actor"),
    ('{"id": "x", "label": "FUNDER", "pattern": []}', "pattern"),
    ('{"label": "FUNDER", "pattern": [{"RIGHT_ID": "actor", "RIGHT_ATTRS": {}}]}', "id"),
    ('{"id": "x", ', "invalid JSON"),
])
def test_a_broken_pattern_file_names_its_line(tmp_path, line, problem):
    from pipeline.resources import ResourceError

    folder = tmp_path / "patterns" / "xx"
    folder.mkdir(parents=True)
    (folder / "roles.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=problem) as caught:
        load_role_patterns.__wrapped__("xx", tmp_path)
    assert "roles.jsonl:1" in str(caught.value)
