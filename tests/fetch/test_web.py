"""WebClient against a real HTTP server on 127.0.0.1: politeness, caps, redirects, conditional requests."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline import __version__
from pipeline.errors import FetchError, HostUnavailableError, RobotsDisallowedError
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
from tests.newssite import refused_origin


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


def test_canonical_link_wins_over_og_url(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        article = article_from_page(client.get(news_site.url("/og/mistral-funding.html"), accept=PAGE_TYPES))
    assert article.source == news_site.url("/news/mistral-funding.html")


@pytest.mark.parametrize("key", ["meta-exodus", "acme-seed"])
def test_a_canonical_naming_the_home_page_is_not_the_articles_identity(news_site, fetch_settings, key):
    url = news_site.url(f"/home-canonical/{key}.html")
    with WebClient(fetch_settings) as client:
        article = article_from_page(client.get(url, accept=PAGE_TYPES))
    assert article.source == article.url == url


def test_canonical_url_names_the_article(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        amp = article_from_page(client.get(news_site.url("/amp/mistral-funding.html"), accept=PAGE_TYPES))
    assert amp.source == amp.url == news_site.url("/news/mistral-funding.html")
    assert "Andreessen Horowitz" in amp.text and "Home | World" not in amp.text


@pytest.mark.parametrize(("robots", "cause"), [
    ((503, "down"), "robots.txt answered HTTP 503"),
    ((500, "oops"), "robots.txt answered HTTP 500"),
    ((429, "slow down"), "robots.txt answered HTTP 429"),
])
def test_robots_server_error_means_host_unavailable_not_disallowed(news_site, fetch_settings, robots, cause):
    news_site.robots = robots
    with WebClient(fetch_settings) as client:
        for path in ("/news/acme-seed.html", "/news/meta-exodus.html"):
            with pytest.raises(HostUnavailableError) as info:
                client.get(news_site.url(path), accept=PAGE_TYPES)
            assert info.value.reason == f"host unavailable, try next run ({cause})"
            assert "robots" not in type(info.value).__name__.lower()
        assert client.unavailable == {news_site.base: cause}
        assert client.stats.robots_refused == 0 and client.stats.hosts_unavailable == 1
    assert [r.path for r in news_site.requests] == ["/robots.txt"] * (1 + fetch_settings.retries), \
        "robots.txt asked (with its retry) once per run; no page of the host is asked for"


def test_unreachable_host_is_unavailable_for_the_rest_of_the_run(fetch_settings):
    origin = refused_origin()
    with WebClient(fetch_settings) as client:
        for path in ("/a.html", "/b.html"):
            with pytest.raises(HostUnavailableError, match=r"host unavailable, try next run \(robots.txt: cannot connect"):
                client.get(origin + path, accept=PAGE_TYPES)
        assert list(client.unavailable) == [origin]


def test_unreachable_host_without_robots_is_unavailable_after_one_page(fetch_settings):
    settings = dataclasses.replace(fetch_settings, respect_robots=False)
    origin = refused_origin()
    with WebClient(settings) as client:
        with pytest.raises(HostUnavailableError, match=r"\(cannot connect: ConnectError"):
            client.get(origin + "/a.html", accept=PAGE_TYPES)
        requests = client.stats.requests
        with pytest.raises(HostUnavailableError):
            client.get(origin + "/b.html", accept=PAGE_TYPES)
        assert client.stats.requests == requests == 1 + settings.retries


@pytest.mark.parametrize("status", [404, 410, 403])
def test_robots_client_error_means_no_rules(news_site, fetch_settings, status):
    news_site.robots = (status, "gone")
    with WebClient(fetch_settings) as client:
        assert isinstance(client.get(news_site.url("/private/secret.html"), accept=PAGE_TYPES), Page)


ROBOTS = """# RFC 9309 rules, as a news site writes them
User-agent: *
Disallow: /articles/*-draft.html
Disallow: /
Allow: /files/
Disallow: /files/*.pdf$
Allow: /articles/
Allow: /tie/
Disallow: /tie/
Disallow: /articles/archive/
Allow: /articles/archive/2025/

User-agent: otherbot
Allow: /
"""


@pytest.mark.parametrize(("path", "allowed"), [
    ("/articles/story.html", True),  # Allow: /articles/ is longer than Disallow: /
    ("/index.html", False),  # only Disallow: / matches
    ("/articles/story-draft.html", False),  # wildcard
    ("/articles/2025/06/story-draft.html", False),  # the wildcard spans slashes
    ("/articles/story-draft.html.bak", False),  # a pattern without "$" matches a prefix
    ("/files/report.pdf", False),  # Disallow: /files/*.pdf$ is longer than Allow: /files/
    ("/files/report.pdf?page=2", True),  # "$" anchors the end: a query string escapes it
    ("/files/report.pdf.html", True),
    ("/tie/story.html", True),  # equally long Allow and Disallow: Allow wins
    ("/articles/archive/2019/story.html", False),  # longest match: Disallow /articles/archive/
    ("/articles/archive/2025/story.html", True),  # longer still: Allow /articles/archive/2025/
])
def test_robots_rules_by_rfc_9309(news_site, fetch_settings, path, allowed):
    news_site.robots = (200, ROBOTS)
    with WebClient(fetch_settings) as client:
        if allowed:
            with pytest.raises(FetchError, match="HTTP 404"):  # asked for: the site has no such page
                client.get(news_site.url(path), accept=PAGE_TYPES)
        else:
            with pytest.raises(RobotsDisallowedError, match="disallowed by robots.txt"):
                client.get(news_site.url(path), accept=PAGE_TYPES)
    assert len(news_site.hits(path)) == (1 if allowed else 0)


def test_robots_group_for_our_token_wins_over_star(news_site, fetch_settings):
    news_site.robots = (200, "User-agent: *\nDisallow: /\n\nUser-agent: NewsFacts\nDisallow: /private/\n")
    with WebClient(fetch_settings) as client:
        assert isinstance(client.get(news_site.url("/news/acme-seed.html"), accept=PAGE_TYPES), Page)
        with pytest.raises(RobotsDisallowedError):
            client.get(news_site.url("/private/secret.html"), accept=PAGE_TYPES)


def test_robots_crawl_delay_paces_the_host(news_site, fetch_settings):
    news_site.robots = (200, "User-agent: *\nCrawl-delay: 7\n")
    slept: list[float] = []
    with WebClient(fetch_settings, sleep=slept.append) as client:
        client.get(news_site.url("/news/acme-seed.html"), accept=PAGE_TYPES)
        client.get(news_site.url("/news/meta-exodus.html"), accept=PAGE_TYPES)
    # robots.txt, then each page: 7 s between two requests to the host
    assert len(slept) == 2 and all(6.0 < pause <= 7.0 for pause in slept)


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
