"""report.html: a self-contained page with every record, its evidence and charts."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.report import evidence_spans, item_texts, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

TEXTS = {
    "alpha": "Judges trained in Segou\n\nSEGOU - Twenty-five judges met in Segou, Mali, funded by the European Union.",
    "beta": "Rangers workshop\n\n12 May 2022\n\nForty rangers from Kenya attended a course run by KWS.",
}


def _ev(text: str, phrase: str, rule: str) -> dict:
    start = text.index(phrase)
    return {"text": phrase, "start": start, "end": start + len(phrase), "rule": rule}


def make_out_dir(tmp_path: Path) -> Path:
    """Two items on disk, their records (with overlapping evidence) and one error row."""
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    out.mkdir()
    a, b = TEXTS["alpha"], TEXTS["beta"]
    for name, text in TEXTS.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    records = [
        {"id": "alpha", "source": str(docs / "alpha.txt"), "title": "Judges trained in Segou",
         "event_start": "2020-08-10", "event_city": "Ségou", "event_country": "ML", "participant_count": 25,
         "organizers": [], "funders": [{"name": "European Union", "acronym": "EU"}],
         "evidence": {"event_city": [_ev(a, "SEGOU", "places.event_city")],
                      "event_country": [_ev(a, "SEGOU", "places.event_city")],
                      "participant_count": [_ev(a, "Twenty-five judges", "participants.count_before_noun")],
                      "locations": [_ev(a, "five judges met", "test.overlap")],  # overlaps the count: dropped
                      "funders": [_ev(a, "funded by the European Union", "funders.cue_by")]}},
        {"id": "beta", "source": str(docs / "beta.txt"), "title": "Rangers workshop",
         "publication_date": "2022-05-12", "event_country": "KE", "participant_count": 40,
         "organizers": [{"name": "Kenya Wildlife Service", "acronym": "KWS"}], "funders": [],
         "evidence": {"publication_date": [_ev(b, "12 May 2022", "dates.publication.single_dmy")],
                      "organizers": [_ev(b, "run by KWS", "organizers.cue_by")]}},
    ]
    with (out / "records.jsonl").open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (out / "errors.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "id", "kind", "message"])
        writer.writerow([str(docs / "broken.txt"), "broken", "empty", "file is empty or only whitespace"])
    return out


def test_report_holds_records_evidence_errors_and_charts(tmp_path):
    page = write_report(make_out_dir(tmp_path)).read_text(encoding="utf-8")
    for record_id in ("alpha", "beta"):
        assert f'href="#item-{record_id}"' in page and f'id="item-{record_id}"' in page
    marks = re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span', page, flags=re.S)
    assert marks == ["SEGOU", "Twenty-five judges", "funded by the European Union", "12 May 2022", "run by KWS"]
    assert "CITY · COUNTRY" in page  # one span, two fields: one mark
    assert "file is empty or only whitespace" in page and "broken.txt" in page
    assert 'class="plotly-graph-div"' in page
    assert page.count("window.PlotlyConfig") == 1  # plotly.js inlined exactly once


def test_report_loads_nothing_from_the_network(tmp_path):
    page = write_report(make_out_dir(tmp_path)).read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", page, flags=re.I)
    assert not re.search(r"<link[^>]*href=[\"']?https?:", page, flags=re.I)
    assert not re.search(r"<(img|iframe)[^>]*src=[\"']?https?:", page, flags=re.I)


def test_overlapping_spans_keep_the_first_and_share_identical_ones():
    text = "Forty rangers from Kenya"
    record = {"evidence": {
        "event_country": [{"text": "Kenya", "start": 19, "end": 24, "rule": "a"}],
        "locations": [{"text": "Kenya", "start": 19, "end": 24, "rule": "b"},
                      {"text": "rangers from", "start": 6, "end": 18, "rule": "c"}],
        "participant_count": [{"text": "Forty rangers", "start": 0, "end": 13, "rule": "d"},
                              {"text": "stale", "start": 0, "end": 5, "rule": "e"}],
    }}
    spans, stale = evidence_spans(record, text)
    assert spans == [{"start": 0, "end": 13, "label": "COUNT"}, {"start": 19, "end": 24, "label": "COUNTRY · PLACE"}]
    assert stale == 1


def test_item_texts_finds_an_item_inside_a_jsonl_feed(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": i, "title": f"Title {i}", "text": f"Body of {i}."})
                              for i in ("one", "two")), encoding="utf-8")
    texts = item_texts([{"id": "two", "source": f"{feed}:2"}])
    assert texts["two"].endswith("Body of two.")


def test_cli_report_writes_the_page(tmp_path):
    out = make_out_dir(tmp_path)
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").exists()


@pytest.mark.browser
def test_report_in_headless_chromium(tmp_path):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"browser test needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    report = write_report(make_out_dir(tmp_path))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1800", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(report.as_uri())
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".plotly-graph-div .main-svg"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#overview tbody tr")
        assert len(rows) == 2
        assert driver.find_elements(By.CSS_SELECTOR, "mark.entity")
        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert severe == []

        count_header = driver.find_element(By.XPATH, "//table[@id='overview']//th[text()='count']")
        count_header.click()
        count_header.click()  # the second click sorts descending: 40 before 25
        first = driver.find_element(By.CSS_SELECTOR, "#overview tbody tr td a").text
        assert first == "beta"

        driver.find_element(By.ID, "filter").send_keys("kenya wildlife")
        assert sorted(row.is_displayed() for row in rows) == [False, True]
        assert driver.find_element(By.CSS_SELECTOR, "#overview tbody tr:not([hidden]) a").text == "beta"
        assert driver.find_element(By.ID, "shown").text == "1 of 2 shown"

        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
        if os.environ.get("PRESSX_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["PRESSX_SCREENSHOT"])
    finally:
        driver.quit()


def _with_confidence_and_gold(out: Path, tmp_path: Path) -> None:
    """Give the records confidences and write gold beside their docs/ folder: an annotated set."""
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    records[0]["confidence"] = {"event_city": 0.93, "event_country": 0.97, "participant_count": 0.41,
                                "funders": [0.88]}
    records[1]["confidence"] = {"publication_date": 0.99, "event_country": 0.62, "participant_count": 0.8,
                                "organizers": [0.75]}
    (out / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    gold = {"alpha": {"event_city": "Ségou", "event_country": "ML", "participant_count": 25,
                      "funders": [["European Union", "EU"]]},
            "beta": {"publication_date": "2022-05-12", "event_country": "TZ", "participant_count": 40,
                     "organizers": [["Kenya Wildlife Service", "KWS"]]}}
    for record_id, fields in gold.items():
        empty = {"publication_date": None, "event_start": None, "event_end": None, "event_city": None,
                 "event_country": None, "locations": [], "participant_count": None, "participants_female": None,
                 "participants_male": None, "organizers": [], "funders": []}
        (gold_dir / f"{record_id}.json").write_text(json.dumps({**empty, **fields, "id": record_id}), encoding="utf-8")


def test_report_shows_confidences_and_a_reliability_chart_on_an_annotated_set(tmp_path):
    out = make_out_dir(tmp_path)
    _with_confidence_and_gold(out, tmp_path)
    page = write_report(out).read_text(encoding="utf-8")
    assert re.search(r'<td class="confidence"[^>]*>0\.93</td>', page)  # beside the city of alpha
    assert re.search(r'<td class="confidence"[^>]*>0\.75</td>', page)  # one per organizer of beta
    assert "Reliability on 2 annotated items" in page
    table = re.search(r'<table id="calibration">.*?</table>', page, flags=re.S).group()
    # beta's country is wrong (TZ in gold) at 0.62, alpha's right at 0.97: Brier (0.62² + 0.03²) / 2
    country = re.search(r"<tr><td>event_country</td><td>2</td><td>([\d.]+)</td>", table)
    assert country and abs(float(country.group(1)) - (0.62 ** 2 + 0.03 ** 2) / 2) < 0.001


def test_report_without_gold_has_no_reliability_chart(tmp_path):
    page = write_report(make_out_dir(tmp_path)).read_text(encoding="utf-8")
    assert "Reliability on" not in page and 'id="calibration"' not in page
