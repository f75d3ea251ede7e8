"""Find, load and validate the data under ``models/``: the only code that reads it.

Everything is read once per process (``load_resources``) and shared read-only
by the extractors, which receive it as an argument.
"""
from __future__ import annotations

import bisect
import csv
import gc
import json
import re
from array import array
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"

LEXICON_KEYS = {
    "months": dict, "weekdays": dict, "relative_days": dict, "number_words": dict,
    "number_scales": dict, "vague_quantifiers": list, "participant_nouns": list,
    "female_nouns": list, "male_nouns": list, "attendance_verbs": list,
    "count_blockers": list, "event_nouns": list, "event_verbs": list,
    "past_event_cues": list, "online_cues": list, "organizer_cues": dict,
    "funder_cues": dict, "donor_words": list, "org_heads": list, "not_places": list,
    "unresolvable_relative": list, "future_cues": list, "start_verbs": list, "end_verbs": list, "expected_cues": list, "venue_verbs": list, "admin_suffix": list, "admin_suffix_titled": list, "admin_prefix": list, "venue_heads": list, "staff_nouns": list, "all_female_cues": list, "background_headings": list, "unsized_determiners": list,
    "settlement_words": list, "handover_words": list, "person_titles": list,
    # participants.py: what tells a count from other numbers
    "count_prefix_blockers": list, "age_cues": list, "age_range_joiners": list, "percent_words": list,
    "duration_units": list, "conjunctions": list, "of_whom_links": list, "of_whom_pronouns": list,
    "of_whom_verbs": list, "list_part_cues": list, "sum_breakers": list, "part_joiners": list,
    "led_by_cues": list, "plural_noun_followers": list, "past_participle_endings": list, "planned_cues": list,
    "group_backrefs": list, "channel_words": list, "fund_words": list, "relative_pronouns": list, "gender_adjectives": list,
    # assemble.py: online or in person, the publication date given as "today (...)"
    "in_person_cues": list, "remote_join_cues": list, "remote_audience_nouns": list, "online_thing_nouns": list,
    "today_words": list,
    # places.py: a place of the item or part of a name, a title or a venue; the event's town
    "envoy_titles": list, "envoy_prepositions": list, "venue_nouns": list, "org_of_words": list, "country_titles": list,
    "place_articles": list, "list_joiners": list, "entity_place_prepositions": list, "located_prepositions": list,
    "settlement_articles": list, "venue_of_words": list, "area_name_non_starters": list, "area_articles": list,
    "name_particles": list, "name_non_followers": list, "name_non_preceders": list, "town_prepositions": list,
    "capital_words": list, "origin_prepositions": list, "seat_words": list, "seat_prepositions": list,
    "country_prepositions": list,
    # actors.py: the scope of a cue (where its list of names ends), the pronoun of the event, a donor in apposition
    "and_words": list, "scope_comma_breaks": list, "scope_comma_prepositions": list, "scope_possessives": list,
    "scope_breaks": list, "scope_prepositions": list, "with_words": list, "with_articles": list,
    "scope_and_breaks": list, "second_name_articles": list, "event_pronouns": list, "event_pronoun_verbs": list,
    "donor_determiners": list, "donor_adjectives": list, "donor_nouns": list, "also_words": list,
    "pooled_fund_words": list, "name_abbreviations": list, "second_agent_links": list,
    "agent_prepositions": list, "parent_prepositions": list, "gap_words": list, "gap_unit_nouns": list,
    "gap_fund_nouns": list, "gap_fund_prepositions": list, "gap_state_nouns": list, "gap_state_prepositions": list,
    "money_scales": list, "money_scale_links": list, "currency_words": list, "currency_qualifiers": list,
    "money_prepositions": list,
    "channel_determiners": list, "not_organizing_verbs": list, "name_of_words": list, "thanks_cues": list,
    "x_funded_words": list, "support_cue_words": list, "handover_cue_stems": list, "passive_auxiliaries": list,
    "fund_passive_auxiliaries": list, "subject_blocking_prepositions": list, "subject_articles": list,
    "owner_determiners": list, "proper_name_links": list, "unit_links": list, "unit_possessives": list,
    "name_connectors": list, "run_connectors": list, "run_prepositions": list, "run_articles": list,
    "run_and_articles": list, "run_elisions": list, "name_articles": list, "name_lead_words": list,
    "second_body_articles": list, "complement_prepositions": list, "complement_articles": list,
    "place_small_words": list,
    "government_articles": list, "government_of_nouns": list, "government_prepositions": list,
    "country_end_words": list, "embassy_nouns": list, "demonym_government_nouns": list,
    "government_demonym_nouns": list, "name_government_nouns": list,
    "fund_subject_fillers": list,
    "name_complement_prepositions": list,
    "gathering_verbs": list,
    "attending_verbs": list,
    "rate_words": list,
}


class ResourceError(ValueError):
    """A data file under models/ is missing or malformed (the message names it)."""


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    country: str
    lat: float | None
    lon: float | None
    population: int
    canonical: str

    RANK = {"country": 0, "region": 1, "admin1": 2, "city": 3}

    @property
    def key(self) -> str:
        if self.kind == "country":
            return f"country:{self.country}"
        return f"{self.kind}:{self.country}:{self.canonical}"


@dataclass(frozen=True)
class Organization:
    acronym: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass
class Resources:
    """All pipeline data, validated. Built by :func:`load_resources`."""

    lexicons: dict[str, dict]
    places: Mapping[str, tuple[Place, ...]]
    organizations: dict[str, Organization]
    demonyms: dict[str, str]
    country_names: dict[str, str] = field(default_factory=dict)
    confidence_model: dict | None = None  # models/weights/confidence.json, when shipped
    picker_model: dict | None = None  # models/weights/picker.json, when shipped

    def lexicon(self, language: str) -> dict:
        return self.lexicons.get(language) or self.lexicons["en"]


def _data_lines(path: Path):
    """Yield (line number, fields) for the non-comment lines of a TSV file."""
    if not path.exists():
        raise ResourceError(f"{path}: file not found")
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield number, line.split("\t")


def read_json(path: Path):
    """A JSON data file, or a ResourceError naming the file (and the line of a syntax error)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResourceError(f"{path}: file not found") from exc
    except json.JSONDecodeError as exc:
        raise ResourceError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from exc


def load_lexicon(path: Path) -> dict:
    data = read_json(path)
    for key, kind in LEXICON_KEYS.items():
        if not isinstance(data.get(key), kind):
            raise ResourceError(f"{path}: key {key!r} missing or not a {kind.__name__}")
        if kind is list and not all(isinstance(w, str) and w for w in data[key]):
            raise ResourceError(f"{path}: key {key!r} must be a list of words (non-empty strings)")
    return data


class PackedStrings(Sequence):
    """Sorted strings held as one string and their offsets: a look-up is a binary search.

    290,000 names as separate objects (and a dict over them) cost about 40 MB; packed they
    cost their characters and 8 bytes each.
    """

    def __init__(self, blob: str, offsets: bytes):
        self._blob = blob
        self._offsets = array("q")
        self._offsets.frombytes(offsets)

    @classmethod
    def pack(cls, strings) -> "PackedStrings":
        ordered = sorted(strings)
        offsets = array("q", [0])
        for text in ordered:
            offsets.append(offsets[-1] + len(text))
        return cls("".join(ordered), offsets.tobytes())

    def __getitem__(self, i: int) -> str:
        return self._blob[self._offsets[i]:self._offsets[i + 1]]

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def index_of(self, text: str) -> int:
        """The position of ``text``, or -1."""
        i = bisect.bisect_left(self, text)
        return i if i < len(self) and self[i] == text else -1

    def __contains__(self, text) -> bool:
        return isinstance(text, str) and self.index_of(text) >= 0

    def state(self) -> tuple[str, bytes]:
        return self._blob, self._offsets.tobytes()


class PlaceIndex(Mapping):
    """Places by name, packed (names and rows in a few large objects), each name's rows made into
    :class:`Place` objects on its first look-up.

    The gazetteer has ~290k rows and an item looks up a few dozen names: building every
    object at start-up cost about a second and some 130 MB; the packed rows load in a tenth
    of a second and hold about 20 MB.
    """

    def __init__(self, names: PackedStrings, rows: bytes, row_offsets: bytes, heads: PackedStrings,
                 countries: dict[str, str]):
        self._names = names
        self._rows = rows
        self._row_offsets = array("q")
        self._row_offsets.frombytes(row_offsets)
        self._heads = heads
        self._countries = countries
        self._made: dict[str, tuple[Place, ...]] = {}  # a memo only: the index never changes

    @classmethod
    def build(cls, table: dict[str, tuple[tuple, ...]]) -> "PlaceIndex":
        """From the rows by name that :func:`read_places_tsv` returns."""
        import marshal

        from .components.gazetteer import first_words

        names = PackedStrings.pack(table)
        chunks, offsets = [], array("q", [0])
        for name in names:
            chunk = marshal.dumps(table[name])
            chunks.append(chunk)
            offsets.append(offsets[-1] + len(chunk))
        countries: dict[str, str] = {}
        for name in names:
            for kind, country, _, _, _, canonical in table[name]:
                if kind == "country":
                    countries.setdefault(country, canonical or name)
        return cls(names, b"".join(chunks), offsets.tobytes(), PackedStrings.pack(first_words(table)), countries)

    def state(self) -> tuple:
        """What the prepared copy stores (plain strings, bytes and a dict: marshal reads them fast)."""
        return (*self._names.state(), self._rows, self._row_offsets.tobytes(), *self._heads.state(), self._countries)

    @classmethod
    def from_state(cls, state: tuple) -> "PlaceIndex":
        names_blob, names_offsets, rows, row_offsets, heads_blob, heads_offsets, countries = state
        return cls(PackedStrings(names_blob, names_offsets), rows, row_offsets,
                   PackedStrings(heads_blob, heads_offsets), countries)

    def first_words(self) -> PackedStrings:
        """The case-folded first word of every name (the gazetteer component skips other words)."""
        return self._heads

    def __getitem__(self, name: str) -> tuple[Place, ...]:
        made = self._made.get(name)
        if made is None:
            import marshal

            i = self._names.index_of(name) if isinstance(name, str) else -1
            if i < 0:
                raise KeyError(name)
            # a row is (kind, country, lat, lon, population, canonical or None when it is the name)
            rows = marshal.loads(self._rows[self._row_offsets[i]:self._row_offsets[i + 1]])
            made = self._made[name] = tuple(Place(name, k, c, la, lo, pop, canonical or name)
                                            for k, c, la, lo, pop, canonical in rows)
        return made

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name) -> bool:
        return name in self._made or name in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def country_names(self) -> dict[str, str]:
        """Each country's canonical name by ISO code."""
        return self._countries


def read_places_tsv(path: Path) -> dict[str, tuple[tuple, ...]]:
    """The gazetteer's rows by name (validated; the file and line named on error), best first.

    A row is ``(kind, country, lat, lon, population, canonical)``, the canonical name None
    where it is the name itself: the prepared form is smaller, hence faster to read."""
    table: dict[str, list[tuple]] = {}
    rank = Place.RANK
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header != ["name", "kind", "country", "lat", "lon", "population", "canonical"]:
            raise ResourceError(f"{path}:1: unexpected header {header}")
        for number, row in enumerate(reader, 2):
            if len(row) != 7 or row[1] not in rank:
                raise ResourceError(f"{path}:{number}: malformed row {row}")
            name, kind, country, lat, lon, pop, canonical = row
            table.setdefault(name, []).append((kind, country, float(lat) if lat else None,
                                               float(lon) if lon else None, int(pop or 0),
                                               None if canonical == name else canonical))
    return {name: tuple(rows) if len(rows) == 1 else tuple(sorted(rows, key=lambda r: (rank[r[0]], -r[4])))
            for name, rows in table.items()}


def load_places(path: Path, *, cache_dir: Path | None = None) -> PlaceIndex:
    """The gazetteer, from its prepared form when one matches the TSV's hash, else from the TSV.

    The prepared form (``marshal`` of plain tuples, about 4x faster to read than the TSV) is
    written on first use into ``cache_dir`` (default: ``$XDG_CACHE_HOME/pressx`` or
    ``~/.cache/pressx``), named by the TSV's sha256 and the Python version, so an edited
    gazetteer or another interpreter never reads a stale copy. A cache that cannot be
    written is skipped silently: the TSV is always enough.
    """
    import hashlib
    import marshal
    import os
    import sys

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    cache_dir = cache_dir or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pressx"
    cached = cache_dir / f"places4-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    try:
        return PlaceIndex.from_state(marshal.loads(cached.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    index = PlaceIndex.build(read_places_tsv(path))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(index.state()))
        os.replace(partial, cached)
        for stale in cache_dir.glob("places*.marshal"):  # copies of gazetteers since edited
            if stale != cached:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return index


def load_organizations(path: Path) -> dict[str, Organization]:
    """Index every acronym, long form and alias (case-folded) to its organisation."""
    index: dict[str, Organization] = {}
    for number, fields in _data_lines(path):
        if len(fields) < 3:
            raise ResourceError(f"{path}:{number}: expected acronym, name, kind")
        aliases = tuple(a for a in (fields[3].split("|") if len(fields) > 3 else []) if a)
        org = Organization(fields[0], fields[1], fields[2], aliases)
        for key in (org.acronym, org.name, *aliases):
            index.setdefault(key.casefold(), org)
    return index


def load_demonyms(path: Path) -> dict[str, str]:
    out = {}
    for number, fields in _data_lines(path):
        if len(fields) != 2 or not re.fullmatch(r"[A-Z]{2}", fields[1]):
            raise ResourceError(f"{path}:{number}: expected 'demonym<TAB>ISO code'")
        out[fields[0]] = fields[1]
    return out


ROLE_LABELS = ("ORGANIZER", "FUNDER")


@lru_cache(maxsize=8)
def load_role_patterns(language: str, models_dir: Path = MODELS_DIR) -> tuple[dict, ...]:
    """``models/patterns/<language>/roles.jsonl`` (validated: ids unique, labels known, an ``actor`` node)."""
    path = models_dir / "patterns" / language / "roles.jsonl"
    if not path.exists():
        return ()
    out, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ResourceError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        nodes = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(nodes, list) or not nodes or not all(isinstance(n, dict) and "RIGHT_ID" in n for n in nodes):
            raise ResourceError(f"{path}:{number}: 'pattern' must be a list of dependency-pattern nodes")
        if entry.get("label") not in ROLE_LABELS:
            raise ResourceError(f"{path}:{number}: label must be one of {', '.join(ROLE_LABELS)}")
        if not entry.get("id") or entry["id"] in seen:
            raise ResourceError(f"{path}:{number}: missing or repeated id {entry.get('id')!r}")
        if "actor" not in [n["RIGHT_ID"] for n in nodes]:
            raise ResourceError(f"{path}:{number}: the pattern has no node named 'actor'")
        seen.add(entry["id"])
        out.append(entry)
    return tuple(out)


LAYOUT_KEYS = ("publication_labels", "update_labels", "byline_labels", "menu_words", "share_words",
               "list_separators", "trailer_heads", "dateline_particles", "footer_marks", "breadcrumb_labels",
               "meta_labels")


@lru_cache(maxsize=2)
def load_layout_words(models_dir: Path = MODELS_DIR) -> tuple[dict, tuple[str, ...]]:
    """``models/layout.json`` (validated), and the month names of every language lexicon."""
    path = models_dir / "layout.json"
    words = read_json(path)
    for key in LAYOUT_KEYS:
        if not isinstance(words.get(key), list) or not all(isinstance(w, str) and w for w in words[key]):
            raise ResourceError(f"{path}: key {key!r} missing or not a list of words")
    months: set[str] = set()
    for lexicon in sorted((models_dir / "lexicons").glob("*.json")):
        months |= set(json.loads(lexicon.read_text(encoding="utf-8")).get("months", {}))
    return words, tuple(sorted(months))


@lru_cache(maxsize=2)
def load_stop_words(models_dir: Path = MODELS_DIR) -> dict[str, frozenset[str]]:
    """``models/stop_words.json``: each language's function words, for the language vote."""
    path = models_dir / "stop_words.json"
    data = read_json(path)
    out = {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}
    if not out or not all(out.values()):
        raise ResourceError(f"{path}: expected a list of words per language")
    return out


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while building the tables.

    The place gazetteer is ~300k small objects that only ever grow, so the
    collector's full passes over them are wasted: pausing it makes loading
    about three times faster (measured: 3.1 s -> 1.1 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4)
def load_resources(models_dir: Path = MODELS_DIR) -> Resources:
    """Load and validate every data file. Cached: one copy per process."""
    with _collector_paused():
        resources = _load_resources(models_dir)
    # ~300k objects that live as long as the process: the collector need never walk them again
    gc.freeze()
    return resources


def _load_resources(models_dir: Path) -> Resources:
    lexicons = {p.stem: load_lexicon(p) for p in sorted((models_dir / "lexicons").glob("*.json"))}
    if "en" not in lexicons:
        raise ResourceError(f"{models_dir / 'lexicons'}: en.json is required")
    places = load_places(models_dir / "gazetteers" / "places.tsv")
    return Resources(
        lexicons=lexicons,
        places=places,
        organizations=load_organizations(models_dir / "gazetteers" / "organizations.tsv"),
        demonyms=load_demonyms(models_dir / "gazetteers" / "demonyms.tsv"),
        country_names=places.country_names(),
        confidence_model=load_weights(models_dir / "weights" / "confidence.json"),
        picker_model=load_weights(models_dir / "weights" / "picker.json", key="roles"),
    )


def load_weights(path: Path, *, key: str = "fields") -> dict | None:
    """Fitted weights (``pressx train``), validated; None when the file is absent. ``key`` holds one
    logistic regression per field (confidence.json) or per role (picker.json)."""
    if not path.exists():
        return None
    model = read_json(path)
    fields = model.get(key) if isinstance(model, dict) else None
    if not isinstance(fields, dict) or not all(
            isinstance(w, dict) and isinstance(w.get("intercept"), (int, float)) and isinstance(w.get("weights"), dict)
            for w in fields.values()):
        raise ResourceError(f"{path}: expected {{{key!r}: {{name: {{'intercept', 'weights'}}}}}}")
    return model
