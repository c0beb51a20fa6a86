"""Reconciling only what an article touched gives what reconciling every claim at once gives, in any order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.bench import synthetic_corpus
from pipeline.bench_store import Replicator
from pipeline.fetch.folder import fetch_folder
from pipeline.reconcile.logic import reconcile
from pipeline.store.db import open_engine
from pipeline.store.models import ClaimRow, ContradictionRow, FactRow, FactSourceRow
from pipeline.store.writer import _CLAIM_COLUMNS, claim_view, reconcile_topics, save_article
from pipeline.types import Article, EntityType, Evidence, Extraction, Mention, RoleClaim

TEMPLATES = 8  # articles of story 0 parsed once; both seed articles, several figures each
# three stories of the replicated corpus (50 articles each): a few articles of each, so that facts merge,
# conflict and change over time within a story and never across
ARTICLES = [*range(0, 8), *range(50, 56), *range(100, 104)]


@pytest.fixture(scope="module")
def replicas(extractor, tmp_path_factory) -> Replicator:
    folder = tmp_path_factory.mktemp("templates")
    synthetic_corpus(folder, TEMPLATES)
    articles = [a for a in fetch_folder(folder) if isinstance(a, Article)]
    return Replicator(list(extractor.extract_many(articles)))


def role_article(n: int, org: str | None) -> tuple[Article, Extraction]:
    """'co-founder Ada Kovac' with or without her company: the company-less one joins the fact that names one."""
    sentence = f"Co-founder Ada Kovac{' of ' + org if org else ''} spoke on day {n}."
    evidence = Evidence(sentence, 0, 11, 20)
    claim = RoleClaim("Ada Kovac", "co-founder", org, evidence=evidence)
    mention = Mention("Ada Kovac", EntityType.PERSON, "Ada Kovac", evidence)
    return Article(f"roles/{n}.txt", sentence), Extraction(mentions=(mention,), claims=(claim,))


def store(engine, items) -> None:
    for article, extraction in items:
        with Session(engine) as session, session.begin():
            saved = save_article(session, article, extraction)
            reconcile_topics(session, saved.topics, saved.previous, saved.groups)


def stored(engine) -> tuple[set, set]:
    """Facts (key, claims) and contradictions (uid, claims) as the database holds them."""
    with Session(engine) as s:
        uid = dict(s.execute(select(ClaimRow.id, ClaimRow.uid)).all())
        claims: dict[int, set] = {}
        for fact_id, claim_id in s.execute(select(FactSourceRow.fact_id, FactSourceRow.claim_id)):
            claims.setdefault(fact_id, set()).add(uid[claim_id])
        facts = {(key, frozenset(claims.get(fact_id, ()))) for fact_id, key in s.execute(select(FactRow.id, FactRow.key))}
        conflicts = {(c.uid, frozenset((uid[c.claim_a_id], uid[c.claim_b_id])))
                     for c in s.execute(select(ContradictionRow.uid, ContradictionRow.claim_a_id,
                                               ContradictionRow.claim_b_id))}
        return facts, conflicts


def reconciled_at_once(engine) -> tuple[set, set]:
    """What reconcile() makes of every claim in the database in one call."""
    with Session(engine) as s:
        result = reconcile([claim_view(r) for r in s.execute(select(*_CLAIM_COLUMNS))])
    return ({(f.key, frozenset(f.claims)) for f in result.facts},
            {(c.uid, frozenset((c.claim_a, c.claim_b))) for c in result.conflicts})


def replaced(replicas: Replicator, i: int, by: int) -> tuple[Article, object]:
    """Article i's source with another article's text and claims: a changed file."""
    article, _ = replicas.article(i)
    other, extraction = replicas.article(by)
    return Article(source=article.source, text=other.text + " (updated)", published=article.published), extraction


@pytest.mark.parametrize("order", ["as published", "shuffled"])
def test_incremental_reconciliation_equals_reconciling_everything(backend_engine, replicas, order):
    items = [replicas.article(i) for i in ARTICLES] + [role_article(1, None), role_article(2, "Acme Robotics")]
    if order == "shuffled":
        random.Random(17).shuffle(items)
    store(backend_engine, items + [replaced(replicas, 1, 3), replaced(replicas, 52, 50)])
    facts, conflicts = stored(backend_engine)
    assert conflicts, "the replicated stories should disagree somewhere"
    assert (facts, conflicts) == reconciled_at_once(backend_engine)


def test_any_ingest_order_stores_the_same_facts(replicas, tmp_path: Path):
    items = [replicas.article(i) for i in ARTICLES]
    results = []
    for seed in (1, 2):
        random.Random(seed).shuffle(items)
        engine = open_engine(tmp_path / f"order{seed}.db")
        store(engine, items)
        results.append(stored(engine))
        engine.dispose()
    assert results[0] == results[1]


class Retracted(Exception):
    """Raised inside an article's transaction: the article is rolled back."""


@pytest.mark.parametrize("retracted", [2])
def test_a_rolled_back_article_leaves_nothing_behind(backend_engine, replicas, retracted):
    """The claims of a rolled-back transaction are no claims at all: on SQLite the next article's claims take
    their ids, and what the writer kept of the first (its views, by id) must not stand for the second."""
    store(backend_engine, [replicas.article(i) for i in range(retracted)])
    with pytest.raises(Retracted), Session(backend_engine) as session, session.begin():
        saved = save_article(session, *replicas.article(retracted))
        reconcile_topics(session, saved.topics, saved.previous, saved.groups)
        raise Retracted
    store(backend_engine, [replicas.article(i) for i in range(retracted + 1, retracted + 4)])
    assert stored(backend_engine) == reconciled_at_once(backend_engine)


@pytest.mark.parametrize("story", [0])
def test_two_writers_see_each_others_replaced_articles(replicas, tmp_path: Path, story):
    """Two connections take turns on one SQLite file: one replaces the article the other wrote last, whose claims
    the other has read, and the new version's claims take the old ones' ids (SQLite reuses the largest ids)."""
    first, second = open_engine(tmp_path / "two.db"), open_engine(tmp_path / "two.db")
    base = story * 50
    store(first, [replicas.article(base), replicas.article(base + 1)])
    store(second, [replaced(replicas, base + 1, base + 3)])
    store(first, [replicas.article(base + 4), replicas.article(base + 5)])
    assert stored(first) == reconciled_at_once(first)
    first.dispose()
    second.dispose()


def every_row(engine) -> dict[str, list]:
    """Every table's rows in order, ids and values, timestamps aside."""
    timestamps = {"ingested_at", "updated_at", "created_at", "resolved_at", "decided_at", "fetched_at", "last_seen"}
    rows = {}
    with engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").scalars()
        for table in list(tables):
            columns = [c[1] for c in conn.exec_driver_sql(f"PRAGMA table_info({table})")
                       if c[1] not in timestamps or table == "facts" and c[1] == "last_seen"]
            select_all = f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"  # noqa: S608 (names are ours)
            rows[table] = conn.exec_driver_sql(select_all).all()
    return rows


def test_claims_and_results_forgotten_past_their_bounds_give_the_same_rows(replicas, tmp_path: Path, monkeypatch):
    """The writer's claims (by id and uid), facts and entities, and reconcile.logic's kept results, are bounded: a
    claim forgotten is read again from the database, a result made again, and every table holds what it holds when
    nothing is forgotten. The claims a transaction reconciles are never the ones forgotten."""
    import pipeline.reconcile.logic as logic
    import pipeline.store.writer as writer

    items = [replicas.article(i) for i in ARTICLES] + [replaced(replicas, 1, 3), replicas.article(1),
                                                       replaced(replicas, 52, 50)]
    engine = open_engine(tmp_path / "kept.db")
    store(engine, items)
    kept = every_row(engine)
    engine.dispose()
    for module, name, size in ((writer, "CLAIM_CACHE", 8), (writer, "FACT_CACHE", 4), (writer, "ENTITY_CACHE", 4),
                               (logic, "KEPT_RESULTS", 8), (logic, "LAST_GROUPS", 2)):
        monkeypatch.setattr(module, name, size)
    engine = open_engine(tmp_path / "forgotten.db")
    for article, extraction in items:
        with Session(engine) as session, session.begin():
            saved = save_article(session, article, extraction)
            reconcile_topics(session, saved.topics, saved.previous, saved.groups)
            cache = session.connection().info.get(writer._CACHE_INFO)
            if cache is not None:
                assert len(cache.fact_claims) <= 4 and len(logic._KEPT) <= 8 and len(logic._LAST) <= 2
                assert sorted(map(id, cache.by_uid.values())) == sorted(map(id, cache.claims.values()))
    assert len(cache.claims) < len(kept["claims"])  # claims were forgotten on the way
    assert every_row(engine) == kept
    engine.dispose()


def test_forget_oldest_keeps_the_newest_under_the_bound():
    from pipeline.reconcile.logic import FORGET_SHARE, forget_oldest

    kept: dict[int, int] = {}
    for i in range(1000):
        forget_oldest(kept, 64)
        kept[i] = i
        assert len(kept) <= 64
    assert list(kept) == list(range(1000 - len(kept), 1000))
    assert len(kept) >= 64 - 64 // FORGET_SHARE


def test_the_writing_collector_is_put_back():
    import gc

    from pipeline.store.writer import WRITING_GC_THRESHOLD, writing_collector

    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with writing_collector():
        assert gc.get_threshold() == (WRITING_GC_THRESHOLD, *threshold[1:])
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("callers", [2])
def test_the_writing_collector_is_put_back_by_the_last_of_several_callers(callers):
    """Two ingests in threads of one process: the first one out leaves the collector set for the other, the last
    one out puts back what the process had (not the setting the first one made)."""
    import gc
    import threading

    from pipeline.store.writer import WRITING_GC_THRESHOLD, writing_collector

    threshold = gc.get_threshold()
    inside, leave = threading.Barrier(callers), threading.Event()

    def ingest():
        with writing_collector():
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=ingest) for _ in range(callers - 1)]
    for thread in threads:
        thread.start()
    with writing_collector():
        inside.wait()
        leave.set()
        for thread in threads:
            thread.join()
        assert gc.get_threshold() == (WRITING_GC_THRESHOLD, *threshold[1:])
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
