"""Sentence table from real news (corpus/sentences.jsonl): each sentence, copied word for word from a published
article, must yield the claims a reader wrote down for it; sentences with no claim must yield none.

Entries marked known_miss are strict xfails: they document what the extractor does not get right yet, and a fix
turns them into failures that ask for the mark to be removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import claim_matches, describe
from pipeline.types import Article, FigureClaim, RoleClaim

TABLE = Path(__file__).resolve().parents[2] / "corpus" / "sentences.jsonl"


def _entries() -> list[dict]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


ENTRIES = _entries()


def _params(entries):
    for entry in entries:
        marks = [pytest.mark.xfail(strict=True, reason="known miss, see corpus/sentences.jsonl")] \
            if entry.get("known_miss") else []
        yield pytest.param(entry, id=entry["sentence"][:50], marks=marks)


def test_the_table_is_large_and_sourced():
    passing = [e for e in ENTRIES if not e.get("known_miss")]
    assert len(passing) >= 60
    assert len([e for e in passing if not e["expect"]]) >= 5  # negatives
    assert all(e["url"].startswith("http") for e in ENTRIES)
    kinds = {c["type"] for e in passing for c in e["expect"]}
    assert kinds >= {"funding", "valuation", "revenue", "money", "count", "percentage", "role"}


@pytest.mark.parametrize("entry", [e for e in _params(ENTRIES) if e.values[0]["expect"]])
def test_sentence_yields_the_expected_claims(extractor, entry):
    claims = extractor.extract(Article(source="table", text=entry["sentence"])).claims
    missing = [g for g in entry["expect"] if not any(claim_matches(c, g) for c in claims)]
    assert not missing, f"missing {missing}; extracted {[describe(c) for c in claims]}"


@pytest.mark.parametrize("entry", [e for e in _params(ENTRIES) if not e.values[0]["expect"]])
def test_sentence_without_claims_yields_none(extractor, entry):
    claims = extractor.extract(Article(source="table", text=entry["sentence"])).claims
    assert [describe(c) for c in claims if not isinstance(c, RoleClaim | FigureClaim)] == []
