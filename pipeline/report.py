"""One self-contained ``report.html`` for an output folder: records, evidence and charts.

The page is built from ``records.jsonl`` and ``errors.csv`` alone, plus the input
files the records point to (their text is re-read with :func:`ingest.read_file`,
so evidence offsets land where the extractors put them; a relative ``source`` is
taken from the current folder, as ``pressx run`` wrote it). Everything is inlined:
the sort/filter script, the styles and plotly.js (once), so the page opens
offline. Evidence is drawn with spaCy's displaCy, one colour per field.

Every value shows its confidence (the probability that it is right, from the weights under
``models/weights/``) and the overview names the fields to review. When the records come from an
annotated set (their sources lie in ``SET/docs`` beside a ``SET/gold`` folder), the page adds a
reliability chart: per field, the confidence the values were given against the share of them
that the gold says are right.

Items per country are bars, not a map: plotly's choropleth fetches its world
geometry from cdn.plot.ly at run time, which an offline page cannot do.
"""
from __future__ import annotations

import csv
import html
import json
import os
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

import plotly.graph_objects as go
import pycountry
from spacy import displacy

from .confidence import calibration, reliability
from .evaluate import LayoutError, load_gold
from .ingest import read_file
from .types import NewsItem
from .writers import csv_row

# field -> (displaCy label, colour); the order is the record's and decides which span wins an overlap
FIELDS: dict[str, tuple[str, str]] = {
    "publication_date": ("PUBLISHED", "#c7d2fe"),
    "event_start": ("START", "#bbf7d0"),
    "event_end": ("END", "#86efac"),
    "event_city": ("CITY", "#f5d0fe"),
    "event_country": ("COUNTRY", "#ddd6fe"),
    "locations": ("PLACE", "#bae6fd"),
    "participant_count": ("COUNT", "#fde68a"),
    "participants_female": ("FEMALE", "#fbcfe8"),
    "participants_male": ("MALE", "#fed7aa"),
    "organizers": ("ORGANIZER", "#fecaca"),
    "funders": ("FUNDER", "#99f6e4"),
}
OVERVIEW = [("id", "id"), ("publication_date", "published"), ("event_start", "start"), ("event_end", "end"),
            ("event_city", "city"), ("event_country", "country"), ("participant_count", "count"),
            ("organizers", "organizers"), ("funders", "funders"), ("review", "review")]
MONTH_MS = 28 * 24 * 3600 * 1000  # bar width on a date axis is in milliseconds
_LINE_SUFFIX = re.compile(r"^(.*):(\d+)$")

CSS = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 1.5rem 4rem; color: #222; }
nav { position: sticky; top: 0; background: #fff; padding: .6rem 0; border-bottom: 1px solid #ddd; z-index: 10; }
nav a { margin-right: 1.2rem; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
#overview td:nth-child(n+2):nth-child(-n+7) { white-space: nowrap; }
table.sortable th { cursor: pointer; background: #f4f4f5; user-select: none; white-space: nowrap; }
table.sortable th[data-order=asc]::after { content: " \\25B2"; }
table.sortable th[data-order=desc]::after { content: " \\25BC"; }
#filter { font-size: 1rem; padding: .3rem .5rem; width: 24rem; margin: .5rem 1rem .8rem 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
section { scroll-margin-top: 3rem; }  /* anchors land below the sticky nav */
#errors td:nth-child(3) { white-space: nowrap; }
.charts .wide { grid-column: 1 / -1; }
.item { border-top: 2px solid #ddd; padding-top: .5rem; margin-top: 2rem; }
.item h3 { margin: .2rem 0; }
.meta, .note { color: #666; font-size: .85rem; }
.note.warn { color: #b45309; }
.pair { display: flex; gap: 1.5rem; align-items: flex-start; }
.pair .text { flex: 3; min-width: 0; }
.pair .values { flex: 2; }
.chip { border-radius: .3em; padding: .05em .4em; font-weight: 600; font-size: .8em; }
.rule { color: #888; font-size: .75rem; }
"""

JS = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("th");
  heads.forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.dataset.order !== "asc", body = table.tBodies[0];
      heads.forEach(function (h) { delete h.dataset.order; });
      th.dataset.order = asc ? "asc" : "desc";
      var rows = Array.from(body.rows).sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        if (x === "" || y === "") return (x === "") - (y === "");  /* blanks last either way */
        var c = (!isNaN(x) && !isNaN(y)) ? x - y : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
var filter = document.getElementById("filter");
filter.addEventListener("input", function () {
  var q = filter.value.trim().toLowerCase(), rows = document.querySelectorAll("#overview tbody tr"), shown = 0;
  rows.forEach(function (row) {
    row.hidden = q !== "" && !row.textContent.toLowerCase().includes(q);
    if (!row.hidden) shown++;
  });
  document.getElementById("shown").textContent = shown + " of " + rows.length + " shown";
});
"""


def write_report(out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` from ``records.jsonl`` and ``errors.csv``; returns its path."""
    out_dir = Path(out_dir)
    records = load_records(out_dir / "records.jsonl")
    errors = load_errors(out_dir / "errors.csv")
    texts = item_texts(records)
    gold = annotated_gold(records)
    page = render_page(records, errors, texts, title=f"pressx report: {out_dir}", gold=gold)
    target = out_dir / "report.html"
    tmp = out_dir / "report.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


# --- reading -------------------------------------------------------------------------------------

def load_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_errors(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def item_texts(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Record id -> the item's text as the extractors saw it (missing when the source cannot be read)."""
    items_by_file: dict[str, dict[str, NewsItem]] = {}
    texts = {}
    for record in records:
        path = _source_path(record)
        if path not in items_by_file:
            items_by_file[path] = {i.id: i for i in read_file(Path(path)) if isinstance(i, NewsItem)}
        item = items_by_file[path].get(str(record["id"]))
        if item is not None:
            texts[str(record["id"])] = item.text
    return texts


def _source_path(record: dict[str, Any]) -> str:
    source = str(record.get("source") or "")
    match = _LINE_SUFFIX.match(source)
    return match.group(1) if match and not Path(source).exists() else source


def annotated_gold(records: Iterable[dict[str, Any]]) -> dict[str, dict]:
    """Gold records for the records whose source lies in an annotated set (``SET/docs`` beside ``SET/gold``)."""
    sets: dict[Path, dict[str, dict]] = {}
    gold: dict[str, dict] = {}
    for record in records:
        folder = Path(_source_path(record)).parent
        while folder.name and folder.name != "docs":  # items may sit in subfolders of docs/
            folder = folder.parent
        set_dir = folder.parent
        if folder.name != "docs" or not (set_dir / "gold").is_dir():
            continue
        if set_dir not in sets:
            try:
                sets[set_dir] = load_gold(set_dir)
            except LayoutError:
                sets[set_dir] = {}  # gold that does not load is not a set to score against
        found = sets[set_dir].get(str(record["id"]))
        if found is not None:
            gold[str(record["id"])] = found
    return gold


# --- evidence ------------------------------------------------------------------------------------

def evidence_spans(record: dict[str, Any], text: str) -> tuple[list[dict[str, Any]], int]:
    """displaCy spans for a record's evidence, and how many spans did not match the text.

    Spans are sorted; one that overlaps an earlier kept span is dropped, except that
    spans on exactly the same characters share one mark ("CITY · COUNTRY").
    """
    found, stale = [], 0
    for rank, (name, (label, _)) in enumerate(FIELDS.items()):
        for ev in (record.get("evidence") or {}).get(name, []):
            start, end = ev.get("start"), ev.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)) \
                    or text[start:end] != ev.get("text"):
                stale += 1
                continue
            found.append((start, -end, rank, label))
    kept: list[dict[str, Any]] = []
    for start, neg_end, _, label in sorted(found):
        last = kept[-1] if kept else None
        if last and (last["start"], last["end"]) == (start, -neg_end):
            if label not in last["labels"]:
                last["labels"].append(label)
        elif not last or start >= last["end"]:
            kept.append({"start": start, "end": -neg_end, "labels": [label]})
    spans = [{"start": s["start"], "end": s["end"], "label": " · ".join(s["labels"])} for s in kept]
    return spans, stale


def render_text(text: str, spans: list[dict[str, Any]]) -> str:
    colours = {label: colour for label, colour in FIELDS.values()}
    for span in spans:  # a shared mark takes the colour of its first field
        colours.setdefault(span["label"], colours[span["label"].split(" · ")[0]])
    return displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                           page=False, jupyter=False, options={"colors": colours})


# --- page parts ----------------------------------------------------------------------------------

def anchor(record_id: str) -> str:
    return "item-" + re.sub(r"[^A-Za-z0-9_-]+", "-", record_id)


def overview_table(records: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in OVERVIEW)
    rows = []
    for record in records:
        row = csv_row(record)
        cells = [f'<td><a href="#{anchor(str(record["id"]))}">{html.escape(str(record["id"]))}</a></td>']
        cells += [f"<td>{html.escape(str(row.get(key, '')))}</td>" for key, _ in OVERVIEW[1:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<input id="filter" type="search" placeholder="filter records…" aria-label="filter records">'
            f'<span id="shown" class="meta">{len(records)} of {len(records)} shown</span>'
            f'<table id="overview" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def confidence_cell(confidence: Any) -> str:
    """A scalar's confidence, or an entity field's one per entity in the order of the value."""
    if isinstance(confidence, list):
        return ", ".join(f"{c:.2f}" for c in confidence)
    return f"{confidence:.2f}" if isinstance(confidence, (int, float)) else ""


def values_table(record: dict[str, Any]) -> str:
    row = csv_row(record)
    confidence = record.get("confidence") or {}
    lines = []
    for name, (label, colour) in FIELDS.items():
        value = row.get(name, "")
        rules = sorted({ev.get("rule", "") for ev in (record.get("evidence") or {}).get(name, [])})
        lines.append(f'<tr><td><span class="chip" style="background:{colour}" title="{label}">{name}</span></td>'
                     f'<td>{html.escape(str(value)) if value != "" else "—"}</td>'
                     f'<td class="confidence" title="confidence">{confidence_cell(confidence.get(name))}</td>'
                     f'<td class="rule">{html.escape(", ".join(rules))}</td></tr>')
    return (f'<table class="values"><thead><tr><th>field</th><th>value</th><th>confidence</th><th>rule</th>'
            f'</tr></thead><tbody>{"".join(lines)}</tbody></table>')


def item_section(record: dict[str, Any], text: str | None) -> str:
    record_id = str(record["id"])
    if text is None:
        body = f'<p class="note warn">source not found or unreadable: {html.escape(str(record.get("source")))}</p>'
    else:
        spans, stale = evidence_spans(record, text)
        body = render_text(text, spans)
        if stale:
            body += f'<p class="note warn">{stale} evidence span(s) do not match the text (source changed?)</p>'
    return (f'<section class="item" id="{anchor(record_id)}">'
            f'<h3>{html.escape(record.get("title") or record_id)}</h3>'
            f'<p class="meta">{html.escape(record_id)} · {html.escape(str(record.get("source")))} · '
            f'{html.escape(str(record.get("language") or "?"))} · <a href="#overview-section">back to overview</a></p>'
            f'<div class="pair"><div class="text">{body}</div><div class="values">{values_table(record)}</div></div>'
            f'</section>')


def errors_table(errors: list[dict[str, str]]) -> str:
    if not errors:
        return '<p class="meta">No errors.</p>'
    columns = list(errors[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(e.get(c) or '')}</td>" for c in columns) + "</tr>"
                   for e in errors)
    return f'<table id="errors" class="sortable"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


# --- charts --------------------------------------------------------------------------------------

def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return country.name if country else code


def entity_label(entity: dict[str, Any]) -> str:
    label = entity.get("acronym") or entity.get("name") or "?"
    return label if len(label) <= 40 else label[:39] + "…"


def bar(counts: dict[str, float], title: str, *, horizontal: bool = False) -> go.Figure:
    """Bars sorted largest first (top to bottom when horizontal)."""
    pairs = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    keys, values = [k for k, _ in pairs], [v for _, v in pairs]
    trace = go.Bar(y=keys[::-1], x=values[::-1], orientation="h") if horizontal else go.Bar(x=keys, y=values)
    return go.Figure(trace, layout={"title": title, "height": 120 + 22 * len(keys) if horizontal else 380})


def count_ticks(counts: Iterable[int]) -> dict[str, Any]:
    """Whole-number ticks for an axis of counts (plotly would otherwise show 0.5 steps)."""
    return {"tick0": 0, "dtick": max(1, -(-max(counts, default=1) // 8))}


def month_range(months: Iterable[str]) -> list[str] | None:
    """An axis range a month wider than the data on each side, so a single month still reads as one."""
    days = sorted(date.fromisoformat(m) for m in months)
    return [str(days[0] - timedelta(days=31)), str(days[-1] + timedelta(days=62))] if days else None


def charts(records: list[dict[str, Any]]) -> list[tuple[go.Figure, bool]]:
    """The figures, each with whether it takes the page's full width."""
    countries = Counter(country_name(r["event_country"]) for r in records if r.get("event_country"))
    months = Counter(r["event_start"][:7] + "-01" for r in records if r.get("event_start"))
    participants: dict[str, float] = defaultdict(int)
    for r in records:
        if r.get("event_country") and r.get("participant_count"):
            participants[country_name(r["event_country"])] += r["participant_count"]
    top = {key: Counter(label for r in records for label in {entity_label(e) for e in r.get(key) or []})
           for key in ("organizers", "funders")}
    per_country = bar(countries, "Items per country (event country)")
    per_country.update_yaxes(count_ticks(countries.values()))
    per_month = go.Figure(go.Bar(x=sorted(months), y=[months[m] for m in sorted(months)],
                                 width=MONTH_MS, offset=0),  # a bar spans its month
                          layout={"title": "Events per month (event start)", "height": 380})
    per_month.update_xaxes(type="date", range=month_range(months))
    per_month.update_yaxes(count_ticks(months.values()))
    organizers = bar(dict(top["organizers"].most_common(12)), "Top organizers (items)", horizontal=True)
    funders = bar(dict(top["funders"].most_common(12)), "Top funders (items)", horizontal=True)
    for fig, counter in ((organizers, top["organizers"]), (funders, top["funders"])):
        fig.update_xaxes(count_ticks(counter.values()))
    return [
        (per_country, True),
        (per_month, True),
        (bar(participants, "Participants per country (sum of participant counts)"), True),
        (organizers, False),
        (funders, False),
    ]


def reliability_chart(gold: dict[str, dict], records: list[dict[str, Any]]) -> go.Figure | None:
    """Confidence given against share right, one line per field, with the diagonal of perfect calibration."""
    points = reliability(gold, {str(r["id"]): r for r in records})
    if not points:
        return None
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="calibrated",
                               line={"dash": "dot", "color": "#999"}, hoverinfo="skip"))
    for field, rows in points.items():
        fig.add_trace(go.Scatter(x=[p["confidence"] for p in rows], y=[p["observed"] for p in rows],
                                 mode="lines+markers", name=field, text=[f"{p['n']} values" for p in rows],
                                 marker={"size": [6 + min(p["n"], 100) ** 0.5 for p in rows]}))
    fig.update_layout(title=f"Reliability on {len(gold)} annotated items: confidence given vs share right",
                      height=480, xaxis_title="confidence given (mean of a 0.1 bin)",
                      yaxis_title="share right (gold)")
    fig.update_xaxes(range=[0, 1.02])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def calibration_table(gold: dict[str, dict], records: list[dict[str, Any]]) -> str:
    rows = calibration(gold, {str(r["id"]): r for r in records})
    head = "<th>field</th><th>values</th><th>Brier</th><th>ECE</th><th>right at ≥ 0.9</th><th>share ≥ 0.9</th>"
    body = "".join(
        f"<tr><td>{html.escape(field)}</td><td>{c['n']}</td><td>{c['brier']:.3f}</td><td>{c['ece']:.3f}</td>"
        f"<td>{'' if c['accuracy_at_0.9'] is None else format(c['accuracy_at_0.9'], '.3f')}</td>"
        f"<td>{c['share_at_0.9']:.2f}</td></tr>" for field, c in rows.items())
    return f'<table id="calibration"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def chart_html(figures: list[tuple[go.Figure, bool]]) -> str:
    """Each figure as a div; plotly.js is inlined with the first one only."""
    parts = []
    for index, (fig, wide) in enumerate(figures):
        fig.update_layout(template="plotly_white", margin={"l": 40, "r": 20, "t": 50, "b": 40})
        div = fig.to_html(full_html=False, include_plotlyjs=index == 0,
                          config={"displaylogo": False, "responsive": True})
        parts.append(f'<div class="{"wide" if wide else ""}">{div}</div>')
    return '<div class="charts">' + "".join(parts) + "</div>"


def render_page(records: list[dict[str, Any]], errors: list[dict[str, str]], texts: dict[str, str],
                *, title: str, gold: dict[str, dict] | None = None) -> str:
    items = "".join(item_section(r, texts.get(str(r["id"]))) for r in records)
    figures = charts(records)
    reliable = reliability_chart(gold, records) if gold else None
    calibrated = ""
    if reliable is not None:
        figures.append((reliable, True))
        calibrated = (f'<h3>Calibration on the annotated items</h3>{calibration_table(gold, records)}'
                      f'<p class="meta">Brier: mean squared gap between confidence and right (0/1); ECE: the '
                      f'gap between confidence and share right, over ten equal bins. Measured on these items: '
                      f'where the weights were fitted on them too, cross-validate instead '
                      f'(pressx evaluate SET --cv 5).</p>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head>
<body>
<nav><strong>pressx</strong> · <a href="#overview-section">Overview ({len(records)})</a><a href="#charts">Charts</a>
<a href="#items">Items</a><a href="#errors-section">Errors ({len(errors)})</a></nav>
<h1>{html.escape(title)}</h1>
<section id="overview-section"><h2>Overview</h2>{overview_table(records)}</section>
<section id="charts"><h2>Charts</h2>{chart_html(figures)}{calibrated}</section>
<section id="items"><h2>Items</h2>{items}</section>
<section id="errors-section"><h2>Errors ({len(errors)})</h2>{errors_table(errors)}</section>
<script>{JS}</script>
</body></html>
"""
