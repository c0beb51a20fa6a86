"""The bench's own parts: invented names stay distinct, replicated articles are stored, the plot is a PNG."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.bench import (
    ARTICLES_PER_STORY,
    component_seconds,
    cpu_seconds,
    invented_name,
    store_ratios,
    synthetic_corpus,
)
from pipeline.bench_plot import plot
from pipeline.bench_store import store_run, story_names
from pipeline.fetch.folder import fetch_folder
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, FactRow
from pipeline.types import Article


@pytest.mark.parametrize("stories", [2_000])
def test_every_story_has_names_of_its_own(stories):
    names = [name for s in range(stories) for name in story_names(s)]
    assert len(set(names)) == len(names)
    assert invented_name(0) == "Kakaka"  # the first stories keep the names they always had


@pytest.fixture(scope="module")
def templates(extractor, tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    synthetic_corpus(folder, 4)
    return list(extractor.extract_many(a for a in fetch_folder(folder) if isinstance(a, Article)))


@pytest.mark.parametrize("n", [2 * ARTICLES_PER_STORY + 3])
def test_store_only_stores_every_replicated_article(templates, tmp_path, n):
    (tmp_path / "t.pickle").write_bytes(pickle.dumps(templates))
    run = store_run(tmp_path / "t.pickle", n, f"sqlite:///{tmp_path / 'store.db'}")
    assert run["n"] == n and run["store_seconds"] > 0
    engine = open_engine(tmp_path / "store.db")
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ArticleRow)) == n
        topics = set(s.scalars(select(FactRow.topic).where(FactRow.kind == "funding")))
    engine.dispose()
    assert len(topics) == 3  # one company per story: three stories, none sharing a topic


@pytest.mark.parametrize("stage", ["store_only"])
def test_report_has_a_ratio_and_a_png(tmp_path, stage):
    results = [{"n": n, "articles": n, "stages": {stage: {"seconds": n * per, "articles_per_s": 1 / per}}}
               for n, per in ((1000, 0.01), (10000, 0.011))]
    assert store_ratios(results) == {f"{stage} 10000/1000": 1.1}
    path = plot(results, tmp_path / "bench.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("texts", [["Mistral AI raised $2 billion.", "Its CEO Arthur Mensch said so.", "Fine."]])
def test_components_are_timed_one_by_one_in_pipeline_order(extractor, texts):
    seconds = component_seconds(extractor.nlp, texts)
    assert list(seconds) == ["tokenizer", *extractor.nlp.pipe_names]
    assert all(s >= 0 for s in seconds.values())


@pytest.mark.parametrize("loop", [20_000_000])
def test_cpu_seconds_count_a_finished_child_process(loop):
    before = cpu_seconds()
    subprocess.run([sys.executable, "-c", f"sum(range({loop}))"], check=True)
    assert cpu_seconds() - before > 0.1  # ~0.3 s of CPU in the child, however busy the machine is
