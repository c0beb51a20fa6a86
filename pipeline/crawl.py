"""The web part of a configured run: feeds and sitemaps walked, pages fetched conditionally, one article each."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from urllib.parse import urldefrag

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from trafilatura.deduplication import Simhash

from pipeline.errors import FetchError, RobotsDisallowedError
from pipeline.fetch.feeds import Listing, feed_urls, sitemap_urls
from pipeline.fetch.web import (
    FEED_TYPES,
    HOST_UNAVAILABLE,
    PAGE_TYPES,
    SITEMAP_TYPES,
    NotModified,
    Page,
    WebClient,
    article_from_page,
    origin_of,
)
from pipeline.settings import FetchSettings, Sources
from pipeline.store.urls import (
    article_at,
    clear_failures,
    failed_urls,
    fingerprint,
    forget_url_states,
    save_fingerprints,
    save_listings,
    save_url_states,
    stored_hashes,
    url_state,
)
from pipeline.types import Article, FailedSource, SkippedSource, UnchangedSource, UrlState, content_hash

log = logging.getLogger("newsfacts")

# Two texts whose simhashes (trafilatura's, 64 bits) agree on at least this share of bits are one article
# under two URLs. Measured on the test site and corpus/: an AMP copy with one extra paragraph 0.95, an
# article with its numbers edited 0.98; different reports of the same funding round 0.78 at most, any two
# different articles 0.59 on average.
SAME_ARTICLE_SIMILARITY = 0.9

Item = Article | FailedSource | UnchangedSource | SkippedSource


@dataclasses.dataclass(frozen=True, slots=True)
class _Claim:
    """The text that holds an identity (a canonical URL) in this run."""

    content_hash: str
    simhash: Simhash


def _same_text(claim: _Claim, text_hash: str, simhash: Simhash) -> bool:
    return claim.content_hash == text_hash or claim.simhash.similarity(simhash) >= SAME_ARTICLE_SIMILARITY


class WebCrawl:
    """Pages listed by URL lists, feeds and sitemaps, fetched conditionally, one article per identity.

    URL states (validators, content hash) are written when the run completes, and only for pages whose
    article is in the database and for feeds and sitemaps read whole, with every child sitemap: an
    interrupted run re-downloads next time instead of missing a page, and a 304 on a sitemap index never
    hides a child sitemap that could not be read.
    """

    def __init__(self, engine: Engine, client: WebClient, settings: FetchSettings) -> None:
        self.engine, self.client, self.settings = engine, client, settings
        # pages fetched in this run, each with the content hash of the article that stands for it
        self.pending: list[tuple[UrlState, str]] = []
        self.source_failures: list[FailedSource] = []  # URL lists, feeds and sitemaps that failed
        self._listing_kinds: dict[str, str] = {}  # every feed or sitemap asked for in this run
        self._listing_states: dict[str, UrlState] = {}  # ... and read whole
        self._parents: dict[str, str] = {}  # child sitemap -> its sitemap index
        self._withheld: set[str] = set()  # listings not read whole, with their parents: no state kept
        self._skipped: list[str] = []  # pages robots.txt disallows
        self._hashes: set[str] = set()
        self._claims: dict[str, _Claim] = {}  # article identity -> the text holding it in this run
        self._shared: set[str] = set()  # canonical URLs named by different texts: no one's identity
        self._fingerprints: dict[str, str] = {}  # content hash -> simhash (hex) of articles read

    def items(self, sources: Sources) -> Iterator[Item]:
        done: set[str] = set()
        for url in self._page_urls(sources):
            if isinstance(url, FailedSource):
                yield url
                continue
            url = urldefrag(url).url  # "#comments" is the same page
            if url not in done:
                done.add(url)
                yield self._page(url)

    def finish(self) -> None:
        with Session(self.engine) as session, session.begin():
            stored = stored_hashes(session, (h for _, h in self.pending))
            states = [s for s, h in self.pending if h in stored]
            states += [s for url, s in self._listing_states.items() if url not in self._withheld]
            save_url_states(session, states)
            forget_url_states(session, self._withheld)
            save_listings(session, self._listing_kinds)
            clear_failures(session, self._skipped)
            save_fingerprints(session, {h: f for h, f in self._fingerprints.items() if h in stored})

    def failed_sources(self) -> list[FailedSource]:
        """What failed as a whole: URL lists, feeds and sitemaps, and hosts that were down."""
        failed = list(self.source_failures)
        reported = {origin_of(f.source) for f in failed if f.reason.startswith(HOST_UNAVAILABLE)}
        failed += [FailedSource(origin, f"{HOST_UNAVAILABLE} ({cause})")
                   for origin, cause in self.client.unavailable.items() if origin not in reported]
        return failed

    def _page_urls(self, sources: Sources) -> Iterator[str | FailedSource]:
        yield from sources.urls
        for path in sources.url_lists:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                yield self._source_failed(str(path), f"cannot read URL list: {exc}")
                continue
            yield from (u for line in lines if (u := line.split("#", 1)[0].strip()))
        for feed in sources.feeds:
            yield from self._listing(urldefrag(feed).url, "feed", feed_urls)
        for sitemap in sources.sitemaps:
            yield from self._sitemap(urldefrag(sitemap).url)
        with Session(self.engine) as session:
            retry = failed_urls(session, self.settings.retry_failed_runs)
        yield from (u for u in retry if u not in self._listing_kinds)

    def _sitemap(self, url: str) -> Iterator[str | FailedSource]:
        queue, budget = [url], self.settings.max_urls_per_listing
        while queue and budget > 0:
            current = queue.pop(0)
            if current in self._listing_kinds:
                continue
            children: list[str] = []
            for item in self._listing(current, "sitemap", sitemap_urls, children):
                if isinstance(item, str):
                    budget -= 1
                    if budget < 0:
                        break
                yield item
            for child in children:
                child = urldefrag(child).url
                self._parents.setdefault(child, current)
                queue.append(child)

    def _listing(self, url: str, kind: str, parse: Callable[[bytes, str], Listing],
                 children: list[str] | None = None) -> Iterator[str | FailedSource]:
        """A feed or sitemap read conditionally: unchanged since it was last read whole, it lists nothing new."""
        self._listing_kinds[url] = kind
        with Session(self.engine) as session:
            state = url_state(session, url)
        try:
            # whatever the server calls it, the body decides: feeds come as text/plain or text/html too
            result = self.client.get(url, accept=FEED_TYPES if kind == "feed" else SITEMAP_TYPES,
                                     validators=state, check_type=False)
        except FetchError as exc:
            yield self._listing_failed(url, exc.reason)
            return
        if isinstance(result, NotModified):
            log.info("%s: not modified", url)
            return
        try:
            listing = parse(result.body, result.final_url)
        except FetchError as exc:
            yield self._listing_failed(url, f"{exc.reason} (served as {result.media_type or 'no content type'})")
            return
        if listing.incomplete:
            found = len(listing.pages) + len(listing.sitemaps)
            yield self._listing_failed(url, f"{kind} incomplete: {listing.incomplete}; the {found} URLs it lists "
                                            f"were used, it is read again next run")
        else:
            self._listing_states[url] = result.state(content_hash(result.body.decode("utf-8", errors="replace")))
        if children is not None:
            children.extend(listing.sitemaps)
        log.info("%s: %d pages listed", url, len(listing.pages))
        yield from listing.pages[:self.settings.max_urls_per_listing]

    def _listing_failed(self, url: str, reason: str) -> FailedSource:
        """Nothing of it, nor of the sitemap indexes above it, counts as seen: all are read whole next run."""
        node: str | None = url
        while node is not None and node not in self._withheld:
            self._withheld.add(node)
            node = self._parents.get(node)
        return self._source_failed(url, reason)

    def _source_failed(self, source: str, reason: str) -> FailedSource:
        failure = FailedSource(source, reason)
        self.source_failures.append(failure)
        return failure

    def _page(self, url: str) -> Item:
        with Session(self.engine) as session:
            state = url_state(session, url)
        try:
            result = self.client.get(url, accept=PAGE_TYPES, validators=state)
            if isinstance(result, NotModified):
                return UnchangedSource(url)
            article = article_from_page(result)
        except RobotsDisallowedError as exc:
            self._skipped.append(url)
            return SkippedSource(url, exc.reason)
        except FetchError as exc:
            return FailedSource(url, exc.reason)
        simhash = Simhash(article.text)
        article, copy_of = self._identify(url, result, article, simhash)
        if copy_of is not None:  # another URL of an article already read in this run
            log.info("%s: same article as %s", url, article.source)
            self.pending.append((result.state(article.content_hash), copy_of))
            return UnchangedSource(url)
        self.pending.append((result.state(article.content_hash), article.content_hash))
        if article.content_hash in self._hashes:
            log.info("%s: same text as an article already seen", url)
            return UnchangedSource(url)
        self._hashes.add(article.content_hash)
        self._claims[article.source] = _Claim(article.content_hash, simhash)
        self._fingerprints[article.content_hash] = simhash.to_hex()
        return article

    def _identify(self, url: str, page: Page, article: Article, simhash: Simhash) -> tuple[Article, str | None]:
        """The article's identity, and the content hash of the stored or read article it is a copy of.

        A canonical URL other than the page's own stands for the article only while no different text
        claims it (in this run or in the database): several articles naming one URL (a section page, a
        template's default) are told apart by their text, and a near-identical text (an AMP copy) is a copy
        of the article there. A page's own URL is always its identity; if another text took it earlier in
        this run, this page replaces it, and that text is stored under its own URL on the next run (its URL
        state was not kept, as its article was replaced).
        """
        own = page.final_url
        if article.source != own:
            holds, copy_of = self._canonical_holds(article.source, url, article, simhash)
            if copy_of is not None:
                return article, copy_of
            if not holds:
                log.info("%s: its canonical URL %s names different texts; its own URL is its identity",
                         url, article.source)
                article = dataclasses.replace(article, source=own, url=own)
        claim = self._claims.get(article.source)
        if claim is None:
            return article, None
        if _same_text(claim, article.content_hash, simhash):
            return article, claim.content_hash
        self._shared.add(article.source)
        return article, None

    def _canonical_holds(self, canonical: str, url: str, article: Article, simhash: Simhash
                         ) -> tuple[bool, str | None]:
        """Whether canonical may name this article, and the hash of the article there it is a copy of."""
        if canonical in self._shared:
            return False, None
        claim = self._claims.get(canonical)
        if claim is not None:
            if _same_text(claim, article.content_hash, simhash):
                return True, claim.content_hash
            self._shared.add(canonical)
            return False, None
        with Session(self.engine) as session:
            stored = article_at(session, canonical)
            if stored is None or stored == article.content_hash:
                return True, None
            state = url_state(session, url)
            if state is not None and state.content_hash == stored:
                return True, None  # this URL stood for that article before: the article was edited
            known = fingerprint(session, stored)
        if known is not None and Simhash(existing_hash=known).similarity(simhash) >= SAME_ARTICLE_SIMILARITY:
            return True, stored
        self._shared.add(canonical)
        return False, None
