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
