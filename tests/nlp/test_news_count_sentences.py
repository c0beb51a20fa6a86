"""General-news count sentences (corpus/sentences-news-counts.jsonl), copied word for word from BBC News and
web news pages: each must yield the counts a reader wrote down for it (measure and figure: killed, injured,
missing, arrested, votes, seats, crowds, cases ...), and the sentences with none (ages, scores, phone numbers,
percentages, "one of the", model numbers) must yield no count of these measures.

Entries marked known_miss are strict xfails: what the extractor does not read yet; a fix turns them into
failures that ask for the mark to be removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import claim_matches, describe
from pipeline.types import Article, CountClaim

TABLE = Path(__file__).resolve().parents[2] / "corpus" / "sentences-news-counts.jsonl"
GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold-news-counts.jsonl"


def _entries() -> list[dict]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and '"sentence"' in line]


ENTRIES = _entries()
MEASURES = frozenset(json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])["measures"])


def _params(entries):
    for entry in entries:
        marks = [pytest.mark.xfail(strict=True, reason="known miss, see corpus/sentences-news-counts.jsonl")] \
            if entry.get("known_miss") else []
        yield pytest.param(entry, id=entry["sentence"][:50], marks=marks)


def _counts(extractor, sentence: str) -> list[CountClaim]:
    claims = extractor.extract(Article(source="table", text=sentence)).claims
    return [c for c in claims if isinstance(c, CountClaim) and c.state in MEASURES]


def test_the_table_is_large_and_has_negatives():
    passing = [e for e in ENTRIES if not e.get("known_miss")]
    assert len(ENTRIES) >= 60
    assert len([e for e in passing if not e["expect"]]) >= 15
    measures = {c["measure"] for e in passing for c in e["expect"]}
    assert measures >= {"killed", "injured", "missing", "arrested", "charged", "votes for", "votes against", "crowd"}


@pytest.mark.parametrize("entry", [e for e in _params(ENTRIES) if e.values[0]["expect"]])
def test_sentence_yields_the_expected_counts(extractor, entry):
    counts = _counts(extractor, entry["sentence"])
    missing = [g for g in entry["expect"] if not any(claim_matches(c, g) for c in counts)]
    assert not missing, f"missing {missing}; extracted {[describe(c) for c in counts]}"
    wrong = [describe(c) for c in counts if not any(claim_matches(c, g) for g in entry["expect"])]
    assert not wrong, f"counts the reader did not write down: {wrong}"


@pytest.mark.parametrize("entry", [e for e in _params(ENTRIES) if not e.values[0]["expect"]])
def test_sentence_without_counts_yields_none(extractor, entry):
    assert [describe(c) for c in _counts(extractor, entry["sentence"])] == []
