"""Real Datasette sites over real SQLite files: in process (Datasette's test client) or as `newsfacts serve`."""

from __future__ import annotations

import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.run import ingest_paths
from pipeline.serve.site import make_datasette
from pipeline.store.db import open_engine
from tests.conftest import newsfacts_cmd

# Two articles that disagree on Acme AI's Series B, their titles and sentences carrying markup: one contradiction
# whose every shown text is hostile.
HOSTILE_ARTICLES = {
    "acme-2025-03-01.txt": "Acme <script>alert('title')</script> raises money\n\n"
                           "Acme AI raised $50 million in a Series B round led by Sequoia Capital "
                           "<script>alert('x')</script>, the company said.\n",
    "acme-again-2025-03-03.txt": "Acme <img src=x onerror=alert('title')> funding\n\n"
                                 "Acme AI raised $80 million in a Series B round led by Sequoia Capital "
                                 "<img src=x onerror=alert(1)>, the company said.\n",
}
# A site that has not printed its URL by then is not coming up (it takes about a second here).
START_TIMEOUT_S = 60


@pytest.fixture
def news_db(perturbed_db, tmp_path) -> Path:
    """A copy of corpus/perturbed's database (three contradictions) that a test may write verdicts into."""
    db = tmp_path / "news.db"
    shutil.copy(perturbed_db, db)
    return db


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory, extractor) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "hostile.db"
    engine = open_engine(db)
    ingest_paths(engine, [folder], extractor=extractor)
    engine.dispose()
    return db


def client(db: Path, **kwargs):
    """Datasette's own test client on a real instance over db (requests go through its ASGI app, CSRF included)."""
    from datasette.utils.testing import TestClient

    return TestClient(make_datasette(db, **kwargs))


@contextmanager
def running_site(db: Path, *args: str) -> Iterator[str]:
    """`newsfacts serve --db db --port 0 ARGS` as a process; yields the URL it prints, stops it after."""
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty server never blocks on it
    proc = subprocess.Popen(newsfacts_cmd("serve", "--db", str(db), "--port", "0", *args), stdout=subprocess.PIPE,
                            stderr=errors, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        try:
            first = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty:
            raise AssertionError(f"newsfacts serve printed nothing in {START_TIMEOUT_S} s") from None
        if first is None or not first.startswith("serving "):
            proc.kill()
            proc.wait()
            errors.seek(0)
            raise AssertionError(f"newsfacts serve did not start: {first!r} {errors.read()}")
        yield first.split(" at ", 1)[1].split()[0]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errors.close()


def fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    """One request straight to the site (never through a proxy): (status, headers, body text)."""
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")
