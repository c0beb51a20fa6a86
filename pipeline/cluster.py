"""Ingest on a Dask cluster: tasks on the workers read, extract and write the sources; this process lists them."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from pipeline.errors import ClusterError, ExtractError, FetchError
from pipeline.fetch.folder import check_input, iter_paths, read_file
from pipeline.run import ErrorPolicy, IngestSummary, record_failed, store_extraction, triage
from pipeline.store.db import database_errors, database_url, engine_name, open_engine
from pipeline.store.urls import stored_hashes
from pipeline.types import Article, FailedSource
from pipeline.untrusted import path_text, shown_db

try:
    from distributed import Client, KilledWorker, WorkerPlugin, as_completed, get_worker
except ImportError as exc:  # the optional extra is missing: one line, not a traceback
    raise ClusterError(f"--cluster needs Dask ({exc.name} is not installed): pip install 'newsfacts[cluster]'"
                       ) from None

PLUGIN_NAME = "newsfacts-extractor"
# Sources per task: 8 articles are 1-2 s of work on a worker, so the scheduler's ~1 ms per task is noise,
# and a worker that dies costs at most those few articles to redo.
SOURCES_PER_TASK = 8
# Tasks submitted per worker thread before waiting for one to finish: the workers never run dry, and
# however large the input, only this many tasks' sources are held in this process and on the scheduler.
TASKS_IN_FLIGHT_PER_THREAD = 4
# Connecting to a scheduler on the local network takes milliseconds; 30 s rides out a scheduler that is
# still starting, as dask's own default does.
CONNECT_TIMEOUT_S = 30
# A worker joins within seconds of `dask worker` starting; two minutes covers workers started at the same
# time as the ingest on slow machines, and then the ingest says why it does nothing instead of hanging.
WORKER_WAIT_S = 120


def require_postgres(db: str | Path) -> None:
    """Workers on several machines write to one database at once: only PostgreSQL (its advisory locks) allows it.

    Checked before the database is opened, so a refused SQLite path is not created."""
    try:
        backend = make_url(database_url(db)).get_backend_name()
    except ArgumentError:
        backend = "?"
    if backend != "postgresql":
        raise ClusterError(needs_postgres(shown_db(db)))


def needs_postgres(db: str) -> str:
    return (f"--cluster needs a PostgreSQL database (--db postgresql+psycopg://USER@HOST/DB), not {db}: workers on "
            "other machines cannot share a SQLite file")


class ExtractorPlugin(WorkerPlugin):
    """On each worker, once: the English pipeline (in a thread, so the worker keeps answering the scheduler
    while it loads) and one engine per database its tasks write to."""

    name = PLUGIN_NAME
    idempotent = True  # a cluster that served an earlier ingest keeps its loaded pipelines

    async def setup(self, worker) -> None:
        from pipeline.nlp.extract import Extractor

        self.engines: dict[str, Engine] = {}
        # one spaCy pipeline per worker, used by one task at a time: its thread safety is not promised
        self.extracting = threading.Lock()
        self._opening = threading.Lock()
        self.extractor = await asyncio.get_running_loop().run_in_executor(None, Extractor)

    def teardown(self, worker) -> None:
        for engine in getattr(self, "engines", {}).values():
            engine.dispose()

    def engine(self, url: str) -> Engine:
        with self._opening:
            if url not in self.engines:
                self.engines[url] = open_engine(url, create=False)  # the client created the schema
            return self.engines[url]


def ingest_task(db_url: str, base: str, units: list[Path | Article]) -> tuple[IngestSummary, list[FailedSource]]:
    """On a worker: read the files (relative paths from the client's directory), skip the articles already
    stored, extract the rest, and write each in its own transaction under the article and topic locks.

    Run again after a worker died, it finds what the first attempt committed by content hash: nothing twice.
    The files that could not be read are returned, not recorded: the client records them once, when the task
    has completed (a failure recorded twice would count two attempts)."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None or not hasattr(plugin, "extractor"):
        raise ExtractError(f"the English pipeline is not loaded on Dask worker {get_worker().address} (see its log)")
    engine = plugin.engine(db_url)
    summary = IngestSummary()
    items = [unit if isinstance(unit, Article) else read_source(Path(base), unit) for unit in units]
    failed = [item for item in items if isinstance(item, FailedSource)]
    articles = [item for item in items if isinstance(item, Article)]
    with database_errors(engine_name(engine)), Session(engine) as session:
        seen = stored_hashes(session, {a.content_hash for a in articles})
    fresh = list(triage(engine, articles, summary, "record", None, seen=seen))
    with plugin.extracting:
        extracted = list(plugin.extractor.extract_many(fresh))
    for article, extraction in extracted:
        store_extraction(engine, article, extraction, summary)
    return summary, failed


def read_source(base: Path, path: Path) -> Article | FailedSource:
    """A file as the client named it: opened from the client's directory, stored under the name it was given."""
    try:
        article = read_file(path if path.is_absolute() else base / path)
    except FetchError as exc:
        return FailedSource(path_text(path), exc.reason)
    return dataclasses.replace(article, source=path_text(path))


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at address, with at least one worker that has loaded the English pipeline."""
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler: {address} ({exc})") from None
    try:
        prepare(client, address)
        yield client
    finally:
        client.close()


def prepare(client: Client, address: str = "") -> None:
    """Wait for a worker, then load the pipeline on every worker (and on each that joins later)."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise ClusterError(f"no Dask worker joined the scheduler within {WORKER_WAIT_S} s: {address or 'SCHEDULER'} "
                           f"(start one with 'dask worker {address or 'SCHEDULER'}')") from None
    client.register_plugin(ExtractorPlugin())


def ingest_on_cluster(
    engine: Engine,
    items: Iterable,
    *,
    cluster: str | Client,
    on_error: ErrorPolicy = "record",
    progress: Callable[[str], None] | None = None,
    summary: IngestSummary | None = None,
    sources_per_task: int = SOURCES_PER_TASK,
) -> IngestSummary:
    """ingest_items on a Dask cluster. items are what fetch yields, with files still to read as Paths (see
    pipeline.fetch.folder.iter_paths): those are read on the workers. Failures, skipped and unchanged
    sources are handled here as ingest_items does; the rest goes to the workers in tasks."""
    if engine.dialect.name != "postgresql":
        raise ClusterError(needs_postgres(engine_name(engine)))
    if isinstance(cluster, str):
        with connect(cluster) as client:
            return ingest_on_cluster(engine, items, cluster=client, on_error=on_error, progress=progress,
                                     summary=summary, sources_per_task=sources_per_task)
    client = cluster
    summary = summary or IngestSummary()
    url = engine.url.render_as_string(hide_password=False)
    base = os.getcwd()
    # articles fetched here (web pages) are checked against this run only: the workers check the database
    units = triage(engine, items, summary, on_error, progress, seen=set())
    in_flight: dict = {}  # future -> the sources of its task
    done = as_completed()

    def collect(future) -> None:
        sources = in_flight.pop(future)
        try:
            part, failed = future.result()
        except KilledWorker as exc:
            raise ClusterError(f"Dask workers died {exc.allowed_failures + 1} times running one task: "
                               f"{_name(sources[0])} and {len(sources) - 1} more sources (out of memory? see the "
                               "workers' logs); every article stored before is kept: run the same command again to "
                               "finish") from None
        _add(summary, part)
        for failure in failed:
            record_failed(engine, failure, summary, on_error)

    try:
        while chunk := list(islice(units, sources_per_task)):
            while in_flight and len(in_flight) >= TASKS_IN_FLIGHT_PER_THREAD * max(1, sum(
                    client.nthreads().values())):
                collect(next(done))
            future = client.submit(ingest_task, url, base, chunk, pure=False)
            in_flight[future] = chunk
            done.add(future)
        for future in done:
            collect(future)
    except BaseException:  # stopped or failed: queued tasks are dropped; a running one finishes its articles
        client.cancel(list(in_flight))
        raise
    return summary


def ingest_paths_on_cluster(engine: Engine, paths: Iterable[Path], **kwargs) -> IngestSummary:
    """ingest_paths on a Dask cluster: the folders are listed here, their files read on the workers."""
    def items() -> Iterator:
        for path in paths:
            check_input(path)
            yield from iter_paths(path)

    return ingest_on_cluster(engine, items(), **kwargs)


def _name(unit: Path | Article) -> str:
    return path_text(unit) if isinstance(unit, Path) else unit.source


def _add(summary: IngestSummary, part: IngestSummary) -> None:
    summary.new += part.new
    summary.unchanged += part.unchanged
    summary.replaced += part.replaced
    summary.failed += part.failed
    summary.not_english += part.not_english
    summary.facts_new += part.facts_new
    summary.contradictions_new += part.contradictions_new
    summary.failures += part.failures
    summary.skipped += part.skipped
