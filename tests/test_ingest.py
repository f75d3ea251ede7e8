"""Ingest: every kind of bad input is refused with a one-line reason; good inputs are read faithfully.

Bad inputs are checked twice: at ``read_file``/``iter_files`` (kind and message), and
through ``pressx run`` (errors.csv and stderr list them, the good items still land, exit 1).
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline import ingest
from pipeline.ingest import IngestFailure, decode, iter_files, make_item, read_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

GOOD_TEXT = "Police officers trained in Dakar\n12 May 2021\n\nDAKAR - Twenty police officers attended a workshop.\n"
NAV_ONLY_HTML = (
    "<html><head><title>Site</title><script>var menu = 'open the main menu now please';</script></head>"
    "<body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About us</a></nav>"
    "<footer>Copyright 2024 All rights reserved worldwide</footer></body></html>"
)
ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Border officers trained in Bamako | Agency</title>
<script>var tracker = "SCRIPTMARKER"; function go() { return 1; }</script>
<style>.x { color: red } /* STYLEMARKER */</style></head>
<body>
<nav><ul><li><a href="/">NAVMARKER Home</a></li><li><a href="/about">About</a></li></ul></nav>
<main><article>
<h1>Border officers trained in Bamako</h1>
<p class="date">12 March 2021</p>
<p>BAMAKO – Thirty border police officers took part in a three-day workshop on document fraud
organized by the International Organization for Migration (IOM).</p>
<p>The training, held from 8 to 10 March 2021, was funded by Japan. Participants practised
examining passports and visas at the Bamako training centre.</p>
</article></main>
<footer>FOOTERMARKER Copyright 2021. Contact us. Privacy policy.</footer>
</body></html>
"""


def _write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _only(results: list) -> IngestFailure | ingest.NewsItem:
    assert len(results) == 1, results
    return results[0]


def _errors(out: Path) -> list[dict]:
    with (out / "errors.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["path", "id", "kind", "message"]
        return list(reader)


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


# --- bad inputs, one file each -------------------------------------------------------------------

BAD_FILES = [
    # (file name, content, kind, a phrase of the message)
    ("empty.txt", b"", "empty", "empty"),
    ("blank.txt", b"  \n\t \r\n   \n", "empty", "whitespace"),
    ("binary.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00 some zip bytes", "binary", "NUL"),
    ("undecodable.txt", b"Title\n\n\x81\x8d\x8f\x90\x9d", "undecodable", "encoding"),
    ("too-large.txt", "Title\n\n" + "a" * ingest.MAX_CHARS, "too-large", str(ingest.MAX_CHARS)),
    ("malformed.json", b'{"id": "m", "text": "abc", ', "bad-json", "invalid JSON"),
    ("no-text.json", b'{"id": "nt", "title": "Only a title", "text": "   "}', "no-text", "text field"),
    ("not-an-object.json", b'["a string"]', "bad-json", "not a JSON object"),
    ("empty-list.json", b"[]", "empty", "no items"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "bad-json", "nested too deeply"),
    ("no-article.html", NAV_ONLY_HTML, "no-article", "no article"),
    ("nothing.html", "<html><body>   </body></html>", "no-article", "no article"),
]


@pytest.mark.parametrize("name, content, kind, phrase", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_with_a_one_line_reason(tmp_path, name, content, kind, phrase):
    path = _write(tmp_path / name, content)
    results = list(read_file(path))
    assert results and all(isinstance(r, IngestFailure) for r in results), results
    failure = results[0]
    assert failure.kind == kind
    assert phrase.lower() in failure.message.lower()
    assert "\n" not in failure.message and failure.message.strip() == failure.message
    assert failure.path.startswith(str(path))


def test_huge_file_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(2 * 2**30)  # a sparse 2 GB file: reading it would be the bug
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    failure = _only(list(read_file(path)))
    assert failure.kind == "too-large"
    assert str(2 * 2**30) in failure.message


def test_file_just_under_the_limit_is_read(tmp_path):
    path = _write(tmp_path / "long.txt", "Title\n\n" + "a " * ((ingest.MAX_CHARS - 8) // 2))
    item = _only(list(read_file(path)))
    assert not isinstance(item, IngestFailure)
    assert len(item.text) <= ingest.MAX_CHARS


def test_jsonl_bad_lines_are_reported_by_number_and_good_lines_kept(tmp_path):
    lines = [
        json.dumps({"id": "first", "title": "First", "text": "The first item."}),
        "{this is not json",
        json.dumps({"id": "third", "title": "Third", "text": "The third item."}),
        "",
        '{"id": "fifth", "text": ',
        json.dumps({"id": "sixth", "title": "No text here"}),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    results = list(read_file(path))
    items = [r.id for r in results if not isinstance(r, IngestFailure)]
    failures = {r.path: r for r in results if isinstance(r, IngestFailure)}
    assert items == ["first", "third"]
    assert set(failures) == {f"{path}:2", f"{path}:5", f"{path}:6"}
    assert failures[f"{path}:2"].kind == "bad-json" and "line 2" in failures[f"{path}:2"].message
    assert failures[f"{path}:5"].kind == "bad-json" and "line 5" in failures[f"{path}:5"].message
    assert failures[f"{path}:6"].kind == "no-text" and failures[f"{path}:6"].id == "sixth"


def test_folder_named_like_a_file_is_unreadable(tmp_path):
    folder = tmp_path / "x.txt"
    folder.mkdir()
    failure = _only(list(read_file(folder)))
    assert failure.kind == "unreadable" and "folder" in failure.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    failure = _only(list(read_file(fifo)))
    assert failure.kind == "unreadable" and "regular file" in failure.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their mode, so chmod 000 cannot make one unreadable")
def test_file_without_read_permission_is_unreadable(tmp_path):
    path = _write(tmp_path / "secret.txt", GOOD_TEXT)
    path.chmod(0)
    try:
        failure = _only(list(read_file(path)))
    finally:
        path.chmod(0o644)
    assert failure.kind == "unreadable" and "permission" in failure.message.lower()


def test_dangling_symlink_in_a_folder_is_unreadable(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    failure = _only(list(iter_files([tmp_path / "in"])))
    assert isinstance(failure, IngestFailure)
    assert failure.kind == "unreadable" and "symbolic link" in failure.message


def test_symlink_loop_is_reported_once_and_files_read_once(tmp_path):
    top = tmp_path / "in"
    _write(top / "sub" / "a.txt", GOOD_TEXT)
    (top / "sub" / "up").symlink_to(top)
    entries = list(iter_files([top]))
    failures = [e for e in entries if isinstance(e, IngestFailure)]
    assert [e for e in entries if not isinstance(e, IngestFailure)] == [top / "sub" / "a.txt"]
    assert [(f.kind, f.path) for f in failures] == [("symlink-loop", str(top / "sub" / "up"))]


def test_second_link_to_a_folder_is_not_a_failure(tmp_path):
    top = tmp_path / "in"
    _write(top / "real" / "a.txt", GOOD_TEXT)
    (top / "alias").symlink_to(top / "real")
    assert list(iter_files([top])) == [top / "alias" / "a.txt"]


def test_hidden_files_and_the_output_folder_are_not_inputs(tmp_path):
    top = tmp_path / "in"
    _write(top / "a.txt", GOOD_TEXT)
    _write(top / ".draft.txt", GOOD_TEXT)
    _write(top / ".cache" / "b.txt", GOOD_TEXT)
    _write(top / "out" / "records.jsonl", '{"id": "a"}\n')
    assert list(iter_files([top], exclude=[top / "out"])) == [top / "a.txt"]


def test_run_refuses_a_path_that_does_not_exist(cli, tmp_path):
    good = _write(tmp_path / "good.txt", GOOD_TEXT)
    result = cli("run", good, tmp_path / "missing", "--out", tmp_path / "out", "--model", "blank", "-q")
    assert result.code == 2
    assert "no such file or folder" in result.err and "missing" in result.err
    assert not (tmp_path / "out" / "records.jsonl").exists()


# --- a whole run over bad inputs -----------------------------------------------------------------

def _bad_folder(root: Path) -> dict[str, str]:
    """Every bad kind in one folder; returns {path as reported: kind}."""
    expected = {}
    for name, content, kind, _ in BAD_FILES:
        expected[str(_write(root / name, content))] = kind
    lines = [json.dumps({"id": "line-one", "text": "A good line."}), "{oops", json.dumps({"id": "line-three"})]
    feed = _write(root / "feed.jsonl", "\n".join(lines))
    expected[f"{feed}:2"] = "bad-json"
    expected[f"{feed}:3"] = "no-text"
    (root / "dangling.txt").symlink_to(root / "does-not-exist.txt")
    expected[str(root / "dangling.txt")] = "unreadable"
    (root / "loop").mkdir()
    (root / "loop" / "back").symlink_to(root)
    expected[str(root / "loop" / "back")] = "symlink-loop"
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        expected[str(root / "pipe.txt")] = "unreadable"
    return expected


def test_run_lists_every_bad_input_and_keeps_the_good_ones(cli, tmp_path):
    root = tmp_path / "in"
    expected = _bad_folder(root)
    _write(root / "good.txt", GOOD_TEXT)
    _write(root / "nested" / "also-good.md", GOOD_TEXT.replace("Dakar", "Thies"))
    out = tmp_path / "out"
    result = cli("run", root, "--out", out, "--model", "blank", "-q")
    assert result.code == 1
    assert sorted(r["id"] for r in _records(out)) == ["also-good", "good", "line-one"]
    rows = _errors(out)
    assert {row["path"]: row["kind"] for row in rows} == expected
    for row in rows:
        assert row["message"] and "\n" not in row["message"]
        line = f"failed {row['path']}: {row['kind']}: {row['message']}"
        assert line in result.err.splitlines(), line


def test_inputs_with_the_same_id_are_both_kept_and_the_clash_reported(cli, tmp_path):
    root = tmp_path / "in"
    _write(root / "a" / "item.txt", GOOD_TEXT)
    _write(root / "b" / "item.txt", GOOD_TEXT.replace("Dakar", "Thies"))
    out = tmp_path / "out"
    result = cli("run", root, "--out", out, "--model", "blank", "-q")
    assert result.code == 1
    records = _records(out)
    assert {r["id"]: r["source"] for r in records} == {"item": str(root / "a" / "item.txt"),
                                                       "item__2": str(root / "b" / "item.txt")}
    clashes = _errors(out)
    assert [(c["path"], c["id"], c["kind"]) for c in clashes] == [(str(root / "b" / "item.txt"), "item__2",
                                                                   "duplicate-id")]
    assert "'item'" in clashes[0]["message"] and "'item__2'" in clashes[0]["message"]
    assert f"failed {root / 'b' / 'item.txt'}: duplicate-id:" in result.err


def test_renamed_duplicate_never_takes_an_id_already_in_use(cli, tmp_path):
    root = tmp_path / "in"
    _write(root / "a" / "item.txt", GOOD_TEXT)
    _write(root / "b" / "item.txt", GOOD_TEXT.replace("Dakar", "Thies"))
    _write(root / "c" / "item__2.txt", GOOD_TEXT.replace("Dakar", "Kaolack"))
    out = tmp_path / "out"
    assert cli("run", root, "--out", out, "--model", "blank", "-q").code == 1
    records = _records(out)
    assert len(records) == 3 and len({r["id"] for r in records}) == 3


def test_item_that_breaks_extraction_is_reported_and_the_rest_kept(cli, tmp_path):
    root = tmp_path / "in"
    _write(root / "good.txt", GOOD_TEXT)
    _write(root / "huge-number.txt", "Title\n\n" + "9" * 5000 + " participants")
    out = tmp_path / "out"
    result = cli("run", root, "--out", out, "--model", "blank", "-q")
    ids = [r["id"] for r in _records(out)]
    if result.code == 1:  # extraction fails on the item today; it must then be reported, not crash the run
        assert ids == ["good"]
        assert [(row["id"], row["kind"]) for row in _errors(out)] == [("huge-number", "extraction-error")]
    else:
        assert result.code == 0 and ids == ["good", "huge-number"]


def test_output_folder_inside_the_input_folder_is_not_read_back(cli, tmp_path):
    root = tmp_path / "in"
    _write(root / "good.txt", GOOD_TEXT)
    for _ in range(2):
        result = cli("run", root, "--out", root / "out", "--model", "blank", "-q")
        assert result.code == 0, result
    assert [r["id"] for r in _records(root / "out")] == ["good"]


def test_mixed_folder_gives_each_good_item_the_values_it_gets_alone(cli, tmp_path):
    root = tmp_path / "in"
    expected_bad = _bad_folder(root)
    good = [shutil.copy(CORPUS / "docs" / name, root / name) for name in (
        "en-a-osce-tajikistan-dushanbe-risk-analysis-2014.txt",
        "en-b-feed.jsonl",
        "en-a-undp-ghana-tamale-peace-dialogue-2023.html",
        "fr-onudc-mali-pjs-segou-2020.txt",
    )]
    mixed = cli("run", root, "--out", tmp_path / "mixed", "--model", "blank", "-q")
    assert mixed.code == 1
    together = {r["id"]: r for r in _records(tmp_path / "mixed")}
    alone = {}
    for number, path in enumerate(good):
        out = tmp_path / f"alone{number}"
        assert cli("run", path, "--out", out, "--model", "blank", "-q").code == 0
        alone.update({r["id"]: r for r in _records(out)})
    assert alone.keys() <= together.keys()
    for item_id, record in alone.items():
        assert together[item_id] == record, item_id
    assert set(together) - set(alone) == {"line-one"}  # the good line of the broken feed
    assert {row["path"] for row in _errors(tmp_path / "mixed")} == set(expected_bad)


# --- good inputs ---------------------------------------------------------------------------------

def test_utf8_bom_is_dropped(tmp_path):
    item = _only(list(read_file(_write(tmp_path / "bom.txt", "\ufeff" + GOOD_TEXT))))
    assert item.text == GOOD_TEXT and item.title == "Police officers trained in Dakar"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_legacy_and_utf16_text_is_decoded_without_mojibake(tmp_path, encoding):
    text = ("Atelier à Ségou sur la traite des êtres humains\n16-08-2020\n\n"
            "SEGOU – Vingt-cinq élèves magistrats ont été formés « à l’œuvre » du 10 au 12 août.\n")
    item = _only(list(read_file(_write(tmp_path / "item.txt", text.encode(encoding)))))
    assert item.text == text
    assert "é" in item.title and "Ã" not in item.text and "č" not in item.text


def test_decode_prefers_windows_1252_for_french_accents():
    assert decode("les élèves à Ségou".encode("cp1252")) == "les élèves à Ségou"


@pytest.mark.parametrize("name", ["item.md", "item.text", "ITEM.TXT"])
def test_text_suffixes_are_read(tmp_path, name):
    item = _only(list(read_file(_write(tmp_path / name, GOOD_TEXT))))
    assert item.id == Path(name).stem and item.text == GOOD_TEXT


def test_json_object_becomes_one_item_with_its_own_id(tmp_path):
    path = _write(tmp_path / "one.json", json.dumps(
        {"id": "own-id", "title": "Judges trained", "date": "2020-08-16", "text": "SEGOU - Judges met."}))
    item = _only(list(read_file(path)))
    assert item.id == "own-id" and item.source == str(path)
    assert item.text == "Judges trained\n\n2020-08-16\n\nSEGOU - Judges met."
    assert item.title == "Judges trained" and item.publication_hint == "2020-08-16"
    assert item.text[slice(*item.date_line)] == "2020-08-16"


def test_json_list_becomes_one_item_each(tmp_path):
    path = _write(tmp_path / "many.json", json.dumps([
        {"id": "x1", "text": "First item body."},
        {"title": "No id", "body": "Second item body."},
    ]))
    items = list(read_file(path))
    assert [i.id for i in items] == ["x1", "many-2"]
    assert [i.source for i in items] == [f"{path}:1", f"{path}:2"]
    assert items[1].text == "No id\n\nSecond item body."


def test_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path):
    body = "First paragraph.\u2028Second paragraph\u2029 and more."
    lines = [json.dumps({"id": "a", "text": body}, ensure_ascii=False), json.dumps({"id": "b", "text": "B."})]
    items = list(read_file(_write(tmp_path / "feed.jsonl", "\r\n".join(lines) + "\r\n")))
    assert [i.id for i in items] == ["a", "b"]
    assert items[0].text == body


def test_html_is_reduced_to_its_article(tmp_path):
    item = _only(list(read_file(_write(tmp_path / "page.html", ARTICLE_HTML))))
    assert item.id == "page"
    assert item.title == "Border officers trained in Bamako"
    for marker in ("SCRIPTMARKER", "STYLEMARKER", "NAVMARKER", "FOOTERMARKER", "<p", "&"):
        assert marker not in item.text
    assert "Thirty border police officers" in item.text and "funded by Japan" in item.text
    assert item.text.count("Border officers trained in Bamako") == 1  # the article's own title is not repeated
    assert item.text[slice(*item.dateline)] == "BAMAKO"


def test_html_with_an_xml_declaration_is_read(tmp_path):
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE_HTML.split("\n", 1)[1]
    item = _only(list(read_file(_write(tmp_path / "page.xhtml.html", page))))
    assert "Thirty border police officers" in item.text


def test_windows_line_endings_give_the_same_item(tmp_path):
    unix = _only(list(read_file(_write(tmp_path / "unix.txt", GOOD_TEXT))))
    dos = _only(list(read_file(_write(tmp_path / "dos.txt", GOOD_TEXT.replace("\n", "\r\n")))))
    assert (dos.text, dos.date_line, dos.dateline, dos.body_start) == \
        (unix.text, unix.date_line, unix.dateline, unix.body_start)


def test_fingerprint_changes_with_text_and_with_source(tmp_path):
    a = make_item("a", "one.txt", GOOD_TEXT)
    assert make_item("a", "one.txt", GOOD_TEXT).content_hash == a.content_hash
    assert make_item("a", "one.txt", GOOD_TEXT + "More.").content_hash != a.content_hash
    assert make_item("a", "moved/one.txt", GOOD_TEXT).content_hash != a.content_hash


# --- layout: title, date line, dateline ------------------------------------------------------------

LAYOUTS = [
    # (text, date line, dateline, body opens with)
    ("Judges trained\n16-08-2020\n\nSEGOU In Mali, twenty-five judges were trained.",
     "16-08-2020", "SEGOU", "SEGOU In Mali"),
    ("Judges trained\n03.03.2010 14:21\nThe court held a seminar.", "03.03.2010 14:21", None, "The court"),
    ("Judges trained\n\nTuesday, 5 March 2019\n\nThe court held a seminar.",
     "Tuesday, 5 March 2019", None, "The court"),
    ("OSCE course in Dushanbe\nDushanbe, Tajikistan, 24 September 2024\nThe OSCE office held a course.",
     "Dushanbe, Tajikistan, 24 September 2024", None, "The OSCE"),
    ("Community policing\nBy: IOM Bangladesh\n12 May 2019\n\nDHAKA, 3 February 2021 - The workshop opened.",
     "12 May 2019", "DHAKA, 3 February 2021", "DHAKA, 3"),
    ("Community policing\n12 May 2019\nBy: IOM Bangladesh\nSource: IOM\nDHAKA – The workshop opened.",
     "12 May 2019", "DHAKA", "DHAKA –"),
    ("Rangers graduate\n\nDUSHANBE, 24 September 2024 - Forty rangers graduated today after a course.",
     None, "DUSHANBE, 24 September 2024", "DUSHANBE"),
    ("Rangers graduate\nMoshi - Forty rangers graduated after a six-week course in the park.",
     None, "Moshi", "Moshi -"),
    ("Rangers graduate\n12 May 2022\n8 November 2022\nForty rangers graduated.", "12 May 2022", None, "Forty"),
    ("Only a title", None, None, ""),
    ("Title\nThe body has no date line at all and counts 25 people.", None, None, "The body"),
]


@pytest.mark.parametrize("text, date_line, dateline, body", LAYOUTS,
                         ids=[(t.split("\n") + ["title only"])[1][:24] or "blank line" for t, *_ in LAYOUTS])
def test_layout_finds_title_date_line_and_dateline(text, date_line, dateline, body):
    item = make_item("x", "x.txt", text)
    assert item.title == text.split("\n")[0]
    assert (text[slice(*item.date_line)] if item.date_line else None) == date_line
    assert (text[slice(*item.dateline)] if item.dateline else None) == dateline
    assert text[item.body_start:].startswith(body)


def test_trailing_related_stories_are_outside_the_content():
    text = "Title\n\nForty rangers graduated.\n\nRelated stories\nAnother item about 300 rangers"
    item = make_item("x", "x.txt", text)
    assert text[:item.content_end].rstrip().endswith("graduated.")
