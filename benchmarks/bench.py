"""Throughput benchmark: ``pressx run`` against a bare spaCy pass over the same texts.

Usage (from the project folder)::

    .venv/bin/python benchmarks/bench.py [--n 200] [--source corpus/docs] [--workers 2]
                                         [--repeat 3] [--mem-factor 10] [--json FILE]

It builds a batch of N items by copying the ``.txt`` files of ``--source``
(cycling through them; each copy gets its own file name, hence its own id, and each
round of copies its own years, hence new dates) into a temporary folder, then
measures, in one run:

a. a bare ``nlp.pipe`` pass over the same texts with the same spaCy models, loaded
   the way ``pipeline.nlp.build_nlp`` loads them (same excluded components, same
   sentence splitter) but without our ``pressx_places`` component, each text going
   to the model of the language pressx would pick for it;
b. a full run (``pipeline.batch.run_batch``: ingest, parse, extract, write the
   outputs) over the same files with one worker;
c. the same with ``--workers`` worker processes;
d. the rules-only mode (``--model blank``), one worker;
e. peak memory (RSS) of a whole cold run of N and of ``--mem-factor`` x N items,
   each in a fresh process (so the peaks do not mix);
f. the time to the first record: in a warm process, and in a cold one (from
   interpreter start, so model loading included).

Start-up (reading ``models/``, loading the spaCy models) is measured and reported
on its own line and kept out of every items/s figure: each pass is warmed up
first, and the timed passes run in a process whose pipelines are already loaded
(worker processes are forked from it and inherit them). Passes a, b and c run
one after the other ``--repeat`` times: the rates are the fastest pass of each
kind, the ratios the median of the ratios of passes run back to back (both see
the same load from other programs on the machine); ``ratio b/a (CPU)`` compares
processor time instead of wall time, which other programs disturb less.

The figures that matter are the ratios (b/a, c/b, d/b, memory 10N/N): absolute
times depend on the machine. Prints a Markdown table; ``--json FILE`` also writes
every figure as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


YEAR = re.compile(rb"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")


def make_batch(source: Path, n: int, dest: Path) -> list[Path]:
    """Copy N ``.txt`` files from ``source`` into ``dest``, cycling, each under a unique name (hence id).

    The k-th round of copies has every year moved back k years (modulo 50): its dates are
    new, as in a real batch, so no cache of earlier results (date normalisation, say) makes
    a repeated item cheaper than a new one would be.
    """
    files = sorted(source.glob("*.txt"))
    if not files:
        raise SystemExit(f"bench: no .txt files in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = files[i % len(files)]
        shift = (i // len(files)) % 50
        target = dest / f"{i:06d}-{src.stem}.txt"
        data = src.read_bytes()
        if shift:
            data = YEAR.sub(lambda m: str(int(m.group()) - shift).encode(), data)
        target.write_bytes(data)
        out.append(target)
    return out


def peak_rss() -> int:
    """This process's peak resident set size, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class Timer:
    """Wall and CPU time of one pass, plus the wall time of its first record (via run_batch's progress hook)."""

    def __init__(self):
        self.wall = self.cpu = 0.0
        self.first: float | None = None

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def progress(self, done: int, total: int) -> None:
        if self.first is None and done:
            self.first = time.perf_counter() - self._wall

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def best(timers: list[Timer]) -> Timer:
    return min(timers, key=lambda t: t.wall)


def child_run(batch_dir: Path, out_dir: Path) -> None:
    """A whole cold ``pressx run`` in this (fresh) process; prints its figures as one JSON line."""
    started = psutil.Process().create_time()
    from pipeline.batch import run_batch
    import pipeline.batch as batch

    first: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        if "t" not in first and done:
            first["t"] = time.time() - started
            first["rss"] = psutil.Process().memory_info().rss

    summary = run_batch([batch_dir], out_dir, progress=progress)
    total = time.time() - started
    extractor = batch._worker_extractor
    strings = {lang: len(nlp.vocab.strings) for lang, nlp in (extractor._nlp.items() if extractor else [])}
    print(json.dumps({"records": summary.records, "failures": len(summary.failures), "seconds": total,
                      "first_record": first.get("t"), "rss_at_first_record": first.get("rss"),
                      "peak_rss": peak_rss(), "strings": strings}))


def cold_run(batch_dir: Path, out_dir: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-run", str(batch_dir), "--child-out", str(out_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench: cold run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(args) -> dict:
    from pipeline import batch
    from pipeline.batch import run_batch
    from pipeline.engine import Settings
    from pipeline.extract.dates import normalise
    from pipeline.ingest import IngestFailure, read_file
    from pipeline.nlp import build_nlp, resolve_model
    from pipeline.resources import load_resources

    tmp = Path(tempfile.mkdtemp(prefix="pressx-bench-"))
    try:
        files = make_batch(args.source, args.n, tmp / "batch")
        items = [it for f in files for it in read_file(f) if not isinstance(it, IngestFailure)]
        words = sum(len(it.text.split()) for it in items)
        figures: dict = {"n": args.n, "items": len(items), "words": words, "source": str(args.source),
                         "workers": args.workers, "repeat": args.repeat}

        # start-up, measured on its own (cold: this process has loaded nothing yet)
        t = time.perf_counter()
        resources = load_resources()
        figures["startup_resources_s"] = time.perf_counter() - t
        settings = Settings()
        t = time.perf_counter()
        extractor = batch._extractor(settings)
        languages = sorted({extractor.language_of(it) for it in items})
        for lang in languages:
            extractor.pipeline(lang)
        figures["startup_pipelines_s"] = time.perf_counter() - t
        figures["languages"] = languages
        figures["models"] = {lang: resolve_model(lang, None) for lang in languages}

        # a. bare pass: the same models, loaded the same way, without our component
        bare = {}
        for lang in languages:
            nlp = build_nlp(lang, resources)
            nlp.remove_pipe("pressx_places")
            bare[lang] = nlp
        by_lang = {lang: [it.text for it in items if extractor.language_of(it) == lang] for lang in languages}

        def bare_pass() -> Timer:
            with Timer() as timer:
                for lang, texts in by_lang.items():
                    for _doc in bare[lang].pipe(texts, batch_size=32):
                        pass
            return timer

        def pressx_pass(workers: int, settings: Settings) -> Timer:
            out = tmp / "out"
            shutil.rmtree(out, ignore_errors=True)
            normalise.cache_clear()  # every pass starts as a fresh run would: no date seen yet
            with Timer() as timer:
                summary = run_batch([tmp / "batch"], out, settings=settings, workers=workers,
                                    progress=timer.progress)
            if summary.records != len(items):
                raise SystemExit(f"bench: expected {len(items)} records, got {summary.records}")
            return timer

        warm = tmp / "warm"
        make_batch(args.source, min(args.n, 48), warm)
        for lang, texts in by_lang.items():  # warm-up: first batches are slower
            list(bare[lang].pipe(texts[:32], batch_size=32))
        run_batch([warm], tmp / "warm-out", settings=settings)

        a, b, c = [], [], []
        for _ in range(args.repeat):
            a.append(bare_pass())
            b.append(pressx_pass(1, settings))
            c.append(pressx_pass(args.workers, settings))
        blank = Settings(model="blank")
        run_batch([warm], tmp / "warm-out", settings=blank)
        d = [pressx_pass(1, blank) for _ in range(args.repeat)]
        a_, b_, c_, d_ = best(a), best(b), best(c), best(d)
        for key, timer in (("a_bare", a_), ("b_pressx_1", b_), (f"c_pressx_{args.workers}", c_), ("d_blank", d_)):
            figures[key] = {"seconds": timer.wall, "cpu_seconds": timer.cpu, "items_per_s": len(items) / timer.wall,
                            "words_per_s": words / timer.wall}
        # ratios of passes run one right after the other (median over repeats): both passes of a
        # pair see the same load from other programs, so the ratio is steadier than either time
        figures["ratio_b_a"] = statistics.median(x.wall / y.wall for x, y in zip(a, b))
        figures["ratio_b_a_cpu"] = statistics.median(x.cpu / y.cpu for x, y in zip(a, b))
        figures["speedup_c_b"] = statistics.median(y.wall / z.wall for y, z in zip(b, c))
        figures["blank_vs_model"] = b_.wall / d_.wall
        figures["first_record_warm_s"] = b_.first

        # e, f: cold runs in fresh processes, N and mem_factor x N items
        small = cold_run(tmp / "batch", tmp / "cold-out")
        big_dir = tmp / "batch-big"
        make_batch(args.source, args.n * args.mem_factor, big_dir)
        big = cold_run(big_dir, tmp / "cold-out-big")
        figures["cold_n"], figures["cold_big"] = small, big
        figures["mem_factor"] = args.mem_factor
        figures["memory_ratio"] = big["peak_rss"] / small["peak_rss"]
        figures["first_record_cold_s"] = small["first_record"]
        return figures
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def table(f: dict) -> str:
    mb = 1024 * 1024
    n, k = f["n"], f["mem_factor"]
    w = f["workers"]

    def rate(key: str) -> str:
        r = f[key]
        return f"{r['items_per_s']:.1f} items/s, {r['words_per_s']:,.0f} words/s"

    rows = [
        ("a. bare `nlp.pipe`, same models", rate("a_bare")),
        ("b. `pressx run`, 1 worker", rate("b_pressx_1")),
        (f"c. `pressx run`, {w} workers", rate(f"c_pressx_{w}")),
        ("d. `pressx run --model blank`, 1 worker", rate("d_blank")),
        ("**ratio b/a** (wall; CPU)", f"**{f['ratio_b_a']:.2f}**; {f['ratio_b_a_cpu']:.2f}"),
        (f"**speed-up c/b** ({w} workers)", f"**{f['speedup_c_b']:.2f}x**"),
        ("**blank vs model** (d/b)", f"**{f['blank_vs_model']:.1f}x** faster"),
        (f"**peak RSS** {n} / {n * k} items (cold run)",
         f"{f['cold_n']['peak_rss'] / mb:.0f} MB / {f['cold_big']['peak_rss'] / mb:.0f} MB: "
         f"**ratio {f['memory_ratio']:.2f}**"),
        (f"strings in spaCy's vocabularies after {n} / {n * k} items",
         " / ".join(f"{sum(x['strings'].values()):,}" for x in (f["cold_n"], f["cold_big"]))),
        ("**time to first record**", f"**{f['first_record_warm_s']:.2f} s** warm; "
                                      f"{f['first_record_cold_s']:.1f} s cold (from interpreter start)"),
        ("start-up (not in the rates above)", f"models/ data {f['startup_resources_s']:.1f} s, "
                                              f"spaCy pipelines ({', '.join(f['languages'])}) "
                                              f"{f['startup_pipelines_s']:.1f} s"),
    ]
    head = (f"{f['items']} items ({f['words']:,} words) from {f['source']}, best of {f['repeat']}; "
            f"{f['machine']}")
    lines = [head, "", "| measure | result |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="items in the batch (default 200)")
    parser.add_argument("--source", type=Path, default=ROOT / "corpus" / "docs", help="folder of .txt items to copy")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for pass c (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes of each kind; the fastest counts")
    parser.add_argument("--mem-factor", type=int, default=10, help="the large memory run has this many times N items")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--child-run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_run:
        child_run(args.child_run, args.child_out)
        return 0
    import spacy

    figures = measure(args)
    figures["machine"] = (f"{psutil.cpu_count(logical=True)} CPUs, Python {platform.python_version()}, "
                          f"spaCy {spacy.__version__}, models {', '.join(figures['models'].values())}")
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
