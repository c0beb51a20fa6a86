"""Orchestration: fetch -> nlp -> store/reconcile, one transaction per article, explicit error policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pipeline.errors import FetchError, StoreError
from pipeline.fetch.folder import fetch_folder
from pipeline.store.models import ArticleRow
from pipeline.store.writer import reconcile_topics, record_failure, save_article
from pipeline.types import Article, FailedSource

log = logging.getLogger("newsfacts")

ErrorPolicy = Literal["record", "raise"]


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    facts_new: int = 0
    contradictions_new: int = 0
    failures: list[FailedSource] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.new + self.unchanged + self.replaced + self.failed

    def as_dict(self) -> dict:
        return {"articles_new": self.new, "articles_unchanged": self.unchanged,
                "articles_replaced": self.replaced, "articles_failed": self.failed,
                "facts_new": self.facts_new, "contradictions_new": self.contradictions_new,
                "failures": [{"source": f.source, "reason": f.reason} for f in self.failures]}


def known_hashes(engine: Engine) -> set[str]:
    with Session(engine) as s:
        return set(s.scalars(select(ArticleRow.content_hash)))


def ingest_items(
    engine: Engine,
    items: Iterable[Article | FailedSource],
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
            if item.content_hash in seen:
                summary.unchanged += 1
                continue
            seen.add(item.content_hash)
            yield item

    for article, extraction in extractor.extract_many(fresh()):
        try:
            with Session(engine) as session, session.begin():
                saved = save_article(session, article, extraction)
                result = reconcile_topics(session, saved.topics)
        except OperationalError as exc:
            raise StoreError(f"database write failed: {exc.orig}", where=article.source) from exc
        if saved.status == "unchanged":
            summary.unchanged += 1
        elif saved.status == "replaced":
            summary.replaced += 1
        else:
            summary.new += 1
        summary.facts_new += result.facts_new
        summary.contradictions_new += result.contradictions_new
        log.info("%s: %s (%d claims)", article.source, saved.status, len(extraction.claims))
    return summary


def _record(engine: Engine, failure: FailedSource, summary: IngestSummary, on_error: ErrorPolicy) -> None:
    if on_error == "raise":
        raise FetchError(failure.reason, where=failure.source)
    log.warning("%s: failed: %s", failure.source, failure.reason)
    with Session(engine) as session, session.begin():
        record_failure(session, failure)
    summary.failed += 1
    summary.failures.append(failure)


def ingest_paths(engine: Engine, paths: Iterable[Path], **kwargs) -> IngestSummary:
    def items() -> Iterator[Article | FailedSource]:
        for path in paths:
            yield from fetch_folder(path)

    return ingest_items(engine, items(), **kwargs)
