"""Business sentence table (corpus/sentences-business.jsonl): sentences copied word for word from BBC business
news, each with the figures a reader writes down for it in the business gold's terms (measure, subject,
period, status). Entries marked known_miss are strict xfails: what is not read right yet; a fix turns them
into failures that ask for the mark to be removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import claim_matches, describe
from pipeline.types import Article, FigureClaim, RoleClaim

TABLE = Path(__file__).resolve().parents[2] / "corpus" / "sentences-business.jsonl"
ENTRIES = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if '"sentence"' in line]


def _params(entries):
    for entry in entries:
        marks = [pytest.mark.xfail(strict=True, reason=entry["known_miss"])] if entry.get("known_miss") else []
        yield pytest.param(entry, id=entry["sentence"][:50], marks=marks)


def test_the_table_is_sourced():
    assert len(ENTRIES) >= 40 and all(e["url"] and e["outlet"] for e in ENTRIES)
    assert len([e for e in ENTRIES if not e["expect"]]) >= 5  # negatives


@pytest.mark.parametrize("entry", list(_params([e for e in ENTRIES if e["expect"]])))
def test_sentence_yields_the_expected_figures(extractor, entry):
    claims = extractor.extract(Article(source="table", text=entry["sentence"])).claims
    missing = [g for g in entry["expect"] if not any(claim_matches(c, g) for c in claims)]
    assert not missing, f"missing {missing}; extracted {[describe(c) for c in claims]}"


@pytest.mark.parametrize("entry", list(_params([e for e in ENTRIES if not e["expect"]])))
def test_sentence_without_figures_yields_none(extractor, entry):
    claims = extractor.extract(Article(source="table", text=entry["sentence"])).claims
    assert [describe(c) for c in claims if not isinstance(c, RoleClaim | FigureClaim)] == []
