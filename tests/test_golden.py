"""The seed corpus against the facts a person wrote down in corpus/*/expected.json."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from pipeline.run import ingest_paths
from pipeline.store import queries
from pipeline.store.db import open_engine
from tests.conftest import CORPUS, SEED

EXPECTED = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def session(seed_db):
    with Session(open_engine(seed_db, create=False)) as s:
        yield s


def _entities(session, type_):
    return {e["name"] for e in queries.entities(session, type_=type_)}


@pytest.mark.parametrize("name", EXPECTED["people"])
def test_person_found(session, name):
    assert name in _entities(session, "person")


@pytest.mark.parametrize("name", EXPECTED["companies"])
def test_company_found(session, name):
    assert name in _entities(session, "company")


@pytest.mark.parametrize("name", EXPECTED["not_entities"])
def test_noise_is_not_an_entity(session, name):
    all_names = {e["name"] for e in queries.entities(session)}
    assert name not in all_names


@pytest.mark.parametrize("want", EXPECTED["funding"], ids=lambda w: w["company"])
def test_funding(session, want):
    found = [f for f in queries.facts(session, kind="funding") if f["topic"] == want["company"]]
    assert len(found) == 1, found
    fact = found[0]
    assert fact["unit"] == want["currency"]
    assert fact["value"] == want["value"]
    assert fact["details"]["round"] == want["round"]
    assert set(want["investors_include"]) <= set(fact["details"]["investors"])
    assert fact["sources"] == want["sources"]


@pytest.mark.parametrize("want", EXPECTED["counts"], ids=lambda w: f"{w['state']}-{w['value']}")
def test_count(session, want):
    found = [f for f in queries.facts(session, kind="count")
             if f["topic"] == want["group"] and f["details"]["state"] == want["state"]]
    assert len(found) == 1, found
    fact = found[0]
    assert fact["value"] == want["value"]
    assert fact["details"]["org"] == want["org"]
    assert fact["details"].get("total") == want.get("total")
    assert fact["sources"] == want["sources"]


@pytest.mark.parametrize("want", EXPECTED["percentages"], ids=lambda w: w["subject"])
def test_percentage(session, want):
    found = [f for f in queries.facts(session, kind="percentage") if f["topic"] == want["subject"]]
    assert [(f["details"]["measure"], f["details"]["direction"], f["value"]) for f in found] == [
        (want["measure"], want["direction"], want["value"])]


@pytest.mark.parametrize("want", EXPECTED["roles"], ids=lambda w: w["person"])
def test_role(session, want):
    found = [f for f in queries.facts(session, kind="role") if f["topic"] == want["person"]]
    assert any(f["details"]["role"] == want["role"] and f["details"]["org"] == want["org"]
               and f["details"].get("former", False) == want.get("former", False) for f in found), found


def test_seed_has_no_contradictions(session):
    assert len(queries.contradictions(session)) == EXPECTED["contradictions"]


def test_every_claim_points_at_its_sentence(session):
    for fact in queries.facts(session):
        for src in queries.sources(session, fact["id"]):
            text = (SEED / src["source"].rsplit("/", 1)[-1]).read_text(encoding="utf-8")
            assert text[src["start"]:src["end"]].startswith(src["text"].split()[0][:1]) or \
                src["text"] in text[src["start"]:src["end"]]
            assert src["sentence"] in text


def test_perturbed_corpus_yields_exactly_the_expected_contradictions(tmp_path, extractor):
    expected = json.loads((CORPUS / "perturbed" / "expected.json").read_text(encoding="utf-8"))
    engine = open_engine(tmp_path / "perturbed.db")
    ingest_paths(engine, [CORPUS / "perturbed"], extractor=extractor)
    with Session(engine) as s:
        got = queries.contradictions(s)
    assert len(got) == len(expected["contradictions"])
    for want in expected["contradictions"]:
        match = [c for c in got if c["kind"] == want["kind"] and want["reason_contains"] in c["reason"]]
        assert len(match) == 1, got
        assert {match[0]["a"]["text"], match[0]["b"]["text"]} == set(want["texts"])
