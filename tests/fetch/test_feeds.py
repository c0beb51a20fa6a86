"""Feeds and sitemaps -> page URLs: RSS, Atom, sitemap index, gzip, plain text, and what is refused."""

from __future__ import annotations

import gzip

import pytest

from pipeline.errors import FetchError
from pipeline.fetch.feeds import feed_urls, sitemap_urls
from pipeline.fetch.web import FEED_TYPES, SITEMAP_TYPES, WebClient

BASE = "http://127.0.0.1:8000"


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
