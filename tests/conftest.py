"""Shared fixtures: the real spaCy pipeline once per session, and a real SQLite file per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp.extract import Extractor
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEED = CORPUS / "seed"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def engine(tmp_path):
    eng = open_engine(tmp_path / "test.db")
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory, extractor) -> Path:
    """The seed corpus ingested once into a real SQLite file (read-only for tests)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    eng = open_engine(path)
    ingest_paths(eng, [SEED], extractor=extractor)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def perturbed_db(tmp_path_factory, extractor) -> Path:
    """corpus/perturbed (two contradictions) ingested once into a real SQLite file (read-only for tests)."""
    path = tmp_path_factory.mktemp("perturbed") / "perturbed.db"
    eng = open_engine(path)
    ingest_paths(eng, [CORPUS / "perturbed"], extractor=extractor)
    eng.dispose()
    return path


@pytest.fixture
def news_site(monkeypatch):
    """A real HTTP server on 127.0.0.1 (port chosen by the OS) serving tests/newssite.py's pages."""
    from tests.newssite import serve

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)  # requests go to 127.0.0.1 directly, never via a proxy
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_settings():
    """Small timeouts, caps and backoffs so trouble shows up in milliseconds, not minutes."""
    from pipeline.settings import FetchSettings

    return FetchSettings(contact="tests@example.invalid", connect_timeout=1.0, read_timeout=0.5,
                         page_deadline=5.0, retries=1, backoff_base=0.01, backoff_cap=0.5, min_interval=0.0,
                         max_bytes=100_000, max_redirects=5)
