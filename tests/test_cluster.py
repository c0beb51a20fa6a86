"""Ingest on a Dask LocalCluster of two worker processes into a real PostgreSQL: what one process stores."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipeline.bench import synthetic_corpus
from pipeline.cli import app
from pipeline.nightly import nightly_run
from pipeline.run import ingest_paths
from pipeline.settings import load_settings
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, FailureRow
from tests.conftest import REPO, SEED
from tests.store.conftest import pg_server  # noqa: F401  (the store tests' throwaway PostgreSQL server)
from tests.store.test_concurrent import by_content
from tests.test_nightly import write_config

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
from pipeline.cluster import ingest_paths_on_cluster, ingest_task, prepare  # noqa: E402  (needs distributed)

runner = CliRunner()

ARTICLES = 12
# Two sources per task: six tasks for two workers, so a worker killed after the first articles are stored
# still has a task running and more are queued.
SOURCES_PER_TASK = 2
BAD_FILES = {"empty.txt": b"", "short.txt": b"Hi.\n", "binary.html": bytes(range(256)) * 8}
# A run of a dozen articles takes ~10 s here; a minute means a task was lost or a worker hangs on a lock.
RUN_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    synthetic_corpus(folder, ARTICLES)
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    (folder / "photo.png").write_bytes(b"\x89PNG")  # skipped, not failed
    return folder


@pytest.fixture(scope="module")
def alone(corpus, extractor, tmp_path_factory):
    """The corpus ingested by one process into SQLite: what the cluster must store."""
    engine = open_engine(tmp_path_factory.mktemp("alone") / "alone.db")
    summary = ingest_paths(engine, [corpus], extractor=extractor)
    yield engine, summary
    engine.dispose()


@pytest.fixture(scope="module")
def dask_client():
    """Two worker processes, one thread each, on 127.0.0.1, the English pipeline loaded on both."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        prepare(client)
        yield client


@pytest.fixture(scope="module")
def cluster_run(pg_server, dask_client, corpus):  # noqa: F811
    engine = open_engine(pg_server.create_database())
    summary = ingest_paths_on_cluster(engine, [corpus], cluster=dask_client, sources_per_task=SOURCES_PER_TASK)
    yield engine, summary
    engine.dispose()


def failures(engine) -> list:
    """Each failure with its reason and attempts: a failure recorded twice in one run counts two attempts."""
    with Session(engine) as s:
        return sorted(s.execute(select(FailureRow.source, FailureRow.reason, FailureRow.attempts)).all())


@pytest.mark.slow
@pytest.mark.postgres
def test_a_cluster_stores_what_one_process_stores(cluster_run, alone):
    (engine, summary), (single, single_summary) = cluster_run, alone
    want = by_content(single)
    assert len(want["articles"]) == ARTICLES and want["facts"] and want["contradictions"]
    assert by_content(engine) == want
    # facts_new and contradictions_new count events of the order articles were written in, not the result
    assert (summary.new, summary.unchanged, summary.failed) == (ARTICLES, 0, len(BAD_FILES))
    assert summary.facts_new > 0 and summary.contradictions_new > 0
    assert [s.source for s in summary.skipped] == [s.source for s in single_summary.skipped]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_source_that_fails_on_a_worker_is_recorded_in_failures(cluster_run, alone, corpus):
    (engine, summary), (single, _) = cluster_run, alone
    got = failures(engine)
    assert [source for source, _, _ in got] == sorted(str(corpus / name) for name in BAD_FILES)
    assert got == failures(single)  # the same reasons as without a cluster, one attempt each
    assert sorted(f.source for f in summary.failures) == [source for source, _, _ in got]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_second_cluster_run_changes_nothing(cluster_run, dask_client, corpus):
    engine, _ = cluster_run
    before = by_content(engine), failures(engine)
    again = ingest_paths_on_cluster(engine, [corpus], cluster=dask_client, sources_per_task=SOURCES_PER_TASK)
    assert (again.new, again.replaced, again.unchanged, again.facts_new, again.contradictions_new) == (
        0, 0, ARTICLES, 0, 0)
    assert by_content(engine) == before[0]
    # the files fail again: one more attempt each, as without a cluster
    assert failures(engine) == [(source, reason, attempts + 1) for source, reason, attempts in before[1]]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_task_run_twice_as_after_a_worker_died_writes_nothing_twice(pg_server, dask_client, corpus):  # noqa: F811
    """The scheduler runs a dead worker's task again: what the first attempt committed is found by its hash,
    and the files that fail are handed back to the client, which records them once."""
    engine = open_engine(pg_server.create_database())
    units = [corpus / "empty.txt", *sorted(corpus.glob("article-*"))[:2]]
    url = engine.url.render_as_string(hide_password=False)
    try:
        first, again = (dask_client.submit(ingest_task, url, str(REPO), units, pure=False).result()
                        for _ in range(2))
        assert (first[0].new, again[0].new, again[0].unchanged) == (2, 0, 2)
        assert [f.source for f in first[1]] == [f.source for f in again[1]] == [str(corpus / "empty.txt")]
        assert failures(engine) == []
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(ArticleRow)) == 2
    finally:
        engine.dispose()


def kill_a_busy_worker(client, engine, stored_before_kill: int, killed: dict) -> None:
    """Once some articles are stored, SIGKILL a worker process that is running a task (the nanny starts a new one)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline and not killed:
        with Session(engine) as s:
            stored = s.scalar(select(func.count()).select_from(ArticleRow))
        busy = [worker for worker, tasks in client.processing().items() if tasks]
        if stored >= stored_before_kill and busy:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.update(worker=busy[0], stored=stored)
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(pg_server, dask_client, corpus, alone):  # noqa: F811
    engine = open_engine(pg_server.create_database())
    killed: dict = {}
    killer = threading.Thread(target=kill_a_busy_worker, args=(dask_client, engine, 2, killed), daemon=True)
    killer.start()
    try:
        summary = ingest_paths_on_cluster(engine, [corpus], cluster=dask_client, sources_per_task=SOURCES_PER_TASK)
        killer.join(RUN_TIMEOUT_S)
        assert killed and killed["stored"] < ARTICLES, "no worker was killed while the run had work left"
        # the retried task finds what the dead worker committed: those articles count as unchanged
        assert summary.new + summary.unchanged == ARTICLES and summary.replaced == 0
        assert by_content(engine) == by_content(alone[0])
        assert failures(engine) == failures(alone[0])
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_the_nightly_run_with_a_cluster_setting_stores_what_one_process_stores(
        pg_server, dask_client, news_site, fetch_settings, extractor, tmp_path):  # noqa: F811
    (tmp_path / "alone").mkdir()
    single = nightly_run(load_settings(write_config(tmp_path / "alone", news_site, fetch_settings), env={}),
                         extractor=extractor)
    url = pg_server.create_database()
    (tmp_path / "cluster").mkdir()
    config = Path(write_config(tmp_path / "cluster", news_site, fetch_settings))
    # a top-level key, so before the first [table]
    config.write_text(f'cluster = "{dask_client.scheduler.address}"\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    settings = dataclasses.replace(load_settings(config, env={}), db=url)
    assert settings.cluster == dask_client.scheduler.address
    report = nightly_run(settings)
    assert (report.summary.new, report.summary.unchanged) == (single.summary.new, single.summary.unchanged)
    assert sorted(f.source for f in report.summary.failures) == sorted(f.source for f in single.summary.failures)
    engine, reference = open_engine(url), open_engine(tmp_path / "alone" / "facts.db")
    try:
        assert by_content(engine) == by_content(reference)
    finally:
        engine.dispose()
        reference.dispose()


@pytest.mark.parametrize("db", ["facts.db", "sqlite:///facts.db"])
def test_cluster_refuses_sqlite_in_one_line_and_creates_no_file(tmp_path, monkeypatch, db):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["ingest", str(SEED), "--db", db, "--cluster", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --cluster needs a PostgreSQL database") and result.stderr.count("\n") == 1
    assert not (tmp_path / "facts.db").exists()


@pytest.mark.postgres
def test_an_unreachable_scheduler_is_one_line(pg_server, monkeypatch):  # noqa: F811
    import pipeline.cluster

    monkeypatch.setattr(pipeline.cluster, "CONNECT_TIMEOUT_S", 1)
    # port 9 (discard) on our own loopback: nothing listens there
    result = runner.invoke(app, ["ingest", str(SEED), "--db", pg_server.create_database(),
                                 "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot reach the Dask scheduler: tcp://127.0.0.1:9 (")
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_without_cluster_nothing_imports_dask(tmp_path):
    code = ("import sys; from pipeline.cli import app\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code, "ingest", str(SEED), "--db", str(tmp_path / "x.db"), "--quiet"],
                   cwd=REPO, check=True, timeout=RUN_TIMEOUT_S)
