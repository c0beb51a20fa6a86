"""SIGKILL an ingest mid-run, run it again: the database equals the one an uninterrupted run makes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from contextlib import closing

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
