"""Shared, immutable data types: what flows between the stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A span of the document's text that a value was read from."""

    text: str
    start: int
    end: int
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "rule": self.rule}


@dataclass(frozen=True)
class Candidate:
    """One possible value for a field, with the evidence behind it.

    ``score`` orders candidates of one field: assembly keeps the best.
    """

    value: Any
    evidence: tuple[Evidence, ...]
    score: float = 0.0


@dataclass(frozen=True)
class Entity:
    """A place or an organisation, as it goes into a record."""

    name: str
    acronym: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        for key in ("acronym", "country", "lat", "lon"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class NewsItem:
    """One news item as read from disk, with its layout worked out.

    ``text`` is the document text every evidence offset points into.
    ``date_line`` and ``dateline`` are (start, end) offsets into ``text``;
    ``content_end`` is where a trailing list of links to other items begins.
    ``clean`` is the text as matched: the same length and offsets as ``text``, with
    typographic quotes and odd spaces made plain and page furniture (menus, share bars,
    footers) blanked; ``layout`` holds the decisions that found each part.
    """

    id: str
    source: str
    text: str
    title: str = ""
    language: str | None = None
    publication_hint: str | None = None
    date_line: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    body_start: int = 0
    content_end: int = 0
    content_hash: str = ""
    clean: str = ""
    layout: tuple = ()

    @property
    def matched_text(self) -> str:
        return self.clean or self.text


@dataclass
class Record:
    """The extracted values of one item, in the contract's field order."""

    id: str
    source: str
    language: str | None = None
    title: str | None = None
    publication_date: str | None = None
    event_start: str | None = None
    event_end: str | None = None
    event_city: str | None = None
    event_country: str | None = None
    locations: list[Entity] = field(default_factory=list)
    participant_count: int | None = None
    participants_female: int | None = None
    participants_male: int | None = None
    organizers: list[Entity] = field(default_factory=list)
    funders: list[Entity] = field(default_factory=list)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    content_hash: str = ""
    confidence: dict[str, Any] = field(default_factory=dict)
    candidates: list = field(default_factory=list)  # candidates.BodyCandidate: every body, for the picker
    towns: list = field(default_factory=list)  # places.TownCandidate: every town, for the picker
    counts: list = field(default_factory=list)  # participants.CountCandidate: every sentence's count, for the picker

    SCALARS = (
        "publication_date", "event_start", "event_end", "event_city", "event_country",
        "participant_count", "participants_female", "participants_male",
    )
    ENTITIES = ("locations", "organizers", "funders")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "source": self.source, "language": self.language, "title": self.title,
        }
        for name in self.SCALARS[:5]:
            out[name] = getattr(self, name)
        out["locations"] = [e.to_dict() for e in self.locations]
        for name in self.SCALARS[5:]:
            out[name] = getattr(self, name)
        out["organizers"] = [e.to_dict() for e in self.organizers]
        out["funders"] = [e.to_dict() for e in self.funders]
        out["evidence"] = {k: [e.to_dict() for e in v] for k, v in self.evidence.items() if v}
        out["content_hash"] = self.content_hash
        if self.confidence:
            out["confidence"] = self.confidence
        if self.candidates:
            out["candidates"] = [c.to_dict() for c in self.candidates]
        if self.towns:
            out["towns"] = [t.to_dict() for t in self.towns]
        if self.counts:
            out["counts"] = [c.to_dict() for c in self.counts]
        return out
