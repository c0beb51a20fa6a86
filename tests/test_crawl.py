"""Nightly runs against the local news site: listings that fail or come cut off, odd content types,
retries, robots refusals and article identity, each checked over several runs on one real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.nightly import RunReport, nightly_run
from pipeline.settings import Settings, Sources
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, FailureRow, UrlStateRow
from pipeline.types import FailedSource

ARTICLE_PAGES = ["/news/helsing-round.html", "/news/meta-exodus.html"]


@pytest.fixture
def crawl(tmp_path, news_site, fetch_settings, extractor):
    """crawl(feeds=[...], sitemaps=[...], urls=[...]): one nightly run on the site (paths) into one database."""
    def run(**sources: list[str]) -> RunReport:
        settings = Settings(db=str(tmp_path / "facts.db"), lock_file=tmp_path / "run.lock",
                            log_file=tmp_path / "run.log", fetch=fetch_settings,
                            sources=Sources(**{k: tuple(news_site.url(p) for p in v) for k, v in sources.items()}))
        before = len(news_site.requests)
        report = nightly_run(settings, extractor=extractor)
        report.requests = news_site.requests[before:]
        return report
    return run


def rows(tmp_path, *columns):
    engine = open_engine(tmp_path / "facts.db")
    with Session(engine) as session:
        found = session.execute(select(*columns)).all()
    engine.dispose()
    return found


def asked(report: RunReport, path: str) -> list[int]:
    return [r.status for r in report.requests if r.path == path]


# --- 2. a listing that fails or is cut off is read again, as what it is ---

def test_a_child_sitemap_that_fails_is_read_as_a_sitemap_until_it_succeeds(tmp_path, news_site, crawl):
    news_site.indexes["/index.xml"] = ["/sitemap-articles.xml"]
    news_site.sitemaps["/sitemap-articles.xml"] = ARTICLE_PAGES
    news_site.down["/sitemap-articles.xml"] = 1  # one 503 ("come back in an hour"): fails this run
    child = news_site.url("/sitemap-articles.xml")

    first = crawl(sitemaps=["/index.xml"])
    assert first.sources_failed == [FailedSource(child, "HTTP 503")]
    assert first.summary.new == 0
    assert rows(tmp_path, FailureRow.source, FailureRow.reason) == [(child, "HTTP 503")]

    news_site.down["/index.xml"] = 1  # the index is down next time: the child is not asked for as a page
    second = crawl(sitemaps=["/index.xml"])
    assert asked(second, "/sitemap-articles.xml") == []
    assert [f.source for f in second.sources_failed] == [news_site.url("/index.xml")]

    third = crawl(sitemaps=["/index.xml"])
    # the index was not read whole before, so it is not asked for conditionally: its child is read again
    assert [(r.status, r.conditional) for r in third.requests if r.path == "/index.xml"] == [(200, False)]
    assert asked(third, "/sitemap-articles.xml") == [200]
    assert third.summary.new == 2 and third.sources_failed == [] and third.summary.failures == []
    assert rows(tmp_path, FailureRow.source) == []

    fourth = crawl(sitemaps=["/index.xml"])  # now all was read: the index answers 304 and lists nothing new
    assert [r.path for r in fourth.requests] == ["/robots.txt", "/index.xml"]
    assert asked(fourth, "/index.xml") == [304]


def test_a_feed_cut_short_is_recorded_and_read_whole_next_run(tmp_path, news_site, crawl):
    feed = news_site.url("/cut/feed.rss")
    first = crawl(feeds=["/cut/feed.rss"])
    assert [f.source for f in first.sources_failed] == [feed]
    assert "feed incomplete: the document ends before its last element closes" in first.sources_failed[0].reason
    assert (first.summary.new, first.summary.unchanged) == (1, 1)  # Mistral and its AMP copy: the part that came
    assert asked(first, "/flaky/helsing-round.html") == []  # listed in the part that did not
    assert rows(tmp_path, UrlStateRow.url).count((feed,)) == 0, "validators of a cut feed are not kept"
    assert feed in dict(rows(tmp_path, FailureRow.source, FailureRow.reason))

    news_site.cut = False
    second = crawl(feeds=["/cut/feed.rss"])
    assert [(r.status, r.conditional) for r in second.requests if r.path == "/cut/feed.rss"] == [(200, False)]
    assert second.summary.new == 1 and second.sources_failed == []  # Helsing, from the second half
    assert rows(tmp_path, FailureRow.source) == []
    third = crawl(feeds=["/cut/feed.rss"])
    assert asked(third, "/cut/feed.rss") == [304]


# --- 5. a feed or sitemap is judged by its body, not by the type it is served as ---

def test_listings_served_as_text_html_or_octet_stream_are_read(news_site, crawl):
    news_site.sitemaps["/articles.xml"] = ["/r/meta"]
    report = crawl(feeds=["/as/text/feed.rss", "/as/html/feed.atom"], sitemaps=["/as/octet/articles.xml"])
    assert report.summary.failures == [] and report.sources_failed == []
    assert report.summary.new == 4  # mistral (+ its AMP copy), helsing, acme (+ its mirror), meta


def test_a_web_page_listed_as_a_feed_fails_with_what_it_is(news_site, crawl):
    report = crawl(feeds=["/news/acme-seed.html"])
    [failed] = report.sources_failed
    assert failed.source == news_site.url("/news/acme-seed.html")
    assert failed.reason.startswith("not an RSS or Atom feed (") and failed.reason.endswith("(served as text/html)")
    assert report.summary.new == 0


# --- 6. retries: three later runs for a failed page, none for a page robots.txt refuses ---

def test_a_failed_page_is_retried_on_three_later_runs_and_a_refused_one_never(tmp_path, news_site, crawl):
    news_site.sitemaps["/sm.xml"] = ["/missing.html", "/private/secret.html"]
    engine = open_engine(tmp_path / "facts.db")
    with Session(engine) as session, session.begin():  # a refusal recorded as a failure by an earlier version
        session.add(FailureRow(source=news_site.url("/private/secret.html"), reason="disallowed by robots.txt"))
    engine.dispose()

    reports = [crawl(sitemaps=["/sm.xml"]) for _ in range(6)]
    assert [bool(asked(r, "/missing.html")) for r in reports] == [True, True, True, True, False, False]
    assert rows(tmp_path, FailureRow.source, FailureRow.attempts) == [(news_site.url("/missing.html"), 4)]
    assert news_site.hits("/private/secret.html") == []
    assert len(reports[0].summary.skipped) == 1 and reports[0].summary.failed == 1
    assert reports[1].summary.skipped == []  # not retried: it did not fail
    assert all(r.sources_failed == [] for r in reports)


# --- 7. identity: a canonical URL names an article only when no different text shares it ---

def test_articles_naming_the_home_page_as_canonical_are_all_stored(tmp_path, news_site, crawl):
    pages = [f"/home-canonical/{key}.html" for key in ("meta-exodus", "acme-seed", "helsing-round")]
    news_site.sitemaps["/sm.xml"] = pages
    report = crawl(sitemaps=["/sm.xml"])
    assert (report.summary.new, report.summary.unchanged) == (3, 0)
    assert sorted(source for (source,) in rows(tmp_path, ArticleRow.source)) == sorted(map(news_site.url, pages))


def test_a_canonical_shared_by_different_texts_is_no_ones_identity(tmp_path, news_site, crawl):
    first = crawl(urls=["/section/meta-exodus.html"])
    assert first.summary.new == 1
    second = crawl(urls=["/section/meta-exodus.html", "/section/acme-seed.html", "/section/helsing-round.html"])
    s = second.summary
    assert (s.new, s.replaced, s.unchanged) == (2, 0, 1)
    titles = {title for (title,) in rows(tmp_path, ArticleRow.title)}
    assert titles == {"Meta's Llama team suffers a talent exodus", "Acme Robotics raises $5 million seed round",
                      "Helsing raises $600 million to build defence software"}


@pytest.mark.parametrize("together", [True, False], ids=["same run", "later run"])
def test_an_amp_copy_is_the_article_it_names(tmp_path, news_site, crawl, together):
    main, amp = "/news/mistral-funding.html", "/amp/mistral-funding.html"
    reports = [crawl(urls=[main, amp])] if together else [crawl(urls=[main]), crawl(urls=[main, amp])]
    assert sum(r.summary.new for r in reports) == 1
    assert all(r.summary.replaced == 0 for r in reports)
    assert rows(tmp_path, ArticleRow.source) == [(news_site.url(main),)]
    assert {news_site.url(main), news_site.url(amp)} <= {url for (url,) in rows(tmp_path, UrlStateRow.url)}


# --- 8. a #fragment names the same page ---

def test_fragment_variants_are_one_page(news_site, crawl):
    report = crawl(urls=["/news/acme-seed.html#top", "/news/acme-seed.html#comments", "/news/acme-seed.html"])
    assert asked(report, "/news/acme-seed.html") == [200]
    assert (report.summary.new, report.summary.unchanged) == (1, 0)
