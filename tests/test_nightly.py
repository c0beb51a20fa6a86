"""The nightly run against a real local news site: two runs, a lock, a log file, exit codes."""

from __future__ import annotations

import dataclasses
import json

import pytest
from filelock import FileLock
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.nightly import nightly_run
from pipeline.settings import load_settings
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, FailureRow, UrlStateRow

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
    assert s.skipped == 1  # /private/secret.html: robots.txt disallows it, which is not a failure
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


def test_a_second_run_while_one_holds_the_lock_exits_75(tmp_path, news_site, fetch_settings):
    config = write_config(tmp_path, news_site, fetch_settings)
    with FileLock(tmp_path / "newsfacts.lock"):
        result = runner.invoke(app, ["run", "--config", config])
    assert result.exit_code == 75
    assert "another newsfacts run is in progress" in result.output
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
