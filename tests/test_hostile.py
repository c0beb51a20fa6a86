"""A hostile folder through a real `newsfacts ingest` process: every file ingested or failed with a reason,
exit 0, bounded time and memory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import REPO, build_hostile_folder, integrity, read_only

pytestmark = pytest.mark.slow

# Measured: ~12-15 s and ~660 MB peak RSS (spaCy model + batches of 5,000-char paragraphs). The bounds are
# generous for slow CI machines but far below what an unbounded run takes (minutes, > 1 GB).
MAX_SECONDS = 120
MAX_PEAK_RSS_MB = 1536


def run_measured(cmd: list[str], out: Path, err: Path, timeout: float) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS in MB) of one child process, from its own rusage."""
    start = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, cwd=REPO)
        killer = threading.Timer(timeout, os.kill, (proc.pid, signal.SIGKILL))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return proc.returncode, time.monotonic() - start, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


@pytest.mark.parametrize("builder", [build_hostile_folder])
def test_hostile_folder_every_file_ingested_or_failed_with_reason(tmp_path, builder):
    folder, db = tmp_path / "hostile", tmp_path / "hostile.db"
    expected = builder(folder)
    code, seconds, peak_mb = run_measured(
        [sys.executable, "-m", "tests.hostile_ingest", "ingest", str(folder), "--db", str(db), "-f", "json"],
        tmp_path / "out.json", tmp_path / "err.txt", timeout=MAX_SECONDS * 2)
    stderr = (tmp_path / "err.txt").read_text()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert seconds < MAX_SECONDS, f"hostile ingest took {seconds:.0f} s"
    assert peak_mb < MAX_PEAK_RSS_MB, f"peak RSS {peak_mb:.0f} MB"

    summary = json.loads((tmp_path / "out.json").read_text())
    failed = {Path(f["source"]).name: f["reason"] for f in summary["failures"]}
    skipped = {Path(f["source"]).name: f["reason"] for f in summary["skipped"]}
    with closing(read_only(db)) as conn:
        stored = {Path(s).name for (s,) in conn.execute("SELECT source FROM articles")}
        recorded = {Path(s).name: r for s, r in conn.execute("SELECT source, reason FROM failures")}
    assert recorded == failed
    outcome = {name: ("failed", failed[name]) if name in failed else ("skipped", skipped[name]) if name in skipped
               else ("ingested", "") if name in stored else ("same as", "") for name in expected}
    assert set(failed) | set(skipped) | stored <= set(expected)
    for name, (kind, reason) in expected.items():
        assert outcome[name][0] == kind, (name, outcome[name])
        assert kind not in ("failed", "skipped") or reason in outcome[name][1], (name, outcome[name])
    assert summary["articles_unchanged"] == sum(kind == "same as" for kind, _ in expected.values())
    assert integrity(db) == "ok"
