"""Whole-process timings against what a user would run instead (the start-up issue's bars).

    .venv/bin/python benchmarks/whole_process.py [--sizes 1 60 400] [--rounds 5] [--json FILE]

For each size N it copies N English ``.txt`` items of corpus/docs (new ids, and new years
for each round of copies, as benchmarks/bench.py does) into a temporary folder, then runs,
alternately and ``--rounds`` times (after one warm-up of each):

A. ``python -m pipeline run FOLDER --out TMP --quiet`` (one worker), the whole process;
B. ``python benchmarks/spacy_default.py FOLDER``: ``spacy.load(model)`` with its default
   components and ``nlp.pipe`` over the same files, the whole process.

It reports the median of the pair-by-pair ratios time(B) / time(A): above 1.0, pressx is
faster than the default spaCy pass it replaces; for N = 1 the inverse, time(A) / time(B),
is the cold start as a multiple of spaCy's own load-and-parse-one-item; and the peak resident
memory of one more run of each (GNU time's %M). Prints Markdown.
Absolute times depend on the machine; the ratios are the figures to quote.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import make_batch  # noqa: E402


def peak_rss_mb(command: list[str]) -> float:
    """The peak resident memory of one whole run of ``command`` (GNU time's %M), in MB."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=ROOT, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(n: int, rounds: int, workdir: Path) -> dict:
    source = workdir / "english"
    if not source.exists():
        source.mkdir()
        for path in sorted((ROOT / "corpus" / "docs").glob("en-*.txt")):
            (source / path.name).write_bytes(path.read_bytes())
    folder = workdir / f"items-{n}"
    make_batch(source, n, folder)
    pressx = [sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(workdir / f"out-{n}"), "--quiet"]
    spacy_default = [sys.executable, str(ROOT / "benchmarks" / "spacy_default.py"), str(folder)]
    timed(pressx), timed(spacy_default)  # warm-up: page cache, the prepared gazetteer
    pairs = [(timed(pressx), timed(spacy_default)) for _ in range(rounds)]
    a = [p for p, _ in pairs]
    b = [s for _, s in pairs]
    rss = {"pressx_peak_mb": peak_rss_mb(pressx), "spacy_default_peak_mb": peak_rss_mb(spacy_default)}
    return {"n": n, "pressx_s": statistics.median(a), "spacy_default_s": statistics.median(b),
            "speed_ratio": statistics.median(s / p for p, s in pairs),
            "start_ratio": statistics.median(p / s for p, s in pairs), **rss,
            "memory_ratio": rss["pressx_peak_mb"] / rss["spacy_default_peak_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 60, 400])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pressx-whole-") as tmp:
        rows = [measure(n, args.rounds, Path(tmp)) for n in args.sizes]
    print("| items | pressx run (median s) | spaCy default load + pipe (median s) | ratio | peak RSS pressx / spaCy |")
    print("|---|---|---|---|---|")
    for row in rows:
        ratio = (f"{row['start_ratio']:.2f}x spaCy's load-and-parse time" if row["n"] == 1
                 else f"{row['speed_ratio']:.2f}x the speed of the default pass")
        memory = f"{row['pressx_peak_mb']:.0f} / {row['spacy_default_peak_mb']:.0f} MB ({row['memory_ratio']:.2f}x)"
        print(f"| {row['n']} | {row['pressx_s']:.2f} | {row['spacy_default_s']:.2f} | {ratio} | {memory} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
