"""One polite HTTP client: robots.txt, per-host pacing, retries with backoff, size cap, safe redirects."""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from protego import Protego
from trafilatura.utils import load_html

from pipeline import __version__
from pipeline.errors import FetchError, HostUnavailableError, RobotsDisallowedError
from pipeline.fetch.documents import decode, parse_html, parse_text
from pipeline.settings import FetchSettings
from pipeline.types import Article, UrlState

log = logging.getLogger("newsfacts.fetch")

# The product token robots.txt rules are matched against ("User-agent: newsfacts").
ROBOTS_TOKEN = "newsfacts"
# RFC 9309 asks crawlers to read at least 500 KiB of robots.txt; the rest may be ignored.
ROBOTS_MAX_BYTES = 500 * 1024
# A Crawl-delay above a minute would stretch a nightly run over the next day; such hosts get one.
MAX_CRAWL_DELAY = 60.0
# RFC 9309 2.3.1.4: a robots.txt answering 5xx, or a host that cannot be reached, means "assume complete
# disallow" until it can be read again: the host is down for this run, not closed to us. A 429 is a
# request to slow down, not an absence of rules, so it is treated the same way (as Google does).
ROBOTS_UNREACHABLE_CODES = frozenset({429})
HOST_UNAVAILABLE = "host unavailable, try next run"
# Paths that name a site's home page: a canonical link pointing there names the site, not an article.
SITE_ROOT_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})

SCHEMES = frozenset({"http", "https"})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Worth another try later: rate limited, or the server (or a gateway before it) is briefly down.
RETRY_CODES = frozenset({429, 500, 502, 503, 504})

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
PAGE_TYPES = HTML_TYPES | TEXT_TYPES
XML_TYPES = frozenset({"application/xml", "text/xml"})
FEED_TYPES = XML_TYPES | frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
SITEMAP_TYPES = XML_TYPES | frozenset({"text/plain", "application/gzip", "application/x-gzip"})


@dataclass(frozen=True, slots=True)
class Page:
    """A complete 200 response."""

    url: str  # as asked for
    final_url: str  # after redirects
    body: bytes
    media_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None

    def state(self, content_hash: str | None) -> UrlState:
        return UrlState(self.url, self.etag, self.last_modified, content_hash)


@dataclass(frozen=True, slots=True)
class NotModified:
    """A 304: the copy from the last run is still current."""

    url: str


@dataclass
class FetchStats:
    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    robots_refused: int = 0
    hosts_unavailable: int = 0

    def as_dict(self) -> dict:
        return {"http_requests": self.requests, "http_not_modified": self.not_modified,
                "http_retries": self.retries, "robots_refused": self.robots_refused,
                "hosts_unavailable": self.hosts_unavailable}


class HostThrottle:
    """At least min_interval seconds between the starts of two requests to one host."""

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.min_interval = min_interval
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._interval: dict[str, float] = {}

    def set_interval(self, host: str, seconds: float) -> None:
        self._interval[host] = max(self.min_interval, min(seconds, MAX_CRAWL_DELAY))

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self._interval.get(host, self.min_interval) - self.clock()
            if pause > 0:
                self.sleep(pause)
        self._last[host] = self.clock()


def retry_delay(attempt: int, retry_after: str | None, settings: FetchSettings) -> float | None:
    """Seconds before the next attempt (attempt 0 is the first retry); None: the server wants too long."""
    delay = min(settings.backoff_base * 2 ** attempt, settings.backoff_cap)
    if retry_after:
        asked = _retry_after_seconds(retry_after.strip())
        if asked is not None:
            if asked > settings.backoff_cap:
                return None
            delay = max(delay, asked)
    return delay


def _retry_after_seconds(value: str) -> float | None:
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes


class WebClient:
    """Every request newsfacts makes goes through here; use as a context manager."""

    def __init__(self, settings: FetchSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.user_agent = f"newsfacts/{__version__} (+{settings.contact})"
        self.stats = FetchStats()
        self._sleep = sleep
        self._throttle = HostThrottle(settings.min_interval, sleep=sleep)
        self._robots: dict[str, Protego] = {}
        # origin -> why it is unavailable in this run (robots.txt 5xx, connection refused, ...)
        self.unavailable: dict[str, str] = {}
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=False,
        )

    def __enter__(self) -> WebClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, accept: frozenset[str], validators: UrlState | None = None,
            check_type: bool = True) -> Page | NotModified:
        """GET url (following redirects), conditional when validators are given; FetchError on failure.

        accept is sent as the Accept header and, with check_type, a 200 of another type is refused;
        without it the caller judges the body itself (a feed served as text/plain is still a feed).
        """
        headers = {"Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        current = url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            _check_scheme(current, url)
            self._check_robots(current, url)
            try:
                response = self._send(current, headers, accept=accept if check_type else frozenset(),
                                      cap=self.settings.max_bytes, where=url)
            except HostUnavailableError as exc:
                raise self._host_down(origin_of(current), exc.reason, url) from None
            if response.status in REDIRECT_CODES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {response.status} redirect without a Location", where=url)
                current = urljoin(current, location.strip())
                if current in seen:
                    raise FetchError(f"redirect loop at {current}", where=url)
                seen.add(current)
                continue
            if response.status == 304:
                self.stats.not_modified += 1
                return NotModified(url)
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}", where=url)
            media_type, charset = _content_type(response.headers)
            return Page(url=url, final_url=current, body=response.body, media_type=media_type, charset=charset,
                        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
        raise FetchError(f"more than {self.settings.max_redirects} redirects", where=url)

    def _check_robots(self, url: str, where: str) -> None:
        """HostUnavailableError when the host is down in this run; RobotsDisallowedError when robots.txt says no."""
        origin = origin_of(url)
        if origin in self.unavailable:
            raise _unavailable_error(self.unavailable[origin], where)
        if not self.settings.respect_robots:
            return
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._fetch_robots(origin)
            if rules is None:
                raise _unavailable_error(self.unavailable[origin], where)
            self._robots[origin] = rules
            delay = rules.crawl_delay(ROBOTS_TOKEN)
            if delay:
                self._throttle.set_interval(urlsplit(url).netloc, float(delay))
        if not rules.can_fetch(url, ROBOTS_TOKEN):
            self.stats.robots_refused += 1
            raise RobotsDisallowedError("disallowed by robots.txt" + ("" if url == where else f" ({url})"),
                                        where=where)

    def _fetch_robots(self, origin: str) -> Protego | None:
        """The host's rules (no rules when it has no robots.txt); None when the host is unavailable."""
        url = origin + "/robots.txt"
        try:
            for _hop in range(self.settings.max_redirects + 1):
                response = self._send(url, {}, accept=frozenset(), cap=ROBOTS_MAX_BYTES, where=url, truncate=True)
                if response.status in REDIRECT_CODES and response.headers.get("location"):
                    url = urljoin(url, response.headers["location"].strip())
                    if urlsplit(url).scheme not in SCHEMES:
                        break
                    continue
                break
        except FetchError as exc:
            self._host_down(origin, f"robots.txt: {exc.reason}", url)
            return None
        if response.status >= 500 or response.status in ROBOTS_UNREACHABLE_CODES:
            self._host_down(origin, f"robots.txt answered HTTP {response.status}", url)
            return None
        if response.status != 200:  # 4xx, or redirects to nowhere: no robots.txt, no rules (RFC 9309 2.3.1.3)
            return Protego.parse("")
        return Protego.parse(response.body.decode("utf-8", errors="replace"))

    def _host_down(self, origin: str, cause: str, where: str) -> HostUnavailableError:
        """Remember that origin is down for the rest of the run: its other URLs fail at once, with this cause."""
        if origin not in self.unavailable:
            self.unavailable[origin] = cause
            self.stats.hosts_unavailable += 1
            log.info("%s: %s (%s)", origin, HOST_UNAVAILABLE, cause)  # the run names it among the failed sources
        return _unavailable_error(self.unavailable[origin], where)

    def _send(self, url: str, headers: dict, *, accept: frozenset[str], cap: int, where: str,
              truncate: bool = False) -> _Response:
        """One hop: retries on 429/5xx/timeouts/connection errors; the body only for a 200."""
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self._throttle.wait(host)
            self.stats.requests += 1
            retry_after = None
            try:
                with self._client.stream("GET", url, headers=headers) as r:
                    if r.status_code in RETRY_CODES:
                        retry_after = r.headers.get("retry-after")
                        failure = f"HTTP {r.status_code}"
                        result = _Response(r.status_code, r.headers, b"")
                    elif r.status_code != 200:
                        return _Response(r.status_code, r.headers, b"")
                    else:
                        if accept:
                            _check_type(r.headers, accept, where)
                        return _Response(200, r.headers, self._read(r, cap, where, truncate))
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure, result, error = f"cannot connect: {exc.__class__.__name__}: {exc}", None, HostUnavailableError
            except httpx.TimeoutException:
                failure, result, error = "timed out", None, FetchError
            except httpx.TransportError as exc:
                failure, result, error = f"connection failed: {exc.__class__.__name__}: {exc}", None, FetchError
            delay = retry_delay(attempt, retry_after, self.settings) if attempt < self.settings.retries else None
            if delay is None:
                if result is not None:
                    return result
                raise error(failure + (f" after {attempt + 1} attempts" if attempt else ""), where=where)
            log.info("%s: %s, retry %d in %.1f s", url, failure, attempt + 1, delay)
            self.stats.retries += 1
            self._sleep(delay)
            attempt += 1

    def _read(self, response: httpx.Response, cap: int, where: str, truncate: bool) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap and not truncate:
            raise FetchError(f"response too large ({int(declared) / 1e6:.1f} MB > {cap / 1e6:.1f} MB cap)", where=where)
        deadline = time.monotonic() + self.settings.page_deadline
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # decompressed: the cap also stops gzip bombs
            size += len(chunk)
            if size > cap:
                if truncate:
                    chunks.append(chunk[:cap - (size - len(chunk))])
                    break
                raise FetchError(f"response too large (over the {cap / 1e6:.1f} MB cap)", where=where)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(f"download took longer than {self.settings.page_deadline:g} s", where=where)
        return b"".join(chunks)


def origin_of(url: str) -> str:
    """scheme://host[:port], lowercased: robots.txt and availability are per origin."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _unavailable_error(cause: str, where: str) -> HostUnavailableError:
    return HostUnavailableError(f"{HOST_UNAVAILABLE} ({cause})", where=where)


def _check_scheme(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        what = "redirect to" if url != where else "not an http(s) URL:"
        raise FetchError(f"{what} {url!r} refused (only http and https)", where=where)


def _content_type(headers: httpx.Headers) -> tuple[str | None, str | None]:
    raw = headers.get("content-type")
    if not raw:
        return None, None
    media_type, _, params = raw.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return media_type.strip().lower() or None, charset


def _check_type(headers: httpx.Headers, accept: frozenset[str], where: str) -> None:
    media_type, _ = _content_type(headers)
    if media_type is not None and media_type not in accept:
        raise FetchError(f"not an article: content type {media_type}", where=where)


def article_from_page(page: Page) -> Article:
    """A fetched page -> Article; its source is the canonical URL when the page names one.

    <link rel="canonical"> is the page's own statement of its URL and wins; og:url (which trafilatura
    prefers) counts only without one. A canonical URL that is the site's home page names the site, not
    this article: then the page's own URL is its identity.
    """
    text = None
    if page.charset:
        try:
            text = page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            text = None  # a wrong or unknown charset label: detect it from the bytes
    if text is None:
        text = decode(page.body, page.url)
    if page.media_type in TEXT_TYPES:
        return parse_text(text, page.final_url, url=page.final_url)
    article = parse_html(text, page.final_url, url=page.final_url)
    canonical = canonical_link(text, page.final_url) or article.url or page.final_url
    canonical = urldefrag(canonical).url
    if urlsplit(canonical).scheme not in SCHEMES or is_site_root(canonical):
        canonical = page.final_url
    return Article(source=canonical, text=article.text, title=article.title, author=article.author,
                   published=article.published, site=article.site, url=canonical)


def canonical_link(html: str, base: str) -> str | None:
    """The href of the page's <link rel="canonical">, resolved against base; None without one."""
    tree = load_html(html)
    if tree is None:
        return None
    for link in tree.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = link.get("href", "").strip()
            return urljoin(base, href) if href else None
    return None


def is_site_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in SITE_ROOT_PATHS and not parts.query
