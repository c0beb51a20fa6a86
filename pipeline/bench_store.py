"""Store-only benchmark: save + reconcile of pre-extracted articles, replicated without spaCy, against N."""

from __future__ import annotations

import dataclasses
import json
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from pipeline.bench import ARTICLES_PER_STORY, PEOPLE, invented_name, synthetic_corpus
from pipeline.store.db import open_engine
from pipeline.store.writer import reconcile_topics, save_article, writing_collector
from pipeline.types import Article, Extraction, Interval, Quantity, human_number

# Story 0 of the synthetic corpus is extracted once and serves as the template of every story: its
# invented names are swapped for story s's, its dates moved by s weeks (as synthetic_corpus does), its
# numbers varied per article (below). One whole story, so a replicated story merges, conflicts and
# changes over time as a parsed one does.
TEMPLATE_STORY = 0
# Share of the run, at its end, whose mean per-article time is reported as the marginal cost at size N:
# the last 10% (100 articles at 1k) is enough to average out one slow checkpoint of the SQLite WAL.
MARGINAL_SHARE = 0.1
# Figures of a replicated story: its counts move by a few people and its amounts scale by a few halves,
# the same step for every article of the story, so that a story merges and conflicts as the parsed one
# does (synthetic_corpus already draws each article's figures from a short list) while stories differ.
COUNT_STEPS = (-2, -1, 0, 1, 2)
MONEY_FACTORS = (0.5, 1.0, 1.5, 2.0)


def story_names(story: int) -> list[str]:
    """The invented names synthetic_corpus gives one story: company, rival, model, then the people."""
    base = story * 16
    return [invented_name(base), invented_name(base + 1), invented_name(base + 2, 2),
            *(invented_name(base + 3 + k) for k in range(len(PEOPLE)))]


def extract_templates(processes: int) -> list[tuple[Article, Extraction]]:
    """Parse one story of the synthetic corpus (ARTICLES_PER_STORY articles): the only spaCy work."""
    from pipeline.fetch.folder import fetch_folder
    from pipeline.nlp.extract import Extractor

    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp), ARTICLES_PER_STORY * (TEMPLATE_STORY + 1))
        articles = [a for a in fetch_folder(Path(tmp)) if isinstance(a, Article)]
        story = articles[ARTICLES_PER_STORY * TEMPLATE_STORY:]
        return list(Extractor(n_process=processes).extract_many(story))


class Replicator:
    """Article i of a corpus of any size, made from the template story without parsing anything."""

    def __init__(self, templates: list[tuple[Article, Extraction]], seed: int = 7) -> None:
        self.templates = templates
        self.seed = seed
        old = story_names(TEMPLATE_STORY)
        self._old = {**{n: i for i, n in enumerate(old)}, **{n.lower(): i for i, n in enumerate(old)}}
        self._pattern = re.compile(r"\b(" + "|".join(sorted(self._old, key=len, reverse=True)) + r")\b")

    def article(self, i: int) -> tuple[Article, Extraction]:
        story, nth = divmod(i, ARTICLES_PER_STORY)
        template, extraction = self.templates[nth % len(self.templates)]
        new = story_names(story)
        rng = random.Random(self.seed * 1_000_003 + story)
        step, factor = rng.choice(COUNT_STEPS), rng.choice(MONEY_FACTORS)

        def names(text):
            if not text:
                return text
            return self._pattern.sub(lambda m: new[self._old[m.group(0)]] if m.group(0)[0].isupper()
                                     else new[self._old[m.group(0)]].lower(), text)

        shift = timedelta(days=7 * (story - TEMPLATE_STORY))
        published = template.published + shift if template.published else None
        article = Article(source=f"replica/article-{i:07d}-{published}.txt", text=f"{names(template.text)}\n\n"
                          f"Edition {i}.", title=names(template.title), author=template.author,
                          published=published, site=template.site, url=None)
        evidence = {}

        def moved(ev):
            if ev is None:
                return None
            if id(ev) not in evidence:
                evidence[id(ev)] = dataclasses.replace(ev, sentence=names(ev.sentence))
            return evidence[id(ev)]

        mentions = tuple(dataclasses.replace(m, name=names(m.name), text=names(m.text), evidence=moved(m.evidence))
                         for m in extraction.mentions)
        claims = tuple(self._claim(c, names, moved, shift, step, factor) for c in extraction.claims)
        return article, Extraction(mentions=mentions, claims=claims, language=extraction.language)

    def _claim(self, claim, names, moved, shift, step: int, factor: float):
        changes = {"evidence": moved(claim.evidence)}
        if claim.stated_date is not None:
            changes["stated_date"] = claim.stated_date + shift
        for field in ("subject", "group", "person", "org", "contributor", "counterparty"):
            if hasattr(claim, field):
                changes[field] = names(getattr(claim, field))
        for field in ("investors", "lead_investors"):
            if hasattr(claim, field):
                changes[field] = tuple(names(n) for n in getattr(claim, field))
        for field in ("amount", "value"):
            quantity = getattr(claim, field, None)
            if isinstance(quantity, Quantity):
                changes[field] = _varied(quantity, step, factor)
        return dataclasses.replace(claim, **changes)

    def articles(self, n: int) -> Iterator[tuple[Article, Extraction]]:
        return (self.article(i) for i in range(n))


def _varied(q: Quantity, step: int, factor: float) -> Quantity:
    """The same kind of figure with another value: every bound moved alike, so the wording still fits."""
    if q.unit == "%":
        return q
    if q.unit is None:
        def move(x):
            return None if x is None else max(0.0, x + step)
    else:
        def move(x):
            return None if x is None else x * factor
    iv = q.interval
    value = move(q.value)
    text = f"{q.unit} {human_number(value)}" if q.unit else human_number(value)
    return dataclasses.replace(q, value=value, interval=Interval(move(iv.low), move(iv.high), iv.low_open,
                                                                 iv.high_open), text=text)


def store_run(templates_file: Path, n: int, db: str) -> dict:
    """Store n replicated articles into db, one transaction per article as the ingest does; time only that."""
    templates = pickle.loads(templates_file.read_bytes())
    replicas = Replicator(templates)
    engine = open_engine(db)
    times: list[float] = []
    cpu = 0.0
    with writing_collector():
        t_all = time.perf_counter()
        for article, extraction in replicas.articles(n):
            t, c = time.perf_counter(), time.process_time()
            with Session(engine) as session, session.begin():
                saved = save_article(session, article, extraction)
                reconcile_topics(session, saved.topics, saved.previous, saved.groups)
            times.append(time.perf_counter() - t)
            cpu += time.process_time() - c
        wall = time.perf_counter() - t_all
    engine.dispose()
    tail = times[-max(1, int(n * MARGINAL_SHARE)):]
    return {"n": n, "store_seconds": round(sum(times), 3), "wall_seconds": round(wall, 3),
            "ms_per_article": round(1000 * sum(times) / n, 3), "cpu_ms_per_article": round(1000 * cpu / n, 3),
            "marginal_ms_per_article": round(1000 * sum(tail) / len(tail), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def store_only(templates: list[tuple[Article, Extraction]], n: int, tmp: Path) -> dict:
    """store_run in a fresh process: its peak memory is the store's alone (no spaCy, no other stage)."""
    templates_file = tmp / "templates.pickle"
    if not templates_file.exists():
        templates_file.write_bytes(pickle.dumps(templates))
    db = tmp / f"store-only-{n}.db"
    code = ("import json, sys; from pathlib import Path; from pipeline.bench_store import store_run; "
            "print(json.dumps(store_run(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])))")
    proc = subprocess.run([sys.executable, "-c", code, str(templates_file), str(n), f"sqlite:///{db}"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"store-only run of {n} articles failed:\n{proc.stderr[-3000:]}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])
