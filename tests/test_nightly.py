"""The nightly run against a real local news site: two runs, a lock, a log file, exit codes."""

from __future__ import annotations

import dataclasses
import json
import subprocess

import pytest
from filelock import FileLock
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.nightly import nightly_run
from pipeline.settings import FetchSettings, load_settings
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, FailureRow, UrlStateRow
from tests.conftest import newsfacts_cmd
from tests.newssite import refused_origin

runner = CliRunner()

FOLDER_ARTICLE = ("Cohere raises $500 million\n\nCohere raised $500 million in a Series D round led by "
                  "PSP Investments, the Toronto-based company said on Thursday.\n")


def write_config(tmp_path, site, fetch_settings) -> str:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "cohere-2025-06-05.txt").write_text(FOLDER_ARTICLE, encoding="utf-8")
    (tmp_path / "urls.txt").write_text(f"# pages to watch\n{site.url('/news/acme-seed.html')}\n", encoding="utf-8")
    fetch = "\n".join(f"{f.name} = {json.dumps(getattr(fetch_settings, f.name))}"
                      for f in dataclasses.fields(fetch_settings))
    config = tmp_path / "newsfacts.toml"
    config.write_text(f"""db = "facts.db"
[sources]
folders = ["saved"]
urls = {json.dumps([site.url(p) for p in ("/r/ftp", "/r/loop-a", "/news/mistral-funding.html")])}
url_lists = ["urls.txt"]
feeds = {json.dumps([site.url("/feed.rss"), site.url("/feed.atom")])}
sitemaps = {json.dumps([site.url("/sitemap.xml")])}
[fetch]
{fetch}
""", encoding="utf-8")
    return str(config)


SITEMAP_FAILURES = {"/missing.html": "HTTP 404", "/busy.html": "HTTP 503", "/huge.html": "too large",
                    "/report.pdf": "application/pdf", "/slow.html": "timed out"}


def test_two_runs_second_fetches_nothing_new(tmp_path, news_site, fetch_settings, extractor):
    settings = load_settings(write_config(tmp_path, news_site, fetch_settings), env={})
    first = nightly_run(settings, extractor=extractor)
    s = first.summary
    # folder article, acme (URL list), mistral (URL and RSS), helsing (500 then 200), meta (sitemap, redirect)
    assert (s.new, s.replaced) == (5, 0)
    assert s.unchanged == 2  # the AMP copy (same canonical URL) and the mirror (same text)
    assert [x.source.rsplit("/", 1)[-1] for x in s.skipped] == ["secret.html"]  # /private/secret.html: robots.txt disallows it, which is not a failure
    failed = {f.source.removeprefix(news_site.base): f.reason for f in s.failures}
    assert set(failed) == set(SITEMAP_FAILURES) | {"/r/ftp", "/r/loop-a"}
    for path, reason in SITEMAP_FAILURES.items():
        assert reason in failed[path]
    assert s.facts_new > 0
    assert news_site.hits("/private/secret.html") == []
    assert [r.status for r in news_site.hits("/flaky/helsing-round.html")] == [500, 200]

    engine = open_engine(settings.db)
    with Session(engine) as session:
        articles = session.scalars(select(ArticleRow.source)).all()
        states = set(session.scalars(select(UrlStateRow.url)))
    assert sorted(a.removeprefix(news_site.base) for a in articles if a.startswith("http")) == [
        "/flaky/helsing-round.html", "/news/acme-seed.html", "/news/meta-exodus.html", "/news/mistral-funding.html"]
    assert {news_site.url(p) for p in ("/amp/mistral-funding.html", "/mirror/acme-seed.html", "/r/meta",
                                       "/feed.rss", "/sitemap-news.xml")} <= states

    # served whole and used (a 200 for the huge page or the PDF was refused by the client)
    succeeded = {r.path for r in news_site.requests if r.status == 200} - {"/robots.txt"} - set(failed)
    before = len(news_site.requests)
    second = nightly_run(settings, extractor=extractor)
    run2 = news_site.requests[before:]
    assert (second.summary.new, second.summary.replaced, second.summary.facts_new,
            second.summary.contradictions_new) == (0, 0, 0, 0)
    assert second.fetch.not_modified > 0
    for r in run2:
        if r.path in succeeded:
            assert r.conditional and r.status == 304, r
    # listings answered 304 list nothing, so their pages are not asked for at all
    assert {"/feed.rss", "/feed.atom", "/sitemap.xml"} <= {r.path for r in run2 if r.status == 304}
    assert not {"/amp/mistral-funding.html", "/mirror/acme-seed.html", "/sitemap-news.xml"} & {r.path for r in run2}
    # failed pages are tried again (and fail again): attempts grow
    assert {r.path for r in run2} >= set(SITEMAP_FAILURES)
    with Session(engine) as session:
        attempts = dict(session.execute(select(FailureRow.source, FailureRow.attempts)).all())
        assert session.scalar(select(ArticleRow.id).where(ArticleRow.source == news_site.url("/r/meta"))) is None
    engine.dispose()
    assert attempts[news_site.url("/missing.html")] == 2
    log = (tmp_path / "newsfacts.log").read_text(encoding="utf-8")
    assert log.count("run finished") == 2 and "articles: 0 new" in log


def test_cli_run_exits_zero_when_only_pages_fail(tmp_path, news_site, fetch_settings):
    config = write_config(tmp_path, news_site, fetch_settings)
    result = runner.invoke(app, ["run", "--config", config, "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["articles_new"] == 5 and summary["articles_failed"] == 7 and summary["articles_skipped"] == 1
    assert summary["sources_failed"] == []
    assert summary["http_requests"] > 0 and summary["contradictions_new"] == 0


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_second_run_while_one_holds_the_lock_exits_75(tmp_path, news_site, fetch_settings, fmt):
    config = write_config(tmp_path, news_site, fetch_settings)
    with FileLock(tmp_path / "newsfacts.lock"):
        result = runner.invoke(app, ["run", "--config", config, "--format", fmt])
    assert result.exit_code == 75
    assert result.stderr.count("\n") == 1 and "another newsfacts run is in progress" in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout) == {
            "error": "another newsfacts run is in progress (lock held); this run did nothing",
            "where": str(tmp_path / "newsfacts.lock"), "exit_code": 75}
    assert news_site.requests == []


@pytest.mark.parametrize(("args", "message"), [
    (["--db", "/nonexistent/dir/facts.db"], "cannot open database"),
    (["--config", "/nonexistent/newsfacts.toml"], "no such config file"),
])
def test_a_failed_run_exits_one(tmp_path, news_site, fetch_settings, args, message):
    config = write_config(tmp_path, news_site, fetch_settings)
    result = runner.invoke(app, ["run", "--config", config, *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_run_refuses_csv(tmp_path, news_site, fetch_settings):
    result = runner.invoke(app, ["run", "--config", write_config(tmp_path, news_site, fetch_settings), "-f", "csv"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output and "'csv' is not one of" in result.output
    assert "'table'" in result.output and "'json'" in result.output
    assert news_site.requests == []


@pytest.mark.parametrize(("config", "message"), [
    ('[fetch]\ncontact = "me@example.invalid"\nbogus = 1\n', "[fetch] unknown setting(s): bogus (known: backoff_base, "),
    ('[sources]\nfeed = ["http://127.0.0.1:9/feed.rss"]\n', "[sources] unknown setting(s): feed (known: feeds, "),
])
def test_config_errors_keep_their_section_on_one_line(tmp_path, config, message):
    path = tmp_path / "newsfacts.toml"
    path.write_text(config, encoding="utf-8")
    for fmt in ("table", "json"):
        result = runner.invoke(app, ["run", "--config", str(path), "--format", fmt])
        assert result.exit_code == 1
        [line] = result.stderr.splitlines()  # longer than 80 columns, not wrapped
        assert line.startswith(f"error: {path}: {message}") and len(line) > 100
    assert json.loads(result.stdout)["error"].startswith(message)


def down_config(tmp_path, fetch_settings, **sources) -> str:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "cohere-2025-06-05.txt").write_text(FOLDER_ARTICLE, encoding="utf-8")
    fetch = "\n".join(f"{f.name} = {json.dumps(getattr(fetch_settings, f.name))}"
                      for f in dataclasses.fields(fetch_settings))
    lists = "\n".join(f"{key} = {json.dumps(value)}" for key, value in sources.items())
    config = tmp_path / "newsfacts.toml"
    config.write_text(f'db = "facts.db"\n[sources]\nfolders = ["saved"]\n{lists}\n[fetch]\n{fetch}\n', encoding="utf-8")
    return str(config)


@pytest.mark.parametrize("down", ["robots 503", "refused"])
def test_a_site_that_is_down_fails_the_run_with_one_line_even_quiet(tmp_path, news_site, fetch_settings, down):
    if down == "robots 503":
        news_site.robots = (503, "down for maintenance")
        origin, cause = news_site.base, "robots.txt answered HTTP 503"
    else:
        origin, cause = refused_origin(), "robots.txt: cannot connect: ConnectError"
    config = down_config(tmp_path, fetch_settings, feeds=[origin + "/feed.rss"], urls=[origin + "/news/acme-seed.html"])
    result = runner.invoke(app, ["run", "--config", config, "--quiet"])
    assert result.exit_code == 69
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: 1 source failed: {origin}/feed.rss: host unavailable, try next run ({cause}")
    assert [r.path for r in news_site.requests] == (["/robots.txt"] * 2 if down == "robots 503" else [])

    engine = open_engine(tmp_path / "facts.db")
    with Session(engine) as session:
        reasons = dict(session.execute(select(FailureRow.source, FailureRow.reason)).all())
        assert session.scalar(select(ArticleRow.source).where(ArticleRow.source.endswith("cohere-2025-06-05.txt")))
    engine.dispose()
    assert set(reasons) == {origin + "/feed.rss", origin + "/news/acme-seed.html"}
    for reason in reasons.values():
        assert reason.startswith(f"host unavailable, try next run ({cause}") and "disallowed" not in reason

    news_site.robots = (200, "")  # back up (the refused host stays down: the run still says so)
    result = runner.invoke(app, ["run", "--config", config, "--format", "json"])
    summary = json.loads(result.stdout)
    if down == "robots 503":
        assert result.exit_code == 0 and summary["sources_failed"] == [] and summary["articles_new"] == 3
    else:
        assert result.exit_code == 69 and [f["source"] for f in summary["sources_failed"]] == [origin + "/feed.rss"]


def test_a_host_down_with_only_pages_listed_is_a_source_failure(tmp_path, fetch_settings, extractor):
    origin = refused_origin()
    settings = load_settings(down_config(tmp_path, fetch_settings, urls=[origin + "/a.html", origin + "/b.html"]), env={})
    report = nightly_run(settings, extractor=extractor)
    assert [f.source for f in report.summary.failures] == [origin + "/a.html", origin + "/b.html"]
    assert [f.source for f in report.sources_failed] == [origin]
    assert report.sources_line().startswith(f"1 source failed: {origin}: host unavailable, try next run (")


# --- what cron sees: a real `newsfacts run` process, its stdout and stderr (not a terminal) ---

@pytest.mark.slow
def test_a_real_run_prints_each_failure_once_unwrapped_and_warns_of_no_contact(tmp_path, news_site, fetch_settings):
    settings = dataclasses.replace(fetch_settings, contact=FetchSettings().contact)  # as if the key were left out
    config = down_config(tmp_path, settings, urls=[news_site.url(p) for p in (
        "/missing.html", "/report.pdf", "/news/acme-seed.html", "/private/secret.html")])
    result = subprocess.run(newsfacts_cmd("run", "--config", config), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0].startswith("articles: 2 new, 0 replaced, 0 unchanged, 2 failed, 1 skipped; ")
    assert len(out) == 3 and len(out[0]) > 80, "one line per item, however long"
    both = result.stdout + result.stderr
    for path in ("/missing.html", "/report.pdf"):
        assert both.count(news_site.url(path)) == 1, both
    assert "[fetch] contact is not set" in result.stderr


@pytest.mark.slow
def test_a_real_quiet_run_with_a_site_down_prints_one_line_and_exits_69(tmp_path, fetch_settings):
    origin = refused_origin()
    config = down_config(tmp_path, fetch_settings, feeds=[origin + "/feed.rss"], sitemaps=[origin + "/sitemap.xml"])
    result = subprocess.run(newsfacts_cmd("run", "--config", config, "--quiet"), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 69
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: 2 sources failed: {origin}/feed.rss: host unavailable, try next run (")
    assert f"; {origin}/sitemap.xml: host unavailable" in line
