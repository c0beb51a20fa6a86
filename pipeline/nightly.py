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

from pipeline.errors import BusyError, StoreError
from pipeline.fetch.web import FetchStats
from pipeline.run import IngestSummary, ingest_configured
from pipeline.settings import Settings
from pipeline.store.db import open_engine
from pipeline.untrusted import shown_db

log = logging.getLogger("newsfacts")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass
class RunReport:
    started: datetime
    seconds: float
    summary: IngestSummary
    fetch: FetchStats = field(default_factory=FetchStats)

    def as_dict(self) -> dict:
        return {"started": self.started.isoformat(timespec="seconds"), "seconds": round(self.seconds, 2),
                **self.summary.as_dict(), **self.fetch.as_dict()}

    def line(self) -> str:
        s = self.summary
        return (f"articles: {s.new} new, {s.replaced} replaced, {s.unchanged} unchanged, {s.failed} failed; "
                f"facts new: {s.facts_new}; contradictions new: {s.contradictions_new}; "
                f"HTTP requests: {self.fetch.requests} ({self.fetch.not_modified} not modified)")


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
                engine = open_engine(settings.db)
                try:
                    if extractor is None:  # loaded under the lock: a busy run exits without loading spaCy
                        from pipeline.nlp.extract import Extractor
                        extractor = Extractor()
                    summary, stats = ingest_configured(engine, settings, extractor=extractor, progress=progress)
                finally:
                    engine.dispose()
            except Exception as exc:
                log.error("run failed: %s", exc, exc_info=not isinstance(exc, StoreError))
                raise
            report = RunReport(started, time.monotonic() - clock, summary, stats)
            log.info("run finished in %.1f s: %s", report.seconds, report.line())
            return report
    finally:
        lock.release()


@contextmanager
def run_logging(log_file: Path | None, stderr_level: int | None = None) -> Iterator[None]:
    """INFO and up to the log file; stderr keeps the CLI's level unless stderr_level is given."""
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
    try:
        yield
    finally:
        for handler in added:
            log.removeHandler(handler)
            handler.close()
        for h, level in old_levels:
            h.setLevel(level)
        log.setLevel(old_level)
