"""Two `newsfacts ingest` processes on one SQLite file: they serialize, and the result is one run's result."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import database_content, integrity, newsfacts_cmd

pytestmark = pytest.mark.slow

CLEAR_BUSY_MESSAGE = "another newsfacts run is writing"


@pytest.mark.parametrize("runs", [2])
def test_concurrent_ingests_serialize_and_lose_nothing(tmp_path, crash_corpus, reference_db, runs):
    db = tmp_path / "shared.db"
    procs = [subprocess.Popen(newsfacts_cmd("ingest", str(crash_corpus), "--db", str(db), "-q"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(runs)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert "Traceback" not in err and "database is locked" not in err, err
        assert proc.returncode == 0 or (proc.returncode != 0 and CLEAR_BUSY_MESSAGE in err), err
    assert any(p.returncode == 0 for p in procs)
    assert integrity(db) == "ok"
    assert database_content(db) == database_content(reference_db)
