"""List where two independent annotations of the same items disagree (for the second annotation pass).

    python scripts/compare_gold.py FIRST_GOLD_DIR SECOND_GOLD_DIR

Values are compared as `pressx evaluate` scores them (ANNOTATION.md's normalisation; an entity
agrees when one of its names matches one of the other's). Prints one line per disagreement and
a count per field; exit 0 either way.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.evaluate import ENTITIES, SCALARS, _scalar_equal, match_entities  # noqa: E402


def main(first: Path, second: Path) -> None:
    counts: Counter[str] = Counter()
    for path in sorted(first.glob("*.json")):
        other = second / path.name
        if not other.exists():
            print(f"{path.stem}: no second annotation")
            continue
        a = json.loads(path.read_text(encoding="utf-8"))
        b = json.loads(other.read_text(encoding="utf-8"))
        for field in SCALARS:
            if not _scalar_equal(a.get(field), b.get(field)):
                counts[field] += 1
                print(f"{path.stem}\t{field}\tfirst={a.get(field)!r}\tsecond={b.get(field)!r}")
        for field in ENTITIES:
            _, _, _, only_second, only_first = match_entities(a.get(field) or [], b.get(field) or [])
            for entity in only_first:
                counts[field] += 1
                print(f"{path.stem}\t{field}\tonly first: {entity}")
            for entity in only_second:
                counts[field] += 1
                print(f"{path.stem}\t{field}\tonly second: {entity}")
    print("disagreements per field:", dict(counts) or "none")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
