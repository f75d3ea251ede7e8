"""pressx: news items about trainings, workshops and meetings -> evidence-backed records.

The Python API is :func:`extract` (one text in, one Record out); batch runs go
through :func:`pipeline.batch.run_batch` or the ``pressx`` command.
"""
from __future__ import annotations

__version__ = "0.1.0"


def extract(text, publication_date=None, *, language=None, model=None):
    """Extract one record from a text (and, optionally, its publication date)."""
    from .engine import extract as _extract

    return _extract(text, publication_date, language=language, model=model)


__all__ = ["extract", "__version__"]
