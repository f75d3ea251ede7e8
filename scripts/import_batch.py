"""Move a settled batch from its staging folder into corpus/ (after its ledger row is written).

    python scripts/import_batch.py STAGING_DIR

- STAGING/docs, STAGING/gold            -> corpus/docs, corpus/gold
- STAGING/asfound/docs, asfound/gold    -> corpus/docs, corpus/gold (the "as found" slice)
- STAGING/asfound/rewritten/<id>.txt    -> corpus/rewritten/docs/<id>.txt, with a copy of its gold in
                                           corpus/rewritten/gold (the same items in the corpus layout)
- STAGING/SOURCES.md rows               -> appended to corpus/SOURCES.md
- STAGING/ADJUDICATION.md               -> corpus/adjudication/<batch>.md
Refuses to overwrite an item already in corpus/.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def copy(src: Path, dest: Path) -> None:
    if dest.exists():
        raise SystemExit(f"{dest} exists already; not overwritten")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def main(staging: Path) -> None:
    for part in (staging, staging / "asfound"):
        if not (part / "docs").is_dir():
            continue
        for doc in sorted((part / "docs").iterdir()):
            copy(doc, CORPUS / "docs" / doc.name)
            copy(part / "gold" / f"{doc.stem}.json", CORPUS / "gold" / f"{doc.stem}.json")
    rewritten = staging / "asfound" / "rewritten"
    for doc in sorted(rewritten.glob("*.txt")) if rewritten.is_dir() else []:
        copy(doc, CORPUS / "rewritten" / "docs" / doc.name)
        copy(staging / "asfound" / "gold" / f"{doc.stem}.json", CORPUS / "rewritten" / "gold" / f"{doc.stem}.json")
    sources = staging / "SOURCES.md"
    if sources.exists():
        rows = [line for line in sources.read_text(encoding="utf-8").splitlines()
                if line.startswith("|") and not line.startswith("| id") and not set(line) <= set("|-: ")]
        target = CORPUS / "SOURCES.md"
        with target.open("a", encoding="utf-8") as fh:
            fh.write("".join(row + "\n" for row in rows))
    adjudication = staging / "ADJUDICATION.md"
    if adjudication.exists():
        copy(adjudication, CORPUS / "adjudication" / f"{staging.name}.md")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
