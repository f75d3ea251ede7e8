"""Rich renderings for the terminal: score tables, miss lists, and one record beside its text."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text

from .evaluate import ENTITIES, SCALARS, CrossValidation, Scores
from .types import Record

FIELD_COLOURS = {
    "publication_date": "cyan", "event_start": "green", "event_end": "green", "event_city": "magenta",
    "event_country": "magenta", "locations": "blue", "participant_count": "yellow",
    "participants_female": "yellow", "participants_male": "yellow", "organizers": "red", "funders": "bright_red",
}


def scores_table(scores: Scores, *, title: str = "scores") -> Table:
    table = Table(title=f"{title} ({scores.documents} documents)")
    for col in ("field", "accuracy / F1", "P", "R", "n / tp", "fp", "fn"):
        table.add_column(col, justify="left" if col == "field" else "right")
    for name in SCALARS:
        s = scores.scalars[name]
        table.add_row(name, f"{s['accuracy']:.3f}", "", "", str(s["n"]), "", "")
    for name in ENTITIES:
        s = scores.entities[name]
        table.add_row(name, f"{s['f1']:.3f}", f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                      str(s["tp"]), str(s["fp"]), str(s["fn"]))
    return table


def cv_table(folds: CrossValidation, *, title: str = "cross-validation") -> Table:
    """Mean over the folds per field and its standard deviation (the worst and best folds are in ``--json``)."""
    documents = sum(f.documents for f in folds.folds)
    table = Table(title=f"{title} ({documents} documents, {folds.k} folds grouped by publisher)")
    table.add_column("field", no_wrap=True)
    for col in ("mean", "sd", "P", "R", "n / tp", "fp", "fn"):
        table.add_column(col, justify="right", no_wrap=True)
    summary = folds.summary()
    for name in SCALARS:
        s = summary[name]
        table.add_row(name, f"{s['accuracy']:.3f}", f"{s['sd']:.3f}", "", "", str(s["n"]), "", "")
    for name in ENTITIES:
        s = summary[name]
        table.add_row(name, f"{s['f1']:.3f}", f"{s['sd']:.3f}", f"{s['precision']:.3f}", f"{s['recall']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"]))
    return table


def changes_table(corrections, *, title: str = "corrections") -> Table:
    """Per field: how many items a person corrected, with a few of the changes (``pressx corrections``)."""
    changes = corrections.changes()
    table = Table(title=Text(f"{title} ({len(corrections.items)} items, "
                             f"{len({c.id for c in changes})} with corrections)"))  # a path is no markup
    for col in ("field", "items changed", "changes"):
        table.add_column(col, justify="right" if col == "items changed" else "left", overflow="fold")
    for name in SCALARS + ENTITIES:
        mine = [c for c in changes if c.field == name]
        if mine:
            shown = [f"{c.id}: {_short(c.extracted or None)} → {_short(c.corrected or None)}" for c in mine[:3]]
            more = f"\n(and {len(mine) - 3} more)" if len(mine) > 3 else ""
            table.add_row(Text(name, style=FIELD_COLOURS[name]), str(len(mine)), Text("\n".join(shown) + more))
    if not changes:
        table.add_row("(none)", "0", "no cell differs from records.jsonl")
    return table


def calibration_table(calibration: dict[str, dict], *, title: str = "calibration") -> Table:
    """Per field: Brier score, expected calibration error, and how right the values at >= 0.9 are."""
    table = Table(title=title)
    table.add_column("field", no_wrap=True)
    for col in ("values", "Brier", "ECE", "acc @ >=0.9", "share @ >=0.9"):
        table.add_column(col, justify="right", no_wrap=True)
    for name, c in calibration.items():
        sure = "–" if c["accuracy_at_0.9"] is None else f"{c['accuracy_at_0.9']:.3f}"
        table.add_row(name, str(c["n"]), f"{c['brier']:.3f}", f"{c['ece']:.3f}", sure, f"{c['share_at_0.9']:.2f}")
    return table


def misses_table(scores: Scores) -> Table:
    table = Table(title="misses")
    for col in ("item", "field", "expected", "got", "evidence"):
        table.add_column(col, overflow="fold")
    for m in scores.misses:
        ev = "; ".join(f"{e.get('text')!r}@{e.get('start')} [{e.get('rule')}]" for e in (m.evidence or [])[:2])
        table.add_row(m.id, m.field, _short(m.expected), _short(m.got), ev)
    return table


def _short(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return value.get("name", "") + (f" ({value['acronym']})" if value.get("acronym") else "")
    if isinstance(value, list):
        return " | ".join(map(str, value[:3]))
    return str(value)


def show_record(console, record: Record, text: str) -> None:
    """The record as a table, then the text with every evidence span coloured by field."""
    table = Table(title=record.id)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    table.add_column("confidence", justify="right")
    table.add_column("evidence", overflow="fold")
    data = record.to_dict()
    confidence = data.get("confidence") or {}
    for name in ("publication_date", "event_start", "event_end", "event_city", "event_country", "locations",
                 "participant_count", "participants_female", "participants_male", "organizers", "funders"):
        value = data[name]
        shown = "; ".join(_short(v) for v in value) if isinstance(value, list) else _short(value)
        ev = "; ".join(f"{e.text!r} [{e.rule}]" for e in record.evidence.get(name, [])[:3])
        sure = confidence.get(name)
        sure = "" if sure is None else ("; ".join(f"{p:.2f}" for p in sure) if isinstance(sure, list) else f"{sure:.2f}")
        # Text, not markup: a rule id in brackets ("[org.subject_of_hold]") must show as written
        table.add_row(Text(name, style=FIELD_COLOURS[name]), Text(shown), sure, Text(ev))
    console.print(table)
    rich_text = Text(text)
    for name, evidence in record.evidence.items():
        for e in evidence:
            rich_text.stylize(f"bold {FIELD_COLOURS.get(name, 'white')} underline", e.start, e.end)
    console.print(rich_text)
