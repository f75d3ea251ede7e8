"""Write models/stop_words.json: spaCy's stop-word list for each language pressx reads.

The language vote (pipeline/langid.py) needs only these words. Reading them from spaCy at
run time imports each language's tokenizer exceptions (3.6 s for French), so they are kept
as data; tests/test_resources.py checks that running this script gives the committed file.

    python scripts/build_stop_words.py            # rewrite models/stop_words.json
    python scripts/build_stop_words.py --check    # exit 1 if the committed file differs
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

LANGUAGES = ("en", "fr")
TARGET = Path(__file__).resolve().parents[1] / "models" / "stop_words.json"


def build() -> str:
    import spacy
    from spacy.util import get_lang_class

    data = {"_about": f"spaCy {spacy.__version__}'s stop-word lists (MIT licence), written by "
                      "scripts/build_stop_words.py for the language vote."}
    data.update({lang: sorted(get_lang_class(lang).Defaults.stop_words) for lang in LANGUAGES})
    return json.dumps(data, ensure_ascii=False, indent=0) + "\n"


if __name__ == "__main__":
    text = build()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")
