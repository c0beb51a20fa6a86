"""The CLI against a real ingested SQLite database, through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import CORPUS, SEED

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    return result


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    cmd = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    assert (cmd.callback.__doc__ or "").strip(), f"{command} has no help text"


def test_ingest_then_query_as_json(tmp_path):
    db = tmp_path / "cli.db"
    result = run("ingest", SEED, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["articles_new"] == 2 and summary["articles_failed"] == 0
    facts = json.loads(run("facts", "--db", db, "--format", "json").output)
    summaries = [f["summary"] for f in facts]
    assert "11 of 14 llama paper researchers left Meta" in summaries
    funding = json.loads(run("facts", "--db", db, "--kind", "funding", "-f", "json").output)
    assert [f["topic"] for f in funding] == ["Mistral AI"]
    sources = json.loads(run("sources", funding[0]["id"], "--db", db, "-f", "json").output)
    assert all("$2 billion" in s["sentence"] for s in sources)
    assert json.loads(run("contradictions", "--db", db, "-f", "json").output) == []


def test_csv_output_has_header_and_rows(seed_db):
    out = run("entities", "--db", seed_db, "--type", "person", "-f", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"Guillaume Lample", "Timothée Lacroix"} <= {r["name"] for r in rows}
    assert all(r["type"] == "person" for r in rows)


def test_entity_detail_and_alias_lookup(seed_db):
    detail = json.loads(run("entity", "Mistral", "--db", seed_db, "-f", "json").output)[0]
    assert detail["name"] == "Mistral AI"
    assert "Mistral" in detail["aliases"]
    assert any(f["kind"] == "funding" for f in detail["facts"])


def test_contradictions_and_resolve(tmp_path):
    db = tmp_path / "p.db"
    assert run("ingest", CORPUS / "perturbed", "--db", db, "-q").exit_code == 0
    rows = json.loads(run("contradictions", "--db", db, "--open", "-f", "json").output)
    assert len(rows) == 3
    assert any("4 remain + 11 left != 14" in r["reason"] for r in rows)
    assert run("contradictions", "--db", db).exit_code == 0  # the table renders
    result = run("resolve", rows[0]["id"], "--note", "checked: the June article is wrong", "--db", db)
    assert result.exit_code == 0
    still_open = json.loads(run("contradictions", "--db", db, "--open", "-f", "json").output)
    assert [r["id"] for r in still_open] == [r["id"] for r in rows[1:]]
    everything = json.loads(run("contradictions", "--db", db, "-f", "json").output)
    assert {r["status"] for r in everything} == {"open", "resolved"}
    # re-ingesting keeps the review and adds no duplicate
    assert run("ingest", CORPUS / "perturbed", "--db", db, "-q").exit_code == 0
    again = json.loads(run("contradictions", "--db", db, "-f", "json").output)
    assert [(r["id"], r["status"]) for r in again] == [(r["id"], r["status"]) for r in everything]


@pytest.mark.parametrize("args", [
    ("facts", "--db", "/nonexistent/dir/x.db"),
    ("entity", "Nobody At All", "--db", "{db}"),
    ("sources", "99999", "--db", "{db}"),
    ("facts", "--since", "yesterday", "--db", "{db}"),
    ("ingest", "/nonexistent/folder", "--db", "{db}"),
])
def test_foreseeable_errors_are_one_red_line(seed_db, args):
    result = run(*(a.format(db=seed_db) for a in args))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "error:" in result.output


@pytest.mark.parametrize(("needle", "name"), [("mistral", "Mistral AI"), ("MISTRAL A", "Mistral AI")])
def test_entity_search_is_a_case_insensitive_substring(seed_db, needle, name):
    names = [e["name"] for e in json.loads(run("entities", "--db", seed_db, "--search", needle, "-f", "json").output)]
    assert name in names


@pytest.mark.parametrize("needle", ["'; DROP TABLE facts; --", "%' OR '1'='1", "\" OR 1=1 --", "%", "_",
                                    "Mistral%' --", "x' UNION SELECT name, sql, 1, 1, 1 FROM sqlite_master --"])
def test_query_input_is_bound_not_spliced(seed_db, needle):
    assert json.loads(run("entities", "--db", seed_db, "--search", needle, "-f", "json").output) == []
    result = run("facts", "--db", seed_db, "--entity", needle)
    assert result.exit_code == 1
    assert json.loads(run("facts", "--db", seed_db, "-f", "json").output), "facts table intact"


# The keys the README's "JSON output" section promises for each command.
JSON_KEYS = {
    ("facts",): {"id", "kind", "topic", "measure", "summary", "value", "low", "high", "unit", "sources",
                 "first_seen", "last_seen", "details"},
    ("entities",): {"id", "name", "type", "mentions", "articles"},
    ("entity", "Mistral AI"): {"id", "name", "type", "aliases", "roles", "facts", "sources"},
    ("sources", "1"): {"claim_id", "text", "sentence", "start", "end", "article_id", "title", "url", "source",
                       "date"},
    ("contradictions",): {"id", "kind", "topic", "severity", "confidence", "status", "reason", "note", "a", "b"},
    ("stats",): {"articles", "not_english", "entities", "claims", "facts", "contradictions", "failures"},
}


@pytest.mark.parametrize("command", list(JSON_KEYS), ids=lambda c: c[0])
def test_json_keys_are_the_documented_ones(perturbed_db, command):
    rows = json.loads(run(*command, "--db", perturbed_db, "-f", "json").output)
    assert rows
    assert all(set(r) == JSON_KEYS[command] for r in rows)
    if command == ("contradictions",):
        assert all(set(r["a"]) == set(r["b"]) == JSON_KEYS[("sources", "1")] for r in rows)
