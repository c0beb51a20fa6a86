"""RSS/Atom feeds and sitemaps (already fetched bytes) -> the page URLs they list.

The bytes come from WebClient, so every request stays polite; trafilatura's sitemap and feed
helpers download on their own and drop IP or port-only hosts, so they are not used here.
The body is judged by what it is, not by its Content-Type: servers send feeds as text/plain,
text/html or application/octet-stream. A document that ends before its root element closes (a
download cut short, a generator that died) still gives the URLs it holds, and says it is incomplete.
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
# feedparser's notes that the served type is not XML or the declared charset was wrong: the body
# was still read whole, so they are not reasons to refuse it
_NOT_A_PROBLEM = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


@dataclass(frozen=True, slots=True)
class Listing:
    pages: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()  # children of a sitemap index
    incomplete: str | None = None  # why the document was not read to its end (the URLs found are kept)


def feed_urls(body: bytes, url: str) -> Listing:
    """Entry links of an RSS or Atom feed, in feed order; relative links resolved against url."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    incomplete = _cut_off(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        if incomplete and parsed.version:
            raise FetchError(f"feed is incomplete: {incomplete}", where=url)
        problem = parsed.get("bozo_exception")
        if isinstance(problem, _NOT_A_PROBLEM):
            problem = None
        reason = getattr(problem, "getMessage", lambda: "")() or "no entries"
        raise FetchError(f"not an RSS or Atom feed ({reason})", where=url)
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("rel", "alternate") == "alternate"), None)
        if link:
            links.append(urljoin(url, link.strip()))
    return Listing(tuple(_http_only(links)), incomplete=incomplete)


def sitemap_urls(body: bytes, url: str) -> Listing:
    """Page URLs of a sitemap, or child sitemaps of a sitemap index (XML, gzip or plain text)."""
    if body.startswith(_GZIP_MAGIC):
        body = _gunzip(body, url)
    stripped = body.lstrip()
    if not stripped.startswith(b"<"):
        return _text_sitemap(stripped, url)
    parser = _xml_parser()
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
    incomplete = _error_at_end(stripped, parser.error_log, root.getroottree().docinfo.encoding)
    if kind == "sitemapindex":
        return Listing((), tuple(locs), incomplete)
    return Listing(tuple(locs), incomplete=incomplete)


def _text_sitemap(body: bytes, url: str) -> Listing:
    """One URL a line (sitemaps.org's text format); text with lines but none a URL is not a sitemap."""
    lines = [line.strip() for line in body.decode("utf-8", errors="replace").splitlines()]
    urls = [line for line in lines if _TEXT_URL.match(line)]
    if not urls and any(line and not line.startswith("#") for line in lines):
        raise FetchError("not a sitemap (neither XML nor one URL a line)", where=url)
    return Listing(tuple(_http_only(urls)))


def _xml_parser() -> etree.XMLParser:
    # recover: a stray "&" or an undeclared entity in the middle does not lose the rest of the document
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _cut_off(body: bytes) -> str | None:
    """Why an XML document ends before its root element closes, or None when it is whole."""
    parser = _xml_parser()
    try:
        root = etree.fromstring(body.lstrip(), parser)
    except etree.XMLSyntaxError:
        return None  # not XML at all: the feed parser has its own say
    encoding = root.getroottree().docinfo.encoding if root is not None else None
    return _error_at_end(body.lstrip(), parser.error_log, encoding)


def _error_at_end(body: bytes, errors, encoding: str | None) -> str | None:
    """The parser error found at the very end of the input: the document was cut off there.

    An error in the middle (an undeclared &nbsp;, a mismatched tag) is recovered from and the rest is
    read; an error at the last character means the input stopped while an element was still open.
    libxml2 counts lines and columns in characters, so the end is located in the decoded text.
    """
    if not errors:
        return None
    text = body.decode(encoding or "utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n").rstrip()
    end = (text.count("\n") + 1, len(text) - text.rfind("\n") - 1)  # line and column of the last character
    for error in errors:
        if (error.line, error.column) >= end:
            return f"the document ends before its last element closes ({error.message.strip()})"
    return None


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
