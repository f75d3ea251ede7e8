"""Run extraction over items: one language's pipeline loaded once, items streamed through ``nlp.pipe``."""
from __future__ import annotations

import gc
import traceback
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from .assemble import Grammars, assemble
from . import picker
from .confidence import annotate
from .ingest import IngestFailure, make_item
from .langid import SUPPORTED, detect
from .nlp import BLANK, build_nlp
from .resources import Resources, load_resources
from .types import NewsItem, Record

BATCH = 32
# spaCy's vocabulary keeps every string it has seen (about 0.5 kB each with its lexeme), so
# a long run grows without bound; past this many new strings the pipeline is built afresh
# (identical results, memory back, one model load per ~120 MB of new strings)
FRESH_STRINGS = 250_000


@dataclass(frozen=True)
class Settings:
    model: str | None = None  # None: the default model per language; "blank": rules only
    language: str | None = None  # None: detect per item
    n_process: int = 1


class Extractor:
    """Holds the loaded pipelines (one per language, built on first use) and compiled rules."""

    def __init__(self, settings: Settings = Settings(), resources: Resources | None = None):
        self.settings = settings
        self.resources = resources or load_resources()
        self._nlp: dict[str, object] = {}
        self._grammars: dict[str, Grammars] = {}
        self._strings_at_load: dict[str, int] = {}

    def language_of(self, item: NewsItem) -> str:
        if self.settings.language:
            return self.settings.language
        if item.language in SUPPORTED:
            return item.language
        return detect(item.text)

    def pipeline(self, language: str):
        if language not in self._nlp:
            self._load(language)
            self._grammars[language] = Grammars(language, self.resources)
        return self._nlp[language], self._grammars[language]

    def _load(self, language: str) -> None:
        model = self.settings.model
        if model and model != BLANK and language != "en":
            model = None  # --model names the English model; other languages use their default
        nlp = build_nlp(language, self.resources, model=model)
        self._nlp[language] = nlp
        self._strings_at_load[language] = len(nlp.vocab.strings)

    def _renew_if_grown(self, language: str) -> None:
        """Build ``language``'s pipeline afresh once its vocabulary has grown by FRESH_STRINGS strings."""
        if len(self._nlp[language].vocab.strings) - self._strings_at_load[language] > FRESH_STRINGS:
            del self._nlp[language]
            gc.collect()  # the old pipeline and its vocabulary hold reference cycles
            self._load(language)

    def extract_one(self, item: NewsItem, publication: date | None = None) -> Record:
        language = self.language_of(item)
        nlp, grammars = self.pipeline(language)
        return self._with_confidence(assemble(nlp(item.matched_text), item, self.resources, grammars,
                                              use_model=self.settings.model != BLANK, publication=publication))

    def _with_confidence(self, record: Record) -> Record:
        """The record with its organizers and funders picked by the shipped picker, and the shipped
        model's probability for each value (the rules' choice and no confidence without weights)."""
        if self.settings.model == BLANK:  # the weights were fitted on the statistical pipeline's output
            return record
        picker.apply(record, self.resources.picker_model)
        model = self.resources.confidence_model
        if model:
            record.confidence = annotate(record.to_dict(), model)["confidence"]
        return record

    def run(self, items: Iterable[NewsItem | IngestFailure]) -> Iterator[Record | IngestFailure]:
        """Records (or failures) in input order, with items batched through ``nlp.pipe``."""
        batch: list[tuple[NewsItem, str]] = []
        for item in items:
            if isinstance(item, IngestFailure):
                yield from self._flush(batch)
                batch = []
                yield item
                continue
            batch.append((item, self.language_of(item)))
            if len(batch) >= BATCH:
                yield from self._flush(batch)
                batch = []
        yield from self._flush(batch)

    def _flush(self, batch: list[tuple[NewsItem, str]]) -> Iterator[Record | IngestFailure]:
        by_lang: dict[str, list[int]] = {}
        for i, (_, lang) in enumerate(batch):
            by_lang.setdefault(lang, []).append(i)
        results: dict[int, Record | IngestFailure] = {}
        for lang, indexes in by_lang.items():
            nlp, grammars = self.pipeline(lang)
            texts = [batch[i][0].matched_text for i in indexes]
            try:
                docs = list(nlp.pipe(texts, batch_size=BATCH))
            except Exception:  # noqa: BLE001 - fall back to one at a time to isolate the bad item
                docs = [None] * len(texts)
            for i, doc in zip(indexes, docs):
                item = batch[i][0]
                try:
                    doc = doc if doc is not None else nlp(item.matched_text)
                    results[i] = self._with_confidence(assemble(doc, item, self.resources, grammars,
                                                                use_model=self.settings.model != BLANK))
                except Exception as exc:  # noqa: BLE001 - the per-item boundary: report, keep going
                    where = traceback.extract_tb(exc.__traceback__)[-1]
                    results[i] = IngestFailure(item.source, "extraction-error",
                                               f"{type(exc).__name__}: {exc} (at {where.name}:{where.lineno})", id=item.id)
            docs = doc = nlp = None
            self._renew_if_grown(lang)
        for i in range(len(batch)):
            yield results[i]


def extract(text: str, publication_date: str | date | None = None, *, language: str | None = None,
            model: str | None = None, item_id: str = "item", extractor: Extractor | None = None) -> Record:
    """Extract one record from a text (the Python API). Builds an Extractor unless one is given."""
    extractor = extractor or Extractor(Settings(model=model, language=language))
    item = make_item(item_id, "<text>", text, language=language)
    pub = date.fromisoformat(publication_date) if isinstance(publication_date, str) else publication_date
    return extractor.extract_one(item, pub)
