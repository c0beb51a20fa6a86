"""The Datasette site of `newsfacts serve`, in process: metadata, views, canned queries, SQL off, the checks at start."""

from __future__ import annotations

import re
import socket
import sqlite3
from contextlib import closing

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.serve.site import LOOPBACK_NAMES, allowed_hosts, listen, sqlite_file
from pipeline.store import queries
from pipeline.store.db import open_session
from tests.serve.conftest import client

runner = CliRunner()


def test_the_database_page_leads_to_the_review_page_the_views_and_the_queries(news_db):
    page = client(news_db).get("/news").text
    assert "newsfacts: news" in page
    start = page[page.index('id="start-here"'):page.index('id="queries"')]
    assert 'href="/-/review"' in start
    for view, title in [("v_contradictions", "Contradictions, with both sentences"), ("v_facts", "Facts"),
                        ("v_entity_facts", "Entities and their facts")]:
        assert f'<a href="/news/{view}">{title}</a>' in start
    for query in ("open_contradictions", "entity_facts", "fact_sources"):
        assert f'href="/news/{query}"' in page
    assert "Custom SQL query" not in page


@pytest.mark.parametrize(("table", "facets"), [
    ("v_contradictions", {"status", "kind", "confidence", "topic"}),
    ("contradictions", {"status", "kind", "confidence", "topic"}),
    ("v_facts", {"kind", "topic", "unit"}),
    ("v_entity_facts", {"entity_type", "kind", "role"}),
])
def test_tables_and_views_open_with_their_facets(news_db, table, facets):
    response = client(news_db).get(f"/news/{table}.json")
    assert response.status == 200
    assert set(response.json["facet_results"]) == facets


def test_a_view_page_has_its_title_description_and_column_notes(news_db):
    page = client(news_db).get("/news/v_facts").text
    assert "<h1>Facts (view)</h1>" in page.replace("\n", "")
    assert "One row per fact: agreeing claims merged" in page
    assert "Number of claims (sentences) that support the fact" in page


def test_plumbing_tables_are_hidden_from_the_listing(news_db):
    page = client(news_db).get("/news").text
    assert 'href="/news/url_states"' not in page and "3 hidden tables" in page


def test_open_contradictions_are_those_the_cli_lists_as_open(news_db):
    with closing(sqlite3.connect(news_db)) as conn:  # a low-confidence one is left out by both
        conn.execute("UPDATE contradictions SET confidence = 'low' WHERE id = 2")
        conn.commit()
    site = client(news_db)
    rows = site.get("/news/open_contradictions.json?_shape=array").json
    with open_session(news_db) as s:
        expected = queries.contradictions(s, open_only=True)
    assert [r["contradiction_id"] for r in rows] == [c["id"] for c in expected] == [1, 3]
    assert [r["sentence_a"] for r in rows] == [c["a"]["sentence"] for c in expected]


@pytest.mark.parametrize("name", ["Mistral AI", "mistral ai", "Mistral"])  # name, any case, alias
def test_an_entitys_facts_by_name_or_alias(news_db, name):
    rows = client(news_db).get(f"/news/entity_facts.json?_shape=array&entity={name.replace(' ', '+')}").json
    with open_session(news_db) as s:
        detail = queries.entity_detail(s, "Mistral AI")
    expected = {(f["id"], f["role"]) for f in detail["facts"]} | {(f["id"], "org") for f in detail["roles"]}
    assert {(r["fact_id"], r["role"]) for r in rows} == expected
    assert {r["entity"] for r in rows} == {"Mistral AI"}


def test_a_facts_sources_are_those_of_newsfacts_sources(news_db):
    site = client(news_db)
    with open_session(news_db) as s:
        fact = max(queries.facts(s), key=lambda f: f["sources"])
        expected = queries.sources(s, fact["id"])
    rows = site.get(f"/news/fact_sources.json?_shape=array&fact_id={fact['id']}").json
    assert len(rows) == fact["sources"] > 1
    assert [(r["claim_id"], r["sentence"], r["start"], r["end"], r["title"]) for r in rows] == \
        [(c["claim_id"], c["sentence"], c["start"], c["end"], c["title"]) for c in expected]


def test_ids_lead_to_the_review_page_sources_and_facts_and_values_carry_their_unit(news_db):
    site = client(news_db)
    contradictions = site.get("/news/v_contradictions").text
    assert '<a href="/-/review/1">1</a>' in contradictions
    facts = site.get("/news/v_facts?kind=funding").text
    assert "2,000,000,000 USD" in facts
    assert '<a href="/news/fact_sources?fact_id=' in facts
    entity_facts = site.get("/news/v_entity_facts?entity=Mistral+AI").text
    assert '<a href="/news/entity_facts?entity=Mistral+AI">Mistral AI</a>' in entity_facts
    assert '<a href="/-/review/1">1</a>' in site.get("/news/open_contradictions").text


@pytest.mark.parametrize("path", ["/news?sql=select+1", "/news.json?sql=select+1", "/news/articles?_where=1%3D1"])
def test_arbitrary_sql_is_refused_unless_allowed(news_db, path):
    assert client(news_db).get(path).status == 403
    assert client(news_db, allow_sql=True).get(path).status == 200


def test_the_sql_form_shows_only_with_allow_sql(news_db):
    assert "Custom SQL query" in client(news_db, allow_sql=True).get("/news").text


def test_the_database_file_is_not_offered_for_download(news_db):
    assert client(news_db).get("/news.db").status in (403, 404)


@pytest.mark.parametrize(("host", "hosts"), [
    ("127.0.0.1", LOOPBACK_NAMES),
    ("localhost", LOOPBACK_NAMES),
    ("::1", LOOPBACK_NAMES),
    ("[::1]", LOOPBACK_NAMES),
    ("192.0.2.7", LOOPBACK_NAMES | {"192.0.2.7"}),
    ("0.0.0.0", None),
    ("::", None),
])
def test_the_host_names_the_site_answers_to(host, hosts):
    assert allowed_hosts(host) == hosts


def test_the_socket_listens_on_loopback_by_default():
    with closing(listen("127.0.0.1", 0)) as sock:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0


# --- `newsfacts serve` refusing to start: one line, nothing served ----------------------------------------------

def one_error_line(result) -> str:
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def foreign(db):
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()


def old_newsfacts(db):
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("DROP TABLE verdicts")
        conn.commit()


@pytest.mark.parametrize(("make", "code", "message"), [
    (None, 1, "no such database (run 'newsfacts ingest' first)"),
    (foreign, 65, "not a newsfacts database"),
    (lambda db: db.write_text("not a database\n" * 300), 65, "not a newsfacts database"),
    (old_newsfacts, 1, "the database predates verdicts: run 'newsfacts ingest' on"),
], ids=["missing", "foreign", "text", "old"])
def test_serve_refuses_what_it_cannot_serve_in_one_line(news_db, tmp_path, make, code, message):
    db = news_db if make is old_newsfacts else tmp_path / "other.db"
    if make is not None:
        make(db)
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "0"])
    line = one_error_line(result)
    assert result.exit_code == code and message in line and str(db) in line, line


def test_serve_is_for_sqlite_only(tmp_path):
    result = runner.invoke(app, ["serve", "--db", "postgresql+psycopg://user:secret@localhost/news"])
    line = one_error_line(result)
    assert result.exit_code == 1 and "SQLite file only" in line and "secret" not in line


def test_a_port_in_use_is_one_line(news_db):
    with closing(socket.socket()) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(news_db), "--port", str(port)])
    line = one_error_line(result)
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1 port {port}" in line, line


def test_sqlite_file_accepts_a_sqlite_url(news_db):
    assert sqlite_file(f"sqlite:///{news_db}") == news_db


def test_another_address_is_warned_about_before_anything_listens(news_db):
    # 192.0.2.1 is a documentation address (RFC 5737) no machine here has: binding fails, nothing is sent
    result = runner.invoke(app, ["serve", "--db", str(news_db), "--host", "192.0.2.1", "--port", "0"])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 2, result.output
    assert lines[0].startswith("warning: listening on 192.0.2.1: anyone who reaches it can read the database")
    assert lines[1].startswith("error: cannot listen on 192.0.2.1 port 0")


def test_a_file_named_like_datasettes_own_database_is_refused(news_db, tmp_path):
    db = tmp_path / "_internal.db"
    news_db.rename(db)
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "0"])
    line = one_error_line(result)
    assert result.exit_code == 1 and "Datasette cannot serve a file with this name: rename it" in line, line


def test_a_file_name_with_spaces_is_served_under_its_name(news_db, tmp_path):
    db = tmp_path / "news & views.db"
    news_db.rename(db)
    site = client(db)
    facts = site.get("/news~20~26~20views/v_facts")
    assert facts.status == 200
    link = re.search(r'href="(/[^"]+/fact_sources\?fact_id=\d+)"', facts.text).group(1)
    assert site.get(link.replace("&amp;", "&")).status == 200
    review = site.get("/-/review").text
    assert re.search(r'href="/[^"]+/articles/3"', review)
    assert site.get(re.search(r'href="(/[^"]+/articles/3)"', review).group(1)).status == 200
