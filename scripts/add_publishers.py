"""One-off: give every gold file of corpus/ a `publisher` (ANNOTATION.md), read from its id.

Ids of the first batches name the publisher as a slug (en-a-undp-..., fr-b-burkina-pnud-...).
French and English acronyms of one body map to one name, so that cross-validation keeps
UNDP's and PNUD's items on the same side. Files that already have a publisher are left alone.
"""
import json
import sys
from pathlib import Path

ORGS = {
    "ecowas": "ECOWAS", "cedeao": "ECOWAS", "fao": "FAO", "ilo": "ILO", "iom": "IOM", "oim": "IOM",
    "osce": "OSCE", "sadc": "SADC", "spc": "SPC", "undp": "UNDP", "pnud": "UNDP", "unhcr": "UNHCR",
    "hcr": "UNHCR", "unicef": "UNICEF", "unodc": "UNODC", "onudc": "UNODC", "unwomen": "UN Women",
    "who": "WHO", "oms": "WHO", "caricom": "CARICOM", "icrc": "ICRC", "ifad": "IFAD", "interpol": "INTERPOL",
    "kws": "Kenya Wildlife Service", "lastrada": "La Strada", "sfcg": "Search for Common Ground",
    "sica": "SICA", "unfpa": "UNFPA", "wfp": "WFP", "worldbank": "World Bank", "asiafoundation": "The Asia Foundation",
    "eu": "EU", "nrc": "NRC", "seesac": "SEESAC", "unesco": "UNESCO", "unhabitat": "UN-Habitat",
    "eca": "ECA", "unep": "UNEP", "unmas": "UNMAS", "africacdc": "Africa CDC", "cdema": "CDEMA",
    "johud": "JOHUD", "nrcs": "Nepal Red Cross Society", "oas": "OAS", "save": "Save the Children",
    "wwf": "WWF", "minusma": "MINUSMA", "uemoa": "UEMOA", "ceeac": "ECCAS", "giz": "GIZ", "oif": "OIF",
    "alvf": "ALVF", "g5sahel": "G5 Sahel", "mdt": "MDT", "pnc": "PNC RDC",
    "psc": "Bangladesh Police Staff College", "bougainville": "Bougainville Police",
    "srilanka": "Legal Aid Commission of Sri Lanka", "zambia": "Zambia Police Service",
}


def publisher_of(doc_id: str) -> str:
    words = doc_id.split("-")[1:]
    for word in words:
        if word in ORGS:
            return ORGS[word]
    raise SystemExit(f"{doc_id}: no publisher slug known; add it to ORGS")


def main(gold_dir: str) -> None:
    """Insert a "publisher" line after each file's "language" line, leaving the rest byte for byte."""
    for path in sorted(Path(gold_dir).glob("*.json")):
        text = path.read_text(encoding="utf-8")
        record = json.loads(text)
        if record.get("publisher"):
            continue
        name = json.dumps(publisher_of(record["id"]), ensure_ascii=False)
        lines = text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.strip().startswith('"language"'))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        lines.insert(at + 1, f'{indent}"publisher": {name},')
        path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
