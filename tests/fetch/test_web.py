"""WebClient against a real HTTP server on 127.0.0.1: politeness, caps, redirects, conditional requests."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline import __version__
from pipeline.errors import FetchError
from pipeline.fetch.web import (
    PAGE_TYPES,
    HostThrottle,
    NotModified,
    Page,
    WebClient,
    article_from_page,
    retry_delay,
)
from pipeline.settings import FetchSettings


def test_page_user_agent_and_conditional_get(news_site, fetch_settings):
    url = news_site.url("/news/mistral-funding.html")
    with WebClient(fetch_settings) as client:
        page = client.get(url, accept=PAGE_TYPES)
        assert isinstance(page, Page)
        assert page.etag and page.last_modified and page.media_type == "text/html"
        again = client.get(url, accept=PAGE_TYPES, validators=page.state(None))
    assert again == NotModified(url)
    first, second = news_site.hits("/news/mistral-funding.html")
    assert first.headers["user-agent"] == f"newsfacts/{__version__} (+tests@example.invalid)"
    assert not first.conditional and second.conditional and second.status == 304
    assert [r.path for r in news_site.requests][0] == "/robots.txt"
    assert len(news_site.hits("/robots.txt")) == 1, "robots.txt is cached per host"


def test_if_modified_since_alone(news_site, fetch_settings):
    url = news_site.url("/news/meta-exodus.html")
    with WebClient(fetch_settings) as client:
        page = client.get(url, accept=PAGE_TYPES)
        assert page.etag is None and page.last_modified
        assert isinstance(client.get(url, accept=PAGE_TYPES, validators=page.state(None)), NotModified)
    assert news_site.hits("/news/meta-exodus.html")[1].headers["if-modified-since"] == page.last_modified


@pytest.mark.parametrize(("path", "reason", "requests"), [
    ("/missing.html", "HTTP 404", 1),
    ("/busy.html", "HTTP 503", 1),  # Retry-After: 3600 is beyond the backoff cap: no second try
    ("/huge.html", "too large", 1),
    ("/report.pdf", "content type application/pdf", 1),
    ("/slow.html", "timed out after 2 attempts", 2),
    ("/r/ftp", "'ftp://127.0.0.1/pub/story.html' refused", 1),
    ("/r/loop-a", "redirect loop", 1),
    ("/private/secret.html", "disallowed by robots.txt", 0),
])
def test_trouble_becomes_a_fetch_error(news_site, fetch_settings, path, reason, requests):
    with WebClient(fetch_settings) as client, pytest.raises(FetchError) as info:
        client.get(news_site.url(path), accept=PAGE_TYPES)
    assert reason in info.value.reason
    assert info.value.where == news_site.url(path)
    assert len(news_site.hits(path)) == requests


def test_redirect_hop_limit(news_site, fetch_settings):
    with WebClient(fetch_settings) as client, pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(news_site.url("/r/chain/0"), accept=PAGE_TYPES)
    assert sum(r.path.startswith("/r/chain/") for r in news_site.requests) == 6


def test_server_error_then_success_is_retried(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        page = client.get(news_site.url("/flaky/helsing-round.html"), accept=PAGE_TYPES)
        assert client.stats.retries == 1
    assert [r.status for r in news_site.hits("/flaky/helsing-round.html")] == [500, 200]
    assert "Helsing raised $600 million" in article_from_page(page).text


def test_redirect_is_followed_and_the_final_url_kept(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        page = client.get(news_site.url("/r/meta"), accept=PAGE_TYPES)
    assert page.url == news_site.url("/r/meta")
    assert page.final_url == news_site.url("/news/meta-exodus.html")
    article = article_from_page(page)
    assert article.source == page.final_url
    assert (article.title, article.author, str(article.published)) == (
        "Meta's Llama team suffers a talent exodus", "Charles Hayes", "2025-05-31")


def test_canonical_url_names_the_article(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        amp = article_from_page(client.get(news_site.url("/amp/mistral-funding.html"), accept=PAGE_TYPES))
    assert amp.source == amp.url == news_site.url("/news/mistral-funding.html")
    assert "Andreessen Horowitz" in amp.text and "Home | World" not in amp.text


def test_robots_can_be_switched_off(news_site, fetch_settings):
    settings = dataclasses.replace(fetch_settings, respect_robots=False)
    with WebClient(settings) as client:
        assert isinstance(client.get(news_site.url("/private/secret.html"), accept=PAGE_TYPES), Page)
    assert news_site.hits("/robots.txt") == []


@pytest.mark.parametrize(("attempt", "retry_after", "expected"), [
    (0, None, 2.0),
    (1, None, 4.0),
    (2, None, 8.0),
    (10, None, 60.0),  # capped
    (0, "7", 7.0),  # the server's wish wins when it is longer
    (2, "1", 8.0),  # ... but never shortens our own backoff
    (0, "3600", None),  # longer than the cap: give up until the next run
    (0, "Wed, 21 Oct 2015 07:28:00 GMT", 2.0),  # a date in the past: no extra wait
    (0, "soon", 2.0),  # unparseable: ignored
])
def test_retry_delay(attempt, retry_after, expected):
    assert retry_delay(attempt, retry_after, FetchSettings()) == expected


@pytest.mark.parametrize(("starts", "sleeps"), [
    ([("a", 0.0), ("a", 0.2)], [0.8]),  # same host 0.2 s later: wait out the second
    ([("a", 0.0), ("b", 0.0)], []),  # another host: no wait
    ([("a", 0.0), ("a", 5.0)], []),  # long enough apart already
])
def test_host_throttle(starts, sleeps):
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    throttle = HostThrottle(1.0, clock=lambda: now[0], sleep=sleep)
    for host, at in starts:
        now[0] = max(now[0], at)
        throttle.wait(host)
    assert slept == sleeps


def test_crawl_delay_from_robots_raises_the_interval():
    now, slept = [0.0], []
    throttle = HostThrottle(1.0, clock=lambda: now[0], sleep=slept.append)
    throttle.set_interval("a", 3.0)
    throttle.wait("a")
    throttle.wait("a")
    assert slept == [3.0]
