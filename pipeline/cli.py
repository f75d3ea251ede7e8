"""The command line: argument parsing and dispatch only. The one place that prints or exits."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .engine import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="pressx: news items about trainings, workshops and meetings -> an evidence-backed table.")
err = Console(stderr=True)
out = Console()
DEFAULT_CORPUS = Path("corpus")


@app.command()
def run(
    inputs: List[Path] = typer.Argument(None, help="Files and/or folders (recursive). Default: corpus/."),
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Folder for records.jsonl, records.csv, errors.csv."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model package for English, or 'blank' for rules only."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Force the language (en or fr) instead of detecting it."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (or dask workers)."),
    engine: str = typer.Option("local", "--engine", help="local or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="dask scheduler address (default: a local cluster)."),
    resume: bool = typer.Option(False, "--resume", help="Skip items already in --out whose content is unchanged."),
    report: bool = typer.Option(False, "--report", help="Also write report.html into --out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    review_below: float = typer.Option(0.7, "--review-below", min=0.0, max=1.0,
                                       help="records.csv's review column names the fields with a value less "
                                            "likely than this to be right."),
) -> None:
    """Extract records from news items into OUT/records.jsonl, records.csv and errors.csv."""
    from .batch import run_batch

    inputs = inputs or [DEFAULT_CORPUS]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {escape(', '.join(missing))}", soft_wrap=True)
        raise typer.Exit(2)
    if engine not in ("local", "dask"):
        err.print(f"[red]error:[/red] --engine must be 'local' or 'dask', not {engine!r}")
        raise typer.Exit(2)
    if lang not in (None, "en", "fr"):
        err.print(f"[red]error:[/red] --lang must be 'en' or 'fr', not {lang!r}")
        raise typer.Exit(2)
    if out_dir.exists() and not out_dir.is_dir():
        err.print(f"[red]error:[/red] --out {escape(str(out_dir))} is a file, not a folder", soft_wrap=True)
        raise typer.Exit(2)
    settings = Settings(model=model, language=lang)
    show_progress = not quiet and err.is_terminal
    try:
        if show_progress:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]} items/s"), TimeRemainingColumn(), console=err) as bar:
                task = bar.add_task("run", total=None, rate="-")

                def progress(done: int, total: int) -> None:
                    elapsed = bar.tasks[0].elapsed or 1e-9
                    bar.update(task, completed=done, total=total, rate=f"{done / elapsed:.1f}")

                summary = run_batch(inputs, out_dir, settings=settings, workers=workers, engine=engine,
                                    scheduler=scheduler, resume=resume, progress=progress,
                                    review_below=review_below)
        else:
            summary = run_batch(inputs, out_dir, settings=settings, workers=workers, engine=engine,
                                scheduler=scheduler, resume=resume, review_below=review_below)
    except Exception as exc:  # noqa: BLE001 - a model or data problem: say it in one line
        err.print(f"[red]error:[/red] {escape(f'{type(exc).__name__}: {exc}')}", soft_wrap=True)
        raise typer.Exit(2)
    for failure in summary.failures:  # one line each, whatever the terminal's width
        err.print(f"[yellow]failed[/yellow] {escape(f'{failure.path}: {failure.kind}: {failure.message}')}",
                  highlight=False, soft_wrap=True)
    if report:
        from .report import write_report

        write_report(out_dir)
    reused = f", {summary.reused} reused" if summary.reused else ""
    err.print(escape(f"{summary.records} records{reused}, {len(summary.failures)} failed -> {out_dir}"),
              highlight=False, soft_wrap=True)
    raise typer.Exit(1 if summary.failures else 0)


@app.command()
def evaluate(
    set_dirs: List[Path] = typer.Argument(..., help="One or more sets laid out as SET/docs/* and SET/gold/*.json."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON here."),
    records: Optional[Path] = typer.Option(None, "--records", help="Score this records.jsonl instead of extracting."),
    cv: Optional[int] = typer.Option(None, "--cv", help="K-fold cross-validation grouped by publisher: mean and "
                                     "spread over K folds, no publisher in both the fitted and the scored part."),
    reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Score only the fields a person checked "
                                       "(each gold's 'reviewed' list)."),
    errors: bool = typer.Option(False, "--errors", help="List every miss with its evidence."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model package for English, or 'blank'."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
) -> None:
    """Score extraction on annotated sets, field by field (ANNOTATION.md's rules)."""
    from .confidence import calibration, fit_in_fold
    from .evaluate import LayoutError, cross_validate, extract_sets, score
    from .present import calibration_table, cv_table, misses_table, scores_table

    _require_folders(set_dirs)
    if records is not None and not records.is_file():
        err.print(f"[red]error:[/red] no such records file: {escape(str(records))}", soft_wrap=True)
        raise typer.Exit(2)
    title = "pressx evaluate " + " ".join(map(str, set_dirs))
    try:
        gold, predicted = extract_sets(set_dirs, records_file=records, settings=Settings(model=model),
                                       workers=workers)
        scores = score(gold, predicted, reviewed_only=reviewed_only)
        # the confidence weights are fitted inside each fold: no held-out item's gold ever reaches them
        folds = cross_validate(gold, predicted, k=cv, reviewed_only=reviewed_only,
                               fit=fit_in_fold if model != "blank" else None) if cv else None
    except (LayoutError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    calibrated = calibration(gold, folds.held_out if folds else predicted)
    if folds:
        out.print(cv_table(folds, title=f"{title} --cv {cv}"))
    else:
        out.print(scores_table(scores, title=title))
    if calibrated:
        out.print(calibration_table(calibrated, title="calibration" + (" (weights fitted inside each fold)" if folds else "")))
    if errors:
        out.print(misses_table(scores))
    if json_out:
        data = folds.to_json() if folds else scores.to_json()
        if calibrated:
            data["calibration"] = calibrated
        try:
            json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            err.print(f"[red]error:[/red] cannot write {escape(str(json_out))}: {escape(exc.strerror or str(exc))}",
                      soft_wrap=True)
            raise typer.Exit(2)


@app.command()
def train(
    set_dirs: List[Path] = typer.Argument(..., help="Annotated sets (SET/docs, SET/gold) to fit on."),
    out_dir: Path = typer.Option(Path("models/weights"), "--out", help="Folder for picker.json and confidence.json."),
    cv: int = typer.Option(5, "--cv", help="Folds (grouped by publisher) for the scores written beside the weights."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes for the extraction."),
) -> None:
    """Fit the picker (organizers and funders among every body named, the event's town among every
    town, the count among every sentence's count) and the confidence weights (a logistic regression
    per role, for the town, for the count and per field) on annotated sets, deterministically."""
    from . import picker
    from .confidence import calibration, dump, fit, fit_in_fold, training_hash
    from .evaluate import LayoutError, cross_validate, extract_sets

    _require_folders(set_dirs)
    try:
        gold, predicted = extract_sets(set_dirs, settings=Settings(), workers=workers)
        folds = cross_validate(gold, predicted, k=cv, fit=fit_in_fold)
    except (LayoutError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    files = [p for d in set_dirs for p in (*(d / "docs").rglob("*"), *(d / "gold").glob("*.json")) if p.is_file()]
    training_set = {"sets": [d.name for d in set_dirs], "items": len(gold), "sha256": training_hash(files)}
    chooser = picker.fit(predicted, gold)  # from the candidates alone: the shipped picker's choice plays no part
    chooser["training_set"] = training_set
    summary = folds.summary()
    chooser["cv"] = {"k": cv, "groups": "publisher",
                     "f1": {role: summary[role]["f1"] for role in picker.ROLES},
                     "accuracy": {"event_city": summary["event_city"]["accuracy"]}}
    model = fit({i: picker.repick(r, chooser) for i, r in predicted.items()}, gold)
    model["training_set"] = training_set
    model["cv"] = {"k": cv, "groups": "publisher", "calibration": calibration(gold, folds.held_out)}
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, weights in (("picker.json", chooser), ("confidence.json", model)):
        (out_dir / name).write_text(dump(weights), encoding="utf-8")
    err.print(escape(f"fitted on {len(gold)} items -> {out_dir / 'picker.json'}, {out_dir / 'confidence.json'}"),
              highlight=False, soft_wrap=True)


@app.command()
def show(
    item: Path = typer.Argument(..., help="One news item file."),
    fmt: str = typer.Option("text", "--format", help="text, or json (an object; a list for a file of several items)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model package for English, or 'blank'."),
) -> None:
    """Extract one item and show each value next to the text it came from."""
    from .engine import Extractor
    from .ingest import IngestFailure, read_file
    from .present import show_record

    if fmt not in ("text", "json"):
        err.print(f"[red]error:[/red] --format must be 'text' or 'json', not {escape(repr(fmt))}")
        raise typer.Exit(2)
    if not item.exists():
        err.print(f"[red]error:[/red] no such file: {escape(str(item))}", soft_wrap=True)
        raise typer.Exit(2)
    extractor = Extractor(Settings(model=model))
    code = 0
    records = []
    for entry in read_file(item):
        if isinstance(entry, IngestFailure):
            err.print(f"[red]failed[/red] {escape(f'{entry.path}: {entry.kind}: {entry.message}')}", soft_wrap=True)
            code = 1
            continue
        record = extractor.extract_one(entry)
        if fmt == "json":
            records.append(record.to_dict())
        else:
            show_record(out, record, entry.text)
    if fmt == "json" and records:
        # plain print: JSON must not be wrapped or coloured
        print(json.dumps(records[0] if len(records) == 1 else records, ensure_ascii=False, indent=2))
    raise typer.Exit(code)


@app.command()
def corrections(
    table: Path = typer.Argument(..., help="A records.csv (or .xlsx) that a person corrected."),
    set_dir: Path = typer.Option(..., "--out", "-o", help="The annotated set to write: SET/docs, SET/gold, "
                                                          "SET/refused.csv."),
    records: Optional[Path] = typer.Option(None, "--records", help="The run's records.jsonl "
                                                                   "(default: the one next to the table)."),
) -> None:
    """Turn a corrected records.csv into gold: corrected cells where a person changed them, extracted values elsewhere.

    Refused rows go to SET/refused.csv with the reason (text gone or changed, bad date, country, count or column).

    Exit codes: 0 every row used, 1 some rows refused, 2 the table or the records cannot be read.
    """
    from .corrections import CorrectionsError, read_corrections, write_set
    from .present import changes_table

    if set_dir.exists() and not set_dir.is_dir():
        err.print(f"[red]error:[/red] --out {escape(str(set_dir))} is a file, not a folder", soft_wrap=True)
        raise typer.Exit(2)
    try:
        found = read_corrections(table, records_file=records, set_dir=set_dir)
        written = write_set(found, set_dir)
    except (CorrectionsError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    out.print(changes_table(written, title=f"pressx corrections {table}"))
    for earlier, later in written.replaced:
        err.print(escape(f"row {later} replaces row {earlier} (the same item)"), highlight=False, soft_wrap=True)
    for refusal in written.refused:
        err.print(f"[yellow]refused[/yellow] {escape(f'row {refusal.row} ({refusal.id}): {refusal.reason}')}",
                  highlight=False, soft_wrap=True)
    refused = f", {len(written.refused)} refused -> {set_dir / 'refused.csv'}" if written.refused else ""
    err.print(escape(f"{len(written.items)} items -> {set_dir}{refused}"), highlight=False, soft_wrap=True)
    raise typer.Exit(1 if written.refused else 0)


@app.command("report")
def report_cmd(out_dir: Path = typer.Argument(Path("outputs"), help="A folder written by 'pressx run'.")) -> None:
    """Write OUT_DIR/report.html: every record with its evidence, confidences and charts; a reliability
    chart when the items come from an annotated set (SET/docs beside SET/gold)."""
    from .report import write_report

    if not (out_dir / "records.jsonl").exists():
        err.print(escape(f"error: {out_dir}/records.jsonl not found; run 'pressx run --out {out_dir}' first"),
                  soft_wrap=True)
        raise typer.Exit(2)
    path = write_report(out_dir)
    err.print(f"wrote {path}")


def _require_folders(folders: List[Path]) -> None:
    """Exit 2 (a usage error) naming every folder that does not exist."""
    missing = [str(d) for d in folders if not d.is_dir()]
    if missing:
        err.print(f"[red]error:[/red] no such folder: {escape(', '.join(missing))}", soft_wrap=True)
        raise typer.Exit(2)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (so tests can call ``main([...])``).

    Typer runs in standalone mode, so usage errors are reported as usual (exit 2)
    and ``typer.Exit(code)`` becomes the returned code.
    """
    try:
        app(args=argv, prog_name="pressx", standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
