"""Several ingest workers writing to one PostgreSQL database at once store what one worker would."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.bench import synthetic_corpus
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine
from pipeline.store.models import (
    AliasRow,
    ArticleRow,
    ClaimRow,
    ContradictionRow,
    EntityRow,
    FactRow,
    FactSourceRow,
    MentionRow,
)
from tests.conftest import REPO

WORKERS = 3
ARTICLES = 18  # each in two workers' folders: every article and most topics are contended
# A worker that needs longer than this is stuck on a lock, not slow.
WORKER_TIMEOUT_S = 300


def by_content(engine) -> dict:
    """The database without ids and source paths (a shared article is stored under either copy's path, and
    fact keys and contradiction uids name their claims' sources, so they are left out too)."""
    with Session(engine) as s:
        claim_uid = dict(s.execute(select(ClaimRow.id, ClaimRow.uid)).all())
        fact_claims: dict[int, list[str]] = {}
        for fact_id, claim_id in s.execute(select(FactSourceRow.fact_id, FactSourceRow.claim_id)):
            fact_claims.setdefault(fact_id, []).append(claim_uid[claim_id])
        return {
            "articles": sorted(s.scalars(select(ArticleRow.content_hash))),
            "claims": sorted(claim_uid.values()),
            "entities": sorted(s.execute(select(EntityRow.key, EntityRow.type)).all()),
            "aliases": sorted(s.execute(select(EntityRow.key, AliasRow.alias).join(AliasRow)).all()),
            "mentions": s.query(MentionRow).count(),
            "facts": sorted((f.summary, f.corroboration, f.low, f.high, tuple(sorted(fact_claims[f.id])))
                            for f in s.scalars(select(FactRow))),
            "contradictions": sorted((c.kind, c.reason, c.severity, c.confidence,
                                      tuple(sorted((claim_uid[c.claim_a_id], claim_uid[c.claim_b_id]))))
                                     for c in s.scalars(select(ContradictionRow))),
        }


@pytest.fixture(scope="module")
def worker_folders(tmp_path_factory) -> list:
    corpus = tmp_path_factory.mktemp("corpus")
    paths = synthetic_corpus(corpus, ARTICLES)
    folders = []
    for w in range(WORKERS):
        folder = tmp_path_factory.mktemp(f"worker{w}")
        for i in range(w * ARTICLES // WORKERS, w * ARTICLES // WORKERS + 2 * ARTICLES // WORKERS):
            shutil.copy(paths[i % ARTICLES], folder)
        folders.append(folder)
    return folders


@pytest.mark.slow
def test_concurrent_workers_store_what_one_worker_would(pg_server, worker_folders, extractor, tmp_path):
    url = pg_server.create_database()
    workers = [subprocess.Popen([sys.executable, "-c", "from pipeline.cli import app; app()", "ingest",
                                 str(folder), "--db", url, "--quiet"], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for folder in worker_folders]
    for worker in workers:
        out, err = worker.communicate(timeout=WORKER_TIMEOUT_S)
        assert worker.returncode == 0, err[-3000:]
    together = open_engine(url)

    alone = open_engine(f"sqlite:///{tmp_path / 'alone.db'}")
    ingest_paths(alone, worker_folders, extractor=extractor)
    try:
        got, want = by_content(together), by_content(alone)
        assert len(want["articles"]) == ARTICLES and want["contradictions"]
        assert got == want
    finally:
        together.dispose()
        alone.dispose()


@pytest.mark.slow
def test_the_order_articles_are_written_in_changes_nothing(extractor, tmp_path):
    """Concurrent writers (or a retried task on a cluster) write articles in any order: the same database."""
    (tmp_path / "corpus").mkdir()
    paths = synthetic_corpus(tmp_path / "corpus", ARTICLES // 2)
    databases = []
    for name, order in (("forward", paths), ("backward", paths[::-1])):
        engine = open_engine(f"sqlite:///{tmp_path / name}.db")
        ingest_paths(engine, order, extractor=extractor)
        databases.append(by_content(engine))
        engine.dispose()
    assert databases[0]["contradictions"] and databases[0] == databases[1]
