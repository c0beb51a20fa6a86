"""The nightly run: one at a time (a lock), logged to a file and stderr, one summary at the end."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import BusyError, NewsfactsError, StoreError
from pipeline.fetch.web import FetchStats
from pipeline.run import IN_SUMMARY, IngestSummary, ingest_configured
from pipeline.settings import Settings
from pipeline.store.db import open_engine
from pipeline.types import FailedSource
from pipeline.untrusted import shown_db

log = logging.getLogger("newsfacts")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Exit status of a run that completed but could not read a whole source (a host down, a feed or sitemap
# failed or cut off, a URL list or folder missing): EX_UNAVAILABLE from sysexits.h, so cron mails it and a
# wrapper can tell it from 1 (the run itself failed) and 75 (another run holds the lock).
SOURCES_FAILED_EXIT = 69


@dataclass
class RunReport:
    started: datetime
    seconds: float
    summary: IngestSummary
    fetch: FetchStats = field(default_factory=FetchStats)
    sources_failed: list[FailedSource] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"started": self.started.isoformat(timespec="seconds"), "seconds": round(self.seconds, 2),
                **self.summary.as_dict(), "articles_skipped": len(self.summary.skipped),
                "sources_failed": [{"source": f.source, "reason": f.reason} for f in self.sources_failed],
                **self.fetch.as_dict()}

    def line(self) -> str:
        s = self.summary
        other = f", {s.not_english} not in English (stored, not extracted)" if s.not_english else ""
        return (f"articles: {s.new} new, {s.replaced} replaced, {s.unchanged} unchanged, {s.failed} failed, "
                f"{len(s.skipped)} skipped{other}; facts new: {s.facts_new}; "
                f"contradictions new: {s.contradictions_new}; "
                f"HTTP requests: {self.fetch.requests} ({self.fetch.not_modified} not modified)")

    def page_failures(self) -> list[FailedSource]:
        """The failures that are not whole sources (those are told apart: they set the exit status)."""
        whole = {f.source for f in self.sources_failed}
        return [f for f in self.summary.failures if f.source not in whole]

    def sources_line(self) -> str | None:
        """One line naming every source that failed as a whole, or None when all could be read."""
        if not self.sources_failed:
            return None
        n = len(self.sources_failed)
        return (f"{n} source{'s' if n > 1 else ''} failed: "
                + "; ".join(f"{f.source}: {f.reason}" for f in self.sources_failed))


def nightly_run(
    settings: Settings,
    *,
    extractor=None,
    progress: Callable[[str], None] | None = None,
    stderr_level: int | None = None,
) -> RunReport:
    """Ingest every configured source under the lock; page failures are recorded, not raised.

    Raises BusyError when another run holds the lock, and StoreError (or any bug) when the run
    itself cannot go on: only those make the CLI exit non-zero.
    """
    lock = FileLock(settings.lock_file, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise BusyError("another newsfacts run is in progress (lock held); this run did nothing",
                        where=str(settings.lock_file)) from None
    except OSError as exc:
        raise StoreError(f"cannot create the lock file: {exc.strerror or exc}",
                         where=str(settings.lock_file)) from exc
    try:
        with run_logging(settings.log_file, stderr_level):
            started, clock = datetime.now(UTC), time.monotonic()
            log.info("run started (db %s)", shown_db(settings.db))
            try:
                if settings.cluster:  # before open_engine: a refused SQLite path is not created
                    from pipeline.cluster import require_postgres
                    require_postgres(settings.db)
                engine = open_engine(settings.db)
                try:
                    # loaded under the lock: a busy run exits without loading spaCy (a cluster's workers load it)
                    if extractor is None and not settings.cluster:
                        from pipeline.nlp.extract import Extractor
                        extractor = Extractor()
                    summary, stats, failed = ingest_configured(engine, settings, extractor=extractor,
                                                               progress=progress)
                finally:
                    engine.dispose()
            except Exception as exc:
                # a NewsfactsError is the caller's one line to print; anything else is a bug, traceback and all
                expected = isinstance(exc, NewsfactsError)
                log.error("run failed: %s", exc, exc_info=not expected, extra={IN_SUMMARY: expected})
                raise
            report = RunReport(started, time.monotonic() - clock, summary, stats, failed)
            log.info("run finished in %.1f s: %s", report.seconds, report.line())
            if report.sources_line():  # the caller prints it: kept off stderr here
                log.warning("%s", report.sources_line(), extra={IN_SUMMARY: True})
            return report
    finally:
        lock.release()


@contextmanager
def run_logging(log_file: Path | None, stderr_level: int | None = None) -> Iterator[None]:
    """INFO and up to the log file; stderr keeps the CLI's level unless stderr_level is given.

    Page failures go to the log file only: the run's summary lists them, once.
    """
    added: list[logging.Handler] = []
    root = logging.getLogger()
    old_levels = [(h, h.level) for h in root.handlers]
    old_level = log.level
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot open the log file: {exc.strerror or exc}", where=str(log_file)) from exc
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.setLevel(logging.INFO)
        log.addHandler(handler)
        added.append(handler)
        log.setLevel(logging.INFO)
    # the file gets INFO; without this, those records would also reach the root (stderr) handlers
    stderr = stderr_level if stderr_level is not None else root.getEffectiveLevel()
    for h, _ in old_levels:
        h.setLevel(stderr)
        h.addFilter(_not_in_summary)
    try:
        yield
    finally:
        for handler in added:
            log.removeHandler(handler)
            handler.close()
        for h, level in old_levels:
            h.setLevel(level)
            h.removeFilter(_not_in_summary)
        log.setLevel(old_level)


def _not_in_summary(record: logging.LogRecord) -> bool:
    return not getattr(record, IN_SUMMARY, False)
