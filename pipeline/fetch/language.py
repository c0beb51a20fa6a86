"""The language an article is written in, from its text (py3langid: offline, deterministic)."""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Characters of text the detector reads: the first 5,000 chars of a page settle its language (on the
# 923 pages of trafilatura's evaluation set, reading more changed no decision) at ~1 ms per article.
SAMPLE_CHARS = 5_000
# A text is read as another language than English only when the detector is at least this sure of it
# (normalized probability). Its confidence falls with length: one English sentence of news scores 0.3 to
# 0.98 for English with every other language far behind, so English stays the reading of a short text
# whose best guess it is; a non-English best guess below this (a few words, names, numbers) is "und"
# (undetermined, ISO 639-2) and is not extracted.
MIN_CONFIDENCE = 0.5
# Capitalised words (names of people, firms and places) carry the language of their owners, not of the
# text: "Société Générale ... Chloé Dupont" made an English sentence French. Detection reads the other
# words; on corpus/open this left every English article English and every other page its language.
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’.-]*")
# Below this many letters left once names are out (a list of names, a text in capitals), the whole text is read.
MIN_LETTERS = 40
ENGLISH = "en"
UNDETERMINED = "und"


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en", "de", ...), or "und" when the text does not say."""
    sample = text[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return UNDETERMINED
    words = _NAME.sub(" ", sample)
    if sum(c.isalpha() for c in words) >= MIN_LETTERS:
        sample = words
    language, confidence = _identifier().classify(sample)
    return language if language == ENGLISH or confidence >= MIN_CONFIDENCE else UNDETERMINED
