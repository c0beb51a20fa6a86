"""RSS/Atom feeds and sitemaps (already fetched bytes) -> the page URLs they list.

The bytes come from WebClient, so every request stays polite; trafilatura's sitemap and feed
helpers download on their own and drop IP or port-only hosts, so they are not used here.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from pipeline.errors import FetchError

# A sitemap file holds at most 50,000 URLs and 50 MB uncompressed (sitemaps.org protocol).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_TEXT_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Listing:
    pages: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()  # children of a sitemap index


def feed_urls(body: bytes, url: str) -> Listing:
    """Entry links of an RSS or Atom feed, in feed order; relative links resolved against url."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or "no entries"
        raise FetchError(f"not an RSS or Atom feed ({reason})", where=url)
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("rel", "alternate") == "alternate"), None)
        if link:
            links.append(urljoin(url, link.strip()))
    return Listing(tuple(_http_only(links)))


def sitemap_urls(body: bytes, url: str) -> Listing:
    """Page URLs of a sitemap, or child sitemaps of a sitemap index (XML, gzip or plain text)."""
    if body.startswith(_GZIP_MAGIC):
        body = _gunzip(body, url)
    stripped = body.lstrip()
    if not stripped.startswith(b"<"):
        text = stripped.decode("utf-8", errors="replace")
        return Listing(tuple(_http_only(line.strip() for line in text.splitlines() if _TEXT_URL.match(line.strip()))))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(stripped, parser)
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"sitemap is not XML: {exc}", where=url) from exc
    if root is None:
        raise FetchError("sitemap is empty or not XML", where=url)
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise FetchError(f"not a sitemap (root element <{kind}>)", where=url)
    locs = [urljoin(url, (el.text or "").strip()) for el in root.iter("{*}loc") if (el.text or "").strip()]
    locs = _http_only(locs)
    return Listing((), tuple(locs)) if kind == "sitemapindex" else Listing(tuple(locs))


def _gunzip(body: bytes, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FetchError(f"broken gzip: {exc}", where=url) from exc
    if len(out) > MAX_SITEMAP_BYTES:
        raise FetchError("sitemap larger than 50 MB uncompressed", where=url)
    return out


def _http_only(urls) -> list[str]:
    return list(dict.fromkeys(u for u in urls if urlsplit(u).scheme in ("http", "https")))
