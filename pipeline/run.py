"""Orchestration: fetch -> nlp -> store/reconcile, one transaction per article, explicit error policy."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pipeline.errors import FetchError, Interrupted
from pipeline.fetch.feeds import feed_urls, sitemap_urls
from pipeline.fetch.folder import check_input, fetch_folder
from pipeline.fetch.language import ENGLISH
from pipeline.fetch.web import (
    FEED_TYPES,
    PAGE_TYPES,
    SITEMAP_TYPES,
    FetchStats,
    NotModified,
    WebClient,
    article_from_page,
)
from pipeline.settings import FetchSettings, Settings, Sources
from pipeline.store.db import database_errors, engine_name
from pipeline.store.models import ArticleRow
from pipeline.store.urls import failed_urls, save_url_states, stored_hashes, url_state
from pipeline.store.writer import reconcile_topics, record_failure, save_article
from pipeline.types import Article, FailedSource, SkippedSource, UnchangedSource, UrlState, content_hash

log = logging.getLogger("newsfacts")

ErrorPolicy = Literal["record", "raise"]


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    not_english: int = 0  # stored with their language, not extracted
    facts_new: int = 0
    contradictions_new: int = 0
    failures: list[FailedSource] = field(default_factory=list)
    skipped: list[SkippedSource] = field(default_factory=list)  # not article files: listed, not read

    @property
    def seen(self) -> int:
        return self.new + self.unchanged + self.replaced + self.failed

    def as_dict(self) -> dict:
        return {"articles_new": self.new, "articles_unchanged": self.unchanged,
                "articles_replaced": self.replaced, "articles_failed": self.failed,
                "articles_not_english": self.not_english,
                "facts_new": self.facts_new, "contradictions_new": self.contradictions_new,
                "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
                "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped]}

    def line(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        other = f" ({self.not_english} not in English: stored, not extracted)" if self.not_english else ""
        return (f"articles: {self.new} new, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{self.failed} failed{skipped}{other}; facts new: {self.facts_new}; "
                f"contradictions new: {self.contradictions_new}")


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the run like an error: the article being written is rolled back, every one before it kept,
    worker processes stopped. Without it Python dies at once and leaves its workers running."""
    def stop(signum, frame):
        raise _Terminated  # a BaseException, as KeyboardInterrupt: SQLAlchemy passes it through unwrapped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except _Terminated:
        raise Interrupted("stopped by SIGTERM: every article stored before it is kept; run the same command "
                          "again to finish") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds like KeyboardInterrupt (transactions roll back), then becomes Interrupted."""


def known_hashes(engine: Engine) -> set[str]:
    with database_errors(engine_name(engine)), Session(engine) as s:
        return set(s.scalars(select(ArticleRow.content_hash)))


def ingest_items(
    engine: Engine,
    items: Iterable[Article | FailedSource | SkippedSource | UnchangedSource],
    *,
    extractor=None,
    on_error: ErrorPolicy = "record",
    progress: Callable[[str], None] | None = None,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Store every article not seen before; record every failure; the run goes on."""
    from pipeline.nlp.extract import Extractor

    summary = summary or IngestSummary()
    extractor = extractor or Extractor()
    seen = known_hashes(engine)

    def fresh() -> Iterator[Article]:
        for item in items:
            if progress:
                progress(item.source)
            if isinstance(item, FailedSource):
                _record(engine, item, summary, on_error)
                continue
            if isinstance(item, UnchangedSource):
                summary.unchanged += 1
                continue
            if isinstance(item, SkippedSource):
                log.info("%s: skipped: %s", item.source, item.reason)
                summary.skipped.append(item)
                continue
            if item.content_hash in seen:
                summary.unchanged += 1
                continue
            seen.add(item.content_hash)
            yield item

    for article, extraction in extractor.extract_many(fresh()):
        with database_errors(engine_name(engine), article.source), Session(engine) as session, session.begin():
            saved = save_article(session, article, extraction)
            result = reconcile_topics(session, saved.topics, saved.previous)
        if saved.status == "unchanged":
            summary.unchanged += 1
        elif saved.status == "replaced":
            summary.replaced += 1
        else:
            summary.new += 1
        if saved.status != "unchanged" and extraction.language != ENGLISH:
            summary.not_english += 1
        summary.facts_new += result.facts_new
        summary.contradictions_new += result.contradictions_new
        log.info("%s: %s (%d claims)", article.source, saved.status, len(extraction.claims))
    return summary


def _record(engine: Engine, failure: FailedSource, summary: IngestSummary, on_error: ErrorPolicy) -> None:
    if on_error == "raise":
        raise FetchError(failure.reason, where=failure.source)
    log.warning("%s: failed: %s", failure.source, failure.reason)
    with database_errors(engine_name(engine), failure.source), Session(engine) as session, session.begin():
        record_failure(session, failure)
    summary.failed += 1
    summary.failures.append(failure)


def ingest_paths(engine: Engine, paths: Iterable[Path], **kwargs) -> IngestSummary:
    def items() -> Iterator[Article | FailedSource | SkippedSource]:
        for path in paths:
            yield from fetch_folder(path)

    return ingest_items(engine, items(), **kwargs)


class WebCrawl:
    """Pages listed by URL lists, feeds and sitemaps, fetched conditionally, one article per canonical URL.

    URL states (validators, content hash) are written when the run completes, and only for pages whose
    article is in the database: an interrupted run re-downloads next time instead of missing a page.
    """

    def __init__(self, engine: Engine, client: WebClient, settings: FetchSettings) -> None:
        self.engine, self.client, self.settings = engine, client, settings
        # pages fetched in this run, each with the content hash of the article that stands for it
        self.pending: list[tuple[UrlState, str]] = []
        self.listings: list[UrlState] = []  # feeds and sitemaps read in this run
        self._hashes: set[str] = set()
        self._sources: dict[str, str] = {}  # article source (canonical URL) -> content hash

    def items(self, sources: Sources) -> Iterator[Article | FailedSource | UnchangedSource]:
        done: set[str] = set()
        for url in self._page_urls(sources):
            if isinstance(url, FailedSource):
                yield url
            elif url not in done:
                done.add(url)
                yield self._page(url)

    def finish(self) -> None:
        with Session(self.engine) as session, session.begin():
            stored = stored_hashes(session, (h for _, h in self.pending))
            save_url_states(session, [s for s, h in self.pending if h in stored] + self.listings)

    def _page_urls(self, sources: Sources) -> Iterator[str | FailedSource]:
        yield from sources.urls
        for path in sources.url_lists:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                yield FailedSource(str(path), f"cannot read URL list: {exc}")
                continue
            yield from (u for line in lines if (u := line.split("#", 1)[0].strip()))
        for feed in sources.feeds:
            yield from self._listing(feed, FEED_TYPES, feed_urls)
        for sitemap in sources.sitemaps:
            yield from self._sitemap(sitemap)
        listings = set(sources.feeds) | set(sources.sitemaps) | {s.url for s in self.listings}
        with Session(self.engine) as session:
            retry = failed_urls(session, self.settings.retry_failed_runs)
        yield from (u for u in retry if u not in listings)

    def _sitemap(self, url: str) -> Iterator[str | FailedSource]:
        queue, seen, budget = [url], set(), self.settings.max_urls_per_listing
        while queue and budget > 0:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            for item in self._listing(current, SITEMAP_TYPES, sitemap_urls, children=queue):
                if isinstance(item, str):
                    budget -= 1
                    if budget < 0:
                        break
                yield item

    def _listing(self, url: str, accept: frozenset[str], parse, children: list[str] | None = None
                 ) -> Iterator[str | FailedSource]:
        """A feed or sitemap read conditionally: unchanged since the last run, it lists nothing new."""
        with Session(self.engine) as session:
            state = url_state(session, url)
        try:
            result = self.client.get(url, accept=accept, validators=state)
            if isinstance(result, NotModified):
                log.info("%s: not modified", url)
                return
            listing = parse(result.body, result.final_url)
        except FetchError as exc:
            yield FailedSource(url, exc.reason)
            return
        self.listings.append(result.state(content_hash(result.body.decode("utf-8", errors="replace"))))
        if children is not None:
            children.extend(listing.sitemaps)
        log.info("%s: %d pages listed", url, len(listing.pages))
        yield from listing.pages[:self.settings.max_urls_per_listing]

    def _page(self, url: str) -> Article | FailedSource | UnchangedSource:
        with Session(self.engine) as session:
            state = url_state(session, url)
        try:
            result = self.client.get(url, accept=PAGE_TYPES, validators=state)
            if isinstance(result, NotModified):
                return UnchangedSource(url)
            article = article_from_page(result)
        except FetchError as exc:
            return FailedSource(url, exc.reason)
        state = result.state(article.content_hash)
        if article.source in self._sources:  # another URL of an article already seen in this run
            log.info("%s: same article as %s", url, article.source)
            self.pending.append((state, self._sources[article.source]))
            return UnchangedSource(url)
        self.pending.append((state, article.content_hash))
        if article.content_hash in self._hashes:
            log.info("%s: same text as an article already seen", url)
            return UnchangedSource(url)
        self._hashes.add(article.content_hash)
        self._sources[article.source] = article.content_hash
        return article


def ingest_configured(
    engine: Engine,
    settings: Settings,
    *,
    extractor=None,
    on_error: ErrorPolicy = "record",
    progress: Callable[[str], None] | None = None,
    client: WebClient | None = None,
) -> tuple[IngestSummary, FetchStats]:
    """Every configured source: folders, then URL lists, feeds and sitemaps through one polite client."""
    sources = settings.sources
    with client or WebClient(settings.fetch) as web:
        crawl = WebCrawl(engine, web, settings.fetch)

        def items() -> Iterator[Article | FailedSource | UnchangedSource]:
            for folder in sources.folders:
                try:
                    check_input(folder)
                except FetchError as exc:
                    yield FailedSource(exc.where or str(folder), exc.reason)
                    continue
                yield from fetch_folder(folder)
            yield from crawl.items(sources)

        summary = ingest_items(engine, items(), extractor=extractor, on_error=on_error, progress=progress)
        crawl.finish()
        return summary, web.stats
