"""make bench's cluster stage: one ingest on a LocalCluster of 1 worker, then of 2, into a throwaway PostgreSQL."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from pipeline.store.db import open_engine

WORKERS = (1, 2)


def why_skipped() -> str | None:
    """Why the stage cannot run here, or None: it needs Dask and PostgreSQL's server binaries."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return "Dask is not installed (pip install -e '.[cluster]')"
    try:
        from tests import pg
    except ImportError:
        return "tests/pg.py, which starts a throwaway PostgreSQL, is not importable (run from the repository)"
    return pg.why_unavailable()


def scale_out(folder: Path) -> dict[int, float]:
    """Seconds to ingest folder with each number of workers (one thread each, bound to 127.0.0.1), each into a
    fresh database of one throwaway PostgreSQL server; the pipelines are loaded before the clock starts.

    Prints the load average before each run: on a machine shared with other work, a second worker finds no
    idle core and the ratio says nothing about the code."""
    from distributed import Client, LocalCluster

    from pipeline.cluster import ingest_paths_on_cluster, prepare
    from tests import pg

    server = pg.start_cluster()
    seconds: dict[int, float] = {}
    try:
        for n in WORKERS:
            engine = open_engine(server.create_database())
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
                prepare(client)
                print(f"{'':>6} cluster of {n}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
                      flush=True)
                t = time.perf_counter()
                ingest_paths_on_cluster(engine, [folder], cluster=client)
                seconds[n] = time.perf_counter() - t
            engine.dispose()
    finally:
        server.stop()
    return seconds
