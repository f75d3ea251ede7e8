"""Print a corpus/LEDGER.md row from the JSON that `pressx evaluate SET --json FILE` wrote.

    pressx evaluate staging/en-f --json first-run.json
    python scripts/ledger_row.py first-run.json --batch en-f --items "25 EN" --written "..." --commit abc1234
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

SCALARS = ("publication_date", "event_start", "event_end", "event_city", "event_country", "participant_count",
           "participants_female", "participants_male")
ENTITIES = ("locations", "organizers", "funders")


def cell(scores: dict, field: str) -> str:
    s = scores[field]
    if field in ENTITIES:
        return "–" if s["tp"] + s["fp"] + s["fn"] == 0 else f"{s['f1']:.3f}"
    return "–" if s["n"] == 0 else f"{s['accuracy']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scores", type=Path)
    parser.add_argument("--batch", required=True)
    parser.add_argument("--items", required=True)
    parser.add_argument("--written", required=True)
    parser.add_argument("--commit", required=True)
    args = parser.parse_args()
    scores = json.loads(args.scores.read_text(encoding="utf-8"))
    cells = [cell(scores, f) for f in (*SCALARS, *ENTITIES)]
    print("| " + " | ".join([args.batch, args.items, args.written, args.commit, *cells]) + " |")


if __name__ == "__main__":
    main()
