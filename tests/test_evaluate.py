"""`newsfacts eval`: scoring against hand-written gold, and the pinned floor that gates it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ConfigError
from pipeline.evaluate import GoldArticle, claim_matches, load_gold, score_article
from pipeline.types import (
    ClaimKind,
    CountClaim,
    EntityType,
    Evidence,
    Extraction,
    Interval,
    Mention,
    MoneyClaim,
    PercentageClaim,
    Quantity,
    RoleClaim,
)

CORPUS = Path(__file__).parent.parent / "corpus"
runner = CliRunner()


def usd(value: float, low: float | None = None, high: float | None = None, qualifier=None) -> Quantity:
    return Quantity(value, Interval(value if low is None else low, value if high is None else high),
                    qualifier=qualifier, unit="USD")


def count(value: int) -> Quantity:
    return Quantity(value, Interval.exact(value))


@pytest.mark.parametrize(("claim", "gold", "expected"), [
    (MoneyClaim("Mistral AI", usd(2e9, 1.9e9, 2.1e9)),
     {"type": "funding", "company": "Mistral AI", "currency": "USD", "value": 2e9}, True),
    (MoneyClaim("Mistral AI", usd(2e9, 2e9, None, "more than")),
     {"type": "funding", "company": "mistral ai", "value": 2e9, "qualifier": "more than"}, True),
    (MoneyClaim("Mistral AI", usd(2e9)), {"type": "funding", "company": "Mistral AI", "value": 1.5e9}, False),
    (MoneyClaim("Mistral AI", usd(2e9)), {"type": "funding", "company": "Meta", "value": 2e9}, False),
    # one company under two legal forms; a legal form alone names nobody
    (MoneyClaim("News Corp", usd(2e9)), {"type": "funding", "company": "News Corporation", "value": 2e9}, True),
    (MoneyClaim("News Corp", usd(2e9)), {"type": "funding", "company": "News International", "value": 2e9}, False),
    (MoneyClaim("Mistral AI", usd(2e9), round="series b"),
     {"type": "funding", "company": "Mistral AI", "value": 2e9, "round": None}, False),
    (MoneyClaim("Mistral AI", usd(6e9), kind=ClaimKind.VALUATION),
     {"type": "funding", "company": "Mistral AI", "value": 6e9}, False),
    (CountClaim("llama paper researchers", "leave", count(11), total=14, org="Meta"),
     {"type": "count", "state": "leave", "value": 11, "total": 14, "org": "Meta"}, True),
    (CountClaim("llama paper researchers", "remain", count(4), total=14, org="Meta"),
     {"type": "count", "state": "remain", "value": 3, "total": 14}, False),
    (PercentageClaim("Meta", "stock price", "down", Quantity(18, Interval.exact(18), unit="%")),
     {"type": "percentage", "subject": "Meta", "direction": "down", "value": 18}, True),
    (PercentageClaim("Meta", "stock price", "up", Quantity(18, Interval.exact(18), unit="%")),
     {"type": "percentage", "direction": "down", "value": 18}, False),
    (RoleClaim("Marjorie Janiewicz", "chief revenue officer", "Foursquare", former=True),
     {"type": "role", "person": "Marjorie Janiewicz", "role": "chief revenue officer", "former": True}, True),
    (RoleClaim("Marjorie Janiewicz", "chief revenue officer", "Foursquare", former=False),
     {"type": "role", "person": "Marjorie Janiewicz", "role": "chief revenue officer", "former": True}, False),
])
def test_claim_matches(claim, gold, expected):
    assert claim_matches(claim, gold) is expected


def _mention(name: str, type_: EntityType) -> Mention:
    return Mention(name=name, type=type_, text=name, evidence=Evidence(name, 0, 0, len(name)))


def test_score_article_counts_repeats_once_and_spurious_claims_as_false_positives():
    gold = GoldArticle(path=Path("a.txt"), entities={"person": frozenset({"Ada Lovelace"}),
                                                     "company": frozenset({"Acme"}), "org": frozenset()},
                       claims=({"type": "funding", "company": "Acme", "value": 5e6},
                               {"type": "count", "state": "leave", "value": 3}))
    extraction = Extraction(
        mentions=(_mention("Ada Lovelace", EntityType.PERSON), _mention("Acme", EntityType.COMPANY),
                  _mention("Bogus Corp", EntityType.COMPANY)),
        claims=(MoneyClaim("Acme", usd(5e6)), MoneyClaim("Acme", usd(5e6)),  # said twice: one fact
                MoneyClaim("Acme", usd(7e6))))
    scores = score_article(gold, extraction)
    assert (scores["claim:funding"].tp, scores["claim:funding"].fp, scores["claim:funding"].fn) == (1, 1, 0)
    assert (scores["claim:count"].tp, scores["claim:count"].fn) == (0, 1)
    assert scores["claim:count"].recall == 0.0
    assert (scores["entity:company"].tp, scores["entity:company"].fp) == (1, 1)
    assert scores["entity:company"].precision == 0.5
    assert scores["entity:person"].f1 == 1.0
    assert scores["claim:role"].f1 is None  # nothing expected, nothing found: not scored


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "line 1"),
    ('{"article": "a.txt", "claims": [{"type": "rumour"}]}', "unknown claim type"),
    ('{"claims": []}', "line 1"),
])
def test_bad_gold_file_is_a_clear_error(tmp_path, line, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_gold(gold)


def test_corpus_gold_meets_the_pinned_floor():
    result = runner.invoke(app, ["eval", str(CORPUS / "gold.jsonl"), "--floor", str(CORPUS / "eval-floor.json"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["type"]: r for r in json.loads(result.stdout)}
    assert rows["claim:count"]["tp"] >= 5
    assert rows["entity:person"]["recall"] >= 0.9


def test_floor_fails_when_gold_disagrees(tmp_path):
    """The gate can fail: the same articles with one number changed in the gold fall below the floor."""
    lines = (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    changed = []
    for line in lines:
        if line.startswith("{"):
            obj = json.loads(line)
            obj["article"] = str((CORPUS / obj["article"]).resolve())
            for claim in obj["claims"]:
                if claim["type"] == "count":
                    claim["value"] += 1
            line = json.dumps(obj)
        changed.append(line)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(changed), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--floor", str(CORPUS / "eval-floor.json")])
    assert result.exit_code == 1
    assert "below floor: claim:count" in result.stderr


def test_business_gold_meets_its_pinned_floor():
    """45 business and economy articles written down by hand: subject, measure, period and status must match."""
    result = runner.invoke(app, ["eval", str(CORPUS / "gold-business.jsonl"), "--floor",
                                 str(CORPUS / "eval-floor-business.json"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["type"]: r for r in json.loads(result.stdout)}
    assert rows["measure:amount:share price"]["tp"] >= 10


def test_news_count_gold_meets_its_pinned_floor():
    """35 general-news articles written down by hand (tolls, arrests, crowds, cases, votes, seats): measure and
    figure must match, and the counts found carry the event and claimant the gold gives."""
    result = runner.invoke(app, ["eval", str(CORPUS / "gold-news-counts.jsonl"), "--floor",
                                 str(CORPUS / "eval-floor-news-counts.json"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["type"]: r for r in json.loads(result.stdout)}
    assert rows["claim:count"]["precision"] >= 0.9
    assert rows["measure:count:killed"]["tp"] >= 25
    # only the measures the gold writes down are scored: staff laid off are no false tolls
    assert "measure:count:lay off" not in rows
