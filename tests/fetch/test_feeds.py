"""Feeds and sitemaps -> page URLs: RSS, Atom, sitemap index, gzip, plain text, and what is refused."""

from __future__ import annotations

import gzip

import pytest

from pipeline.errors import FetchError
from pipeline.fetch.feeds import feed_urls, sitemap_urls
from pipeline.fetch.web import FEED_TYPES, SITEMAP_TYPES, WebClient
from tests.newssite import NewsSite

BASE = "http://127.0.0.1:8000"
SITE = NewsSite(base=BASE)


def test_rss_and_atom_from_the_site(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        rss = client.get(news_site.url("/feed.rss"), accept=FEED_TYPES)
        atom = client.get(news_site.url("/feed.atom"), accept=FEED_TYPES)
    assert feed_urls(rss.body, rss.final_url).pages == tuple(news_site.url(p) for p in (
        "/news/mistral-funding.html", "/amp/mistral-funding.html", "/flaky/helsing-round.html"))
    # Atom links are relative here: resolved against xml:base
    assert feed_urls(atom.body, atom.final_url).pages == (
        news_site.url("/news/acme-seed.html"), news_site.url("/mirror/acme-seed.html"))


def test_sitemap_index_lists_child_sitemaps(news_site, fetch_settings):
    with WebClient(fetch_settings) as client:
        index = client.get(news_site.url("/sitemap.xml"), accept=SITEMAP_TYPES)
    listing = sitemap_urls(index.body, index.final_url)
    assert listing.pages == () and listing.sitemaps == (news_site.url("/sitemap-news.xml"),)


URLSET = (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc>http://127.0.0.1:8000/a.html</loc><lastmod>2025-06-01</lastmod></url>"
          b"<url><loc> /b.html </loc></url><url><loc>ftp://127.0.0.1/c.html</loc></url>"
          b"<url><loc>http://127.0.0.1:8000/a.html</loc></url></urlset>")


@pytest.mark.parametrize(("body", "pages"), [
    (URLSET, ("http://127.0.0.1:8000/a.html", "http://127.0.0.1:8000/b.html")),
    (gzip.compress(URLSET), ("http://127.0.0.1:8000/a.html", "http://127.0.0.1:8000/b.html")),
    (b"http://127.0.0.1:8000/x.html\n# comment\nnot a url\nhttps://127.0.0.1:8000/y.html\n",
     ("http://127.0.0.1:8000/x.html", "https://127.0.0.1:8000/y.html")),
    (b"<urlset><url><loc>http://127.0.0.1:8000/legacy.html</loc></url></urlset>",
     ("http://127.0.0.1:8000/legacy.html",)),
])
def test_sitemap_forms(body, pages):
    assert sitemap_urls(body, BASE + "/sitemap.xml").pages == pages


def test_sitemap_entities_are_not_expanded():
    body = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<urlset><url><loc>http://127.0.0.1:8000/&x;</loc></url></urlset>")
    pages = sitemap_urls(body, BASE + "/sitemap.xml").pages
    assert not any("root:" in p for p in pages)


@pytest.mark.parametrize(("parse", "body", "reason"), [
    (sitemap_urls, b"<html><body>Not a sitemap</body></html>", "not a sitemap"),
    (sitemap_urls, b"\x1f\x8b\x08broken", "broken gzip"),
    (feed_urls, b"<html><body><p>Hello</p></body></html>", "not an RSS or Atom feed"),
])
def test_not_a_listing(parse, body, reason):
    with pytest.raises(FetchError, match=reason):
        parse(body, BASE + "/listing")


def _cut(text: str, keep: float) -> bytes:
    data = text.encode()
    return data[:int(len(data) * keep)]


@pytest.mark.parametrize(("parse", "body", "found"), [
    (feed_urls, _cut(SITE.rss(), 0.75), 2),  # cut after the second item: the first two are kept
    (feed_urls, SITE.rss().encode()[:-len("</rss>")], 3),  # every entry there, the root never closed
    (feed_urls, _cut(SITE.atom(), 0.8), 1),
    (sitemap_urls, _cut(SITE.sitemap(), 0.5), 3),
    (sitemap_urls, SITE.sitemap().encode()[:-3] + b"\n\n", 7),
    (sitemap_urls, gzip.compress(_cut(SITE.sitemap(), 0.5)), 3),
    (sitemap_urls, SITE.sitemap_index(["/a.xml", "/b.xml"]).encode()[:-20], 2),
])
def test_a_document_cut_off_keeps_its_urls_and_says_it_is_incomplete(parse, body, found):
    listing = parse(body, BASE + "/listing")
    assert len(listing.pages) + len(listing.sitemaps) == found
    assert listing.incomplete and "ends before its last element closes" in listing.incomplete


@pytest.mark.parametrize(("parse", "body"), [
    (feed_urls, SITE.rss().encode()),
    (feed_urls, SITE.rss().replace("Local Tech News", "Local&nbsp;Tech &amp; News").encode()),  # sloppy but whole
    (feed_urls, SITE.rss().encode() + b"\n<!-- served from cache in 3 ms -->\n"),
    (feed_urls, SITE.atom().encode()),
    (sitemap_urls, SITE.sitemap().encode() + b"\n"),
    (sitemap_urls, SITE.sitemap().replace("/missing.html", "/missing.html?a=1&b=2").encode()),  # a bare "&"
    (sitemap_urls, SITE.sitemap_index(["/a.xml"]).encode()),
])
def test_a_whole_document_is_complete(parse, body):
    assert parse(body, BASE + "/listing").incomplete is None


def test_a_feed_cut_before_its_first_entry_is_a_failure():
    with pytest.raises(FetchError, match="feed is incomplete"):
        feed_urls(_cut(SITE.rss(), 0.2), BASE + "/feed.rss")


@pytest.mark.parametrize(("path", "parse", "first"), [
    ("/as/text/feed.rss", feed_urls, "/news/mistral-funding.html"),
    ("/as/html/feed.rss", feed_urls, "/news/mistral-funding.html"),
    ("/as/octet/feed.atom", feed_urls, "/news/acme-seed.html"),
    ("/as/html/sitemap-news.xml", sitemap_urls, "/r/meta"),
    ("/as/octet/sitemap-news.xml", sitemap_urls, "/r/meta"),
])
def test_a_listing_is_read_whatever_its_content_type(news_site, fetch_settings, path, parse, first):
    with WebClient(fetch_settings) as client:
        with pytest.raises(FetchError, match="not an article: content type"):  # as a page it is refused
            client.get(news_site.url(path), accept=FEED_TYPES)
        listed = client.get(news_site.url(path), accept=FEED_TYPES, check_type=False)
    assert parse(listed.body, listed.final_url).pages[0] == news_site.url(first)


def test_text_that_lists_no_url_is_not_a_sitemap():
    with pytest.raises(FetchError, match="not a sitemap"):
        sitemap_urls(b"Service temporarily unavailable, come back later.", BASE + "/sitemap.txt")
