"""SIGKILL an ingest mid-run, run it again: the database equals the one an uninterrupted run makes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import database_content, integrity, newsfacts_cmd, read_only, run_ingest

pytestmark = pytest.mark.slow

POLL_S = 0.02
START_DEADLINE_S = 120  # loading spaCy and the first articles; generous for a loaded CI machine


def stored_articles(db) -> int:
    try:
        with closing(read_only(db)) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet, or the schema is being written
        return 0


@pytest.mark.parametrize("kill_after", [5])
def test_sigkill_mid_run_then_rerun_equals_one_run(tmp_path, crash_corpus, reference_db, kill_after):
    db = tmp_path / "crashed.db"
    proc = subprocess.Popen(newsfacts_cmd("ingest", str(crash_corpus), "--db", str(db), "-q"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_DEADLINE_S
    while proc.poll() is None and stored_articles(db) < kill_after and time.monotonic() < deadline:
        time.sleep(POLL_S)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed mid-run"
    stored = stored_articles(db)
    reference = database_content(reference_db)
    assert reference["facts"] and reference["contradictions"] and len(reference["failures"]) == 2
    assert kill_after <= stored < len(reference["articles"]), f"killed after {stored} articles: not mid-run"
    assert integrity(db) == "ok"

    result = run_ingest(crash_corpus, db)
    assert result.returncode == 0, result.stderr
    assert integrity(db) == "ok"
    assert database_content(db) == reference


# A worker checks for its parent every PARENT_POLL_S (1 s); a loaded machine gets ten times that.
WORKERS_GONE_S = 15


def worker_pids(parent: int) -> set[int]:
    """Live processes whose parent is `parent` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone
    except OSError:
        return False


def start_with_workers(crash_corpus, db):
    """`ingest --workers 2`, once it has stored an article (so both workers run), and its worker pids."""
    proc = subprocess.Popen(newsfacts_cmd("ingest", str(crash_corpus), "--db", str(db), "-q", "--workers", "2"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_DEADLINE_S
    while proc.poll() is None and stored_articles(db) < 1 and time.monotonic() < deadline:
        time.sleep(POLL_S)
    workers = worker_pids(proc.pid)
    assert proc.poll() is None and len(workers) >= 2, "the run ended before its workers could be seen"
    return proc, workers


def wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + WORKERS_GONE_S
    while (left := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_workers_exit_when_the_ingest_is_killed(tmp_path, crash_corpus):
    proc, workers = start_with_workers(crash_corpus, tmp_path / "killed.db")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert wait_gone(workers) == set(), "workers outlived their killed parent"
    assert integrity(tmp_path / "killed.db") == "ok"


def test_sigterm_stops_the_run_cleanly_and_a_rerun_completes_it(tmp_path, crash_corpus, reference_db):
    db = tmp_path / "terminated.db"
    proc, workers = start_with_workers(crash_corpus, db)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=WORKERS_GONE_S * 2)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "error" in line.lower()] == [
        "error: stopped by SIGTERM: every article stored before it is kept; run the same command again to finish"]
    assert wait_gone(workers) == set()
    assert integrity(db) == "ok" and stored_articles(db) >= 1
    assert run_ingest(crash_corpus, db).returncode == 0
    assert database_content(db) == database_content(reference_db)


@pytest.mark.parametrize("where", ["finalizer", "weakref callback"])
def test_sigterm_during_a_finalizer_still_stops_the_run(recwarn, where):
    """Python swallows what a signal handler raises inside a __del__ or a weakref callback ("Exception ignored in
    ..." and a traceback on stderr): a SIGTERM that arrives there is sent again a moment later, and stops the run."""
    import gc
    import os
    import weakref

    from pipeline.errors import Interrupted
    from pipeline.run import stop_on_sigterm

    def signal_here(*_):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):  # the handler runs here
            pass

    class Finalized:
        def __del__(self):
            signal_here()

    class Referent:
        pass

    started = time.monotonic()
    with pytest.raises(Interrupted), stop_on_sigterm():
        if where == "finalizer":
            Finalized()
        else:
            referent = Referent()
            ref = weakref.ref(referent, signal_here)  # noqa: F841 (kept alive: its callback is called)
            del referent
        gc.collect()
        while time.monotonic() - started < 5:  # the signal, sent again, ends the run here, not after 5 s
            pass
    assert time.monotonic() - started < 4
    assert not [w for w in recwarn if issubclass(w.category, pytest.PytestUnraisableExceptionWarning)]
