"""Orchestration: fetch -> nlp -> store/reconcile, one transaction per article, explicit error policy."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pipeline.crawl import WebCrawl
from pipeline.errors import FetchError, Interrupted
from pipeline.fetch.folder import check_input, fetch_folder, iter_paths
from pipeline.fetch.language import ENGLISH
from pipeline.fetch.web import FetchStats, WebClient
from pipeline.settings import FetchSettings, Settings
from pipeline.store.db import database_errors, engine_name
from pipeline.store.models import ArticleRow
from pipeline.store.writer import reconcile_topics, record_failure, save_article, writing_collector
from pipeline.types import Article, FailedSource, SkippedSource, UnchangedSource
from pipeline.untrusted import path_text

log = logging.getLogger("newsfacts")

ErrorPolicy = Literal["record", "raise"]
# Log records flagged with this attribute repeat what the caller prints in its summary: stderr may drop them.
IN_SUMMARY = "in_summary"


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
    # left alone on purpose, with why: files that are not articles (hidden, other types), pages robots.txt
    # refuses; listed, never failed, never retried
    skipped: list[SkippedSource] = field(default_factory=list)

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
    received: list[int] = []
    resends: list[threading.Timer] = []

    def stop(signum, frame):
        received.append(signum)
        raise _Terminated  # a BaseException, as KeyboardInterrupt: SQLAlchemy passes it through unwrapped

    def swallowed(unraisable) -> None:
        """Python swallows what is raised in a finalizer or a weakref callback ("Exception ignored in ...", a
        traceback on stderr): SIGTERM's exception raised there is sent again, to the main thread, a moment later."""
        if not isinstance(unraisable.exc_value, _Terminated):
            previous_hook(unraisable)
            return
        resends.append(threading.Timer(SIGTERM_RESEND_S, signal.pthread_kill,
                                       (threading.main_thread().ident, signal.SIGTERM)))
        resends[-1].start()

    previous = signal.signal(signal.SIGTERM, stop)
    previous_hook, sys.unraisablehook = sys.unraisablehook, swallowed
    try:
        yield
    except BaseException as exc:
        if not _terminated(exc):
            raise
        # also an error of the clean-up the signal interrupted (a rollback on a connection it invalidated)
        raise Interrupted(STOPPED_BY_SIGTERM) from None
    finally:
        for timer in resends:
            timer.cancel()
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGTERM, previous)
    if received:
        raise Interrupted(STOPPED_BY_SIGTERM)  # the run got to its end before a resent signal: still stopped


# How long after a signal whose exception a finalizer swallowed it is sent again.
SIGTERM_RESEND_S = 0.05


STOPPED_BY_SIGTERM = "stopped by SIGTERM: every article stored before it is kept; run the same command again to finish"


def _terminated(exc: BaseException | None) -> bool:
    """The exception is SIGTERM's, or was raised while unwinding from it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, _Terminated):
            return True
        seen.add(id(exc))
        exc = exc.__context__
    return False


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds like KeyboardInterrupt (transactions roll back), then becomes Interrupted."""


def known_hashes(engine: Engine) -> set[str]:
    with database_errors(engine_name(engine)), Session(engine) as s:
        return set(s.scalars(select(ArticleRow.content_hash)))


def ingest_items(
    engine: Engine,
    items: Iterable[Article | FailedSource | UnchangedSource | SkippedSource],
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
    fresh = triage(engine, items, summary, on_error, progress, seen=known_hashes(engine))
    with writing_collector():
        for article, extraction in extractor.extract_many(fresh):
            store_extraction(engine, article, extraction, summary)
    return summary


def triage(engine: Engine, items: Iterable, summary: IngestSummary, on_error: ErrorPolicy,
           progress: Callable[[str], None] | None, seen: set[str]) -> Iterator:
    """The items still to extract: failures are recorded, what is skipped or known counted; anything that is
    not a FailedSource, UnchangedSource, SkippedSource or Article (a file for a cluster worker) passes."""
    for item in items:
        if progress:
            progress(path_text(item) if isinstance(item, Path) else item.source)
        if isinstance(item, FailedSource):
            record_failed(engine, item, summary, on_error)
            continue
        if isinstance(item, UnchangedSource):
            summary.unchanged += 1
            continue
        if isinstance(item, SkippedSource):
            log.info("%s: skipped: %s", item.source, item.reason)
            summary.skipped.append(item)
            continue
        if isinstance(item, Article):
            if item.content_hash in seen:
                summary.unchanged += 1
                continue
            seen.add(item.content_hash)
        yield item


def store_extraction(engine: Engine, article: Article, extraction, summary: IngestSummary) -> None:
    """One article in its own transaction (save, then reconcile the topics it touched), counted in summary."""
    with database_errors(engine_name(engine), article.source), Session(engine) as session, session.begin():
        saved = save_article(session, article, extraction)
        result = reconcile_topics(session, saved.topics, saved.previous, saved.groups)
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


def record_failed(engine: Engine, failure: FailedSource, summary: IngestSummary, on_error: ErrorPolicy) -> None:
    if on_error == "raise":
        raise FetchError(failure.reason, where=failure.source)
    # the summary lists each failure: a caller printing it can keep this record off the console
    log.warning("%s: failed: %s", failure.source, failure.reason, extra={IN_SUMMARY: True})
    with database_errors(engine_name(engine), failure.source), Session(engine) as session, session.begin():
        record_failure(session, failure)
    summary.failed += 1
    summary.failures.append(failure)


def ingest_paths(engine: Engine, paths: Iterable[Path], **kwargs) -> IngestSummary:
    def items() -> Iterator[Article | FailedSource | SkippedSource]:
        for path in paths:
            yield from fetch_folder(path)

    return ingest_items(engine, items(), **kwargs)


def ingest_configured(
    engine: Engine,
    settings: Settings,
    *,
    extractor=None,
    on_error: ErrorPolicy = "record",
    progress: Callable[[str], None] | None = None,
    client: WebClient | None = None,
) -> tuple[IngestSummary, FetchStats, list[FailedSource]]:
    """Every configured source: folders, then URL lists, feeds and sitemaps through one polite client.

    Returns the summary, the HTTP counts, and the sources that failed as a whole (a missing folder, an
    unreadable URL list, a feed or sitemap not read completely, a host that was down).
    """
    sources = settings.sources
    if (sources.urls or sources.url_lists or sources.feeds or sources.sitemaps) and not contact_set(settings.fetch):
        log.warning("[fetch] contact is not set: the sites crawled cannot tell who to write to (User-Agent "
                    "newsfacts/<version> (+contact)); set it in the config file")
    missing: list[FailedSource] = []
    with client or WebClient(settings.fetch) as web:
        crawl = WebCrawl(engine, web, settings.fetch)

        def items() -> Iterator[Article | FailedSource | UnchangedSource | SkippedSource]:
            for folder in sources.folders:
                try:
                    check_input(folder)
                except FetchError as exc:
                    missing.append(FailedSource(exc.where or str(folder), exc.reason))
                    yield missing[-1]
                    continue
                # with a cluster, the workers read the files
                yield from iter_paths(folder) if settings.cluster else fetch_folder(folder)
            yield from crawl.items(sources)

        if settings.cluster:
            from pipeline.cluster import ingest_on_cluster

            summary = ingest_on_cluster(engine, items(), cluster=settings.cluster, on_error=on_error,
                                        progress=progress)
        else:
            summary = ingest_items(engine, items(), extractor=extractor, on_error=on_error, progress=progress)
        crawl.finish()
        return summary, web.stats, missing + crawl.failed_sources()


def contact_set(settings: FetchSettings) -> bool:
    return settings.contact != FetchSettings().contact
