"""The store on SQLite and on PostgreSQL: same facts, same queries, same CLI through --db URL."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.run import ingest_paths
from pipeline.store import queries
from pipeline.store.db import open_engine
from pipeline.store.models import FactRow
from pipeline.store.views import VIEWS
from tests.conftest import CORPUS, SEED


def content(engine) -> dict:
    """Everything the query layer shows, without the ids a backend hands out."""
    with Session(engine) as s:
        facts = sorted((f["kind"], f["topic"], f["measure"], f["summary"], f["sources"], f["low"], f["high"],
                        f["first_seen"], f["last_seen"], json.dumps(f["details"], sort_keys=True))
                       for f in queries.facts(s))
        fact_sources = sorted(
            (f.key, tuple(sorted(x["sentence"] for x in queries.sources(s, f.id))))
            for f in s.scalars(select(FactRow)))
        contradictions = sorted((c["kind"], c["topic"], c["reason"], c["severity"], c["status"],
                                 c["a"]["sentence"], c["b"]["sentence"]) for c in queries.contradictions(s))
        entities = sorted((e["name"], e["type"], e["mentions"], e["articles"]) for e in queries.entities(s))
        detail = queries.entity_detail(s, "Mistral")
        detail = (detail["name"], detail["aliases"], sorted(f["summary"] for f in detail["facts"]),
                  sorted(r["summary"] for r in detail["roles"]), sorted(x["title"] for x in detail["sources"]))
        report = queries.report_data(s)
        return {
            "stats": queries.stats(s), "facts": facts, "sources": fact_sources,
            "contradictions": contradictions, "entities": entities, "detail": detail,
            "timeline": [f["summary"] for f in queries.timeline(s, "llama paper researchers")],
            "report": (len(report.articles), sorted(f.summary for f in report.new_facts),
                       sorted(c.reason for c in report.contradictions), sorted(e.name for e in report.entities)),
            "search": sorted(e["name"] for e in queries.entities(s, search="mistral")),
        }


@pytest.fixture(scope="module")
def sqlite_reference(tmp_path_factory, extractor) -> dict:
    engine = open_engine(tmp_path_factory.mktemp("ref") / "ref.db")
    ingest_paths(engine, [SEED, CORPUS / "perturbed"], extractor=extractor)
    try:
        return content(engine)
    finally:
        engine.dispose()


def test_ingest_and_every_query_match_sqlite(backend_engine, extractor, sqlite_reference):
    summary = ingest_paths(backend_engine, [SEED, CORPUS / "perturbed"], extractor=extractor)
    assert summary.failed == 0 and summary.new == 3
    got = content(backend_engine)
    assert got["contradictions"], "the perturbed corpus has contradictions to compare"
    assert got == sqlite_reference


def test_reingest_changes_nothing(backend_engine, extractor):
    ingest_paths(backend_engine, [SEED], extractor=extractor)
    before = content(backend_engine)
    assert before["facts"], "the seed corpus must produce facts"
    again = ingest_paths(backend_engine, [SEED], extractor=extractor)
    assert again.new == 0 and again.unchanged == 2
    assert content(backend_engine) == before


def test_changed_file_replaces_its_old_version(backend_engine, extractor, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEED, folder, ignore=shutil.ignore_patterns("*.json"))
    ingest_paths(backend_engine, [folder], extractor=extractor)
    path = sorted(folder.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nAn editor's note was added.", encoding="utf-8")
    summary = ingest_paths(backend_engine, [folder], extractor=extractor)
    assert summary.replaced == 1
    with Session(backend_engine) as s:
        assert queries.stats(s)["articles"] == 2


def test_a_resolved_contradiction_keeps_its_note(backend_engine, extractor):
    ingest_paths(backend_engine, [CORPUS / "perturbed"], extractor=extractor)
    with Session(backend_engine) as s, s.begin():
        first = queries.contradictions(s)[0]
        queries.resolve(s, first["id"], "checked with the company")
    ingest_paths(backend_engine, [SEED], extractor=extractor)
    with Session(backend_engine) as s:
        kept = {c["id"]: c for c in queries.contradictions(s)}
    assert kept[first["id"]]["status"] == "resolved"
    assert kept[first["id"]]["note"] == "checked with the company"


def test_views_answer_plain_sql(backend_engine, extractor):
    ingest_paths(backend_engine, [CORPUS / "perturbed"], extractor=extractor)
    with backend_engine.connect() as conn:
        facts = conn.execute(text("SELECT COUNT(*) FROM facts WHERE kind <> 'figure'")).scalar()
        for name in VIEWS:
            conn.execute(text(f"SELECT * FROM {name}")).all()  # noqa: S608 (names are ours)
        assert conn.execute(text("SELECT COUNT(*) FROM v_facts")).scalar() == facts
        assert conn.execute(text("SELECT COUNT(*) FROM v_contradictions")).scalar() >= 1


def test_cli_takes_the_url_as_db(db_url):
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(SEED), "--db", db_url, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["articles_new"] == 2
    for command in ("facts", "contradictions", "entities", "failures", "stats"):
        result = runner.invoke(app, [command, "--db", db_url, "-f", "json"])
        assert result.exit_code == 0, (command, result.output)
    facts = json.loads(runner.invoke(app, ["facts", "--db", db_url, "-f", "json"]).output)
    assert "11 of 14 llama paper researchers left Meta" in [f["summary"] for f in facts]


@pytest.mark.parametrize("nul_at", [10, 5000])
def test_nul_bytes_are_stripped_on_every_backend(backend_engine, extractor, tmp_path, nul_at):
    """PostgreSQL refuses NUL in text: a page with one, early or after the first 4 KB, is stored all the same."""
    folder = tmp_path / "nul"
    folder.mkdir()
    body = ("Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said. " * 60)
    text = "Acme raises $5m\n\n" + body
    (folder / "acme.txt").write_bytes((text[:nul_at] + "\x00" + text[nul_at:]).encode())
    summary = ingest_paths(backend_engine, [folder], extractor=extractor)
    assert (summary.new, summary.failed) == (1, 0), summary.failures
    with Session(backend_engine) as s:
        assert queries.stats(s)["articles"] == 1
        assert all("\x00" not in c["sentence"] for f in queries.facts(s) for c in queries.sources(s, f["id"]))


def test_a_file_name_that_is_not_utf8_is_stored_on_every_backend(backend_engine, extractor, tmp_path):
    """A Latin-1 name ('café.html' as bytes) is ingested under its escaped name, and the files after it too."""
    folder = tmp_path / "names"
    folder.mkdir()
    body = "Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said. " * 20
    latin1 = bytes(folder) + b"/caf\xe9.txt"
    with open(latin1, "wb") as f:
        f.write(("Acme raises $5m\n\n" + body).encode())
    (folder / "zeta.txt").write_text("Globex raises $9m\n\n" + body.replace("Acme", "Globex"), encoding="utf-8")
    summary = ingest_paths(backend_engine, [folder], extractor=extractor)
    assert (summary.new, summary.failed) == (2, 0), summary.failures
    with backend_engine.connect() as conn:
        sources = sorted(conn.execute(text("SELECT source FROM articles")).scalars())
    assert any(s.endswith("caf\\xe9.txt") for s in sources) and any(s.endswith("zeta.txt") for s in sources), sources
