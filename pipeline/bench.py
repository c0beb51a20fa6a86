"""Benchmark (make bench): spaCy alone vs extraction vs end-to-end ingest, and an unchanged re-run."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from pipeline.fetch.folder import fetch_folder
from pipeline.nlp.build import load_spacy_model
from pipeline.nlp.extract import PIPE_BATCH_SIZE, WORKER_CHUNK, Extractor, paragraphs
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine
from pipeline.store.writer import reconcile_topics, save_article
from pipeline.types import Article

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "seed"
# A news story (one funding round, one team leaving) is covered by some dozens of articles over a few
# weeks; the copies are grouped into stories of this many articles, each with its own companies,
# model and people, so topics grow with the corpus as they do in real news (one topic holding all
# 10,000 articles would measure a story no outlet writes).
ARTICLES_PER_STORY = 50
# Days between two articles of a story: a story spans ~50 days, beyond the 30-day window, so both
# same-period conflicts and changes over time occur.
STORY_DAY_STEP = 1
NUMBERS = ["three", "four", "five", "Eleven", "Twelve", "Only two", "six", "seven"]
PEOPLE = ["Lample", "Lacroix", "Lachaux", "Lavril", "Janiewicz", "Rozière"]
_SYLLABLES = ["ka", "ro", "vi", "len", "dor", "mi", "sa", "tel", "qua", "bri", "no", "zen", "ul", "fa"]


def invented_name(index: int, syllables: int = 3) -> str:
    """A distinct, pronounceable made-up name per index ("Karovi", "Rolendor", ...): at least `syllables`
    long, longer where the index needs it (cut to `syllables`, the names of story 172 were story 0's
    again, and the 2-syllable model names, hence the count groups, repeated every 49 stories: at 10,000
    articles four stories shared one group, at 100,000 forty)."""
    parts = []
    while len(parts) < syllables or index:
        index, r = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts).capitalize()


def synthetic_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """n copies of the seed articles, grouped into stories with their own names, dates and numbers."""
    rng = random.Random(seed)
    originals = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    paths = []
    start = date(2024, 1, 1)
    for i in range(n):
        story, nth = divmod(i, ARTICLES_PER_STORY)
        text = originals[i % len(originals)]
        base = story * 16
        text = text.replace("Mistral", invented_name(base)).replace("Meta", invented_name(base + 1))
        text = text.replace("Llama", invented_name(base + 2, 2))
        for k, surname in enumerate(PEOPLE):
            text = text.replace(surname, invented_name(base + 3 + k))
        text = text.replace("$2 billion", f"${rng.randint(1, 9)} billion")
        text = text.replace("Eleven", rng.choice(NUMBERS)).replace("three", rng.choice(NUMBERS))
        text += f"\n\nEdition {i}."  # every copy is a distinct article
        day = start + timedelta(days=story * 7 + nth * STORY_DAY_STEP)
        path = folder / f"article-{i:06d}-{day.isoformat()}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes, the ingest process and
    its workers), user and system: unlike wall time it does not grow when other jobs share the cores."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> dict:
    """Peak resident memory of this process and of its largest finished child (a worker), in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"main": round(me), "largest_worker": round(children)}


STAGES = ("fetch", "spacy_model", "nlp", "store", "end_to_end", "rerun_unchanged", "store_only", "cluster",
          "components")
# "components" times each component of the bare model and of newsfacts' pipeline on the paragraphs of the
# first COMPONENT_SAMPLE articles, in this process: where the time of a parse goes.
COMPONENT_SAMPLE = 100  # articles: ~2,000 paragraphs, enough for shares stable to a few per cent
# "store_in_ingest" is measured inside end_to_end: the time spent writing and reconciling there.
# "store_only" stores replicated extractions (pipeline/bench_store.py): no corpus, no spaCy per article.


def _stage(name: str, seconds: float, articles: int, words: int) -> dict:
    return {"stage": name, "seconds": round(seconds, 3), "articles_per_s": round(articles / seconds, 1),
            "words_per_s": round(words / seconds)}


_model = None


def _load_model() -> None:
    global _model
    _model = load_spacy_model()


def _parse(chunk: list[list[str]]) -> int:
    return sum(len(doc) for texts in chunk for doc in _model.pipe(texts, batch_size=PIPE_BATCH_SIZE))


def spacy_model_alone(texts: list[list[str]], processes: int) -> float:
    """The pinned English model by itself on the same paragraphs, at its best: each worker process
    loads it once and parses chunks of articles, returning only a token count (nlp.pipe's own
    n_process ships every Doc back to the parent, which is slower than this on 2 cores).
    Seconds spent parsing; loading the model is not counted."""
    chunks = [texts[i:i + WORKER_CHUNK] for i in range(0, len(texts), WORKER_CHUNK)]
    if processes <= 1:
        _load_model()
        t = time.perf_counter()
        sum(map(_parse, chunks))
        return time.perf_counter() - t
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_load_model) as pool:
        list(pool.map(_parse, [[["warm-up"]]] * processes * 2))
        t = time.perf_counter()
        sum(pool.map(_parse, chunks))
        return time.perf_counter() - t


def component_seconds(nlp, texts: list[str]) -> dict[str, float]:
    """CPU seconds each component of a pipeline spends on the paragraphs, one after the other, in this
    process (the tokenizer first; one warm-up paragraph is not counted). CPU time, not wall time: the shares
    stay put when other jobs share the cores."""
    nlp(texts[0])
    t = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {"tokenizer": time.process_time() - t}
    for name, component in nlp.pipeline:
        t = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=PIPE_BATCH_SIZE))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.process_time() - t
    return {name: round(s, 3) for name, s in seconds.items()}


def components_stage(articles: list[Article]) -> dict[str, dict[str, float]]:
    from pipeline.nlp.build import build_pipeline

    texts = [p.text for a in articles[:COMPONENT_SAMPLE] for p in paragraphs(a.text)]
    timed = {"spacy_model": component_seconds(load_spacy_model(), texts),
             "newsfacts": component_seconds(build_pipeline(), texts)}
    for pipeline_name, seconds in timed.items():
        total = sum(seconds.values())
        shares = ", ".join(f"{name} {s} s ({s / total:.0%})" for name, s in seconds.items())
        print(f"{min(len(articles), COMPONENT_SAMPLE):>6} {pipeline_name} components, {total:.2f} s CPU: {shares}",
              flush=True)
    return timed


def ingest_once(folder: Path, db: str, processes: int) -> dict:
    """End-to-end ingest, then the unchanged re-run, in this (fresh) process: its peak memory is theirs."""
    import pipeline.run as orchestration

    extractor = Extractor(n_process=processes)
    store_s = [0.0]

    def timed(fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                store_s[0] += time.perf_counter() - t
        return wrapper

    # the time the ingest spends writing and reconciling, while the workers go on parsing
    orchestration.save_article = timed(orchestration.save_article)
    orchestration.reconcile_topics = timed(orchestration.reconcile_topics)
    t = time.perf_counter()
    summary = ingest_paths(open_engine(db), [folder], extractor=extractor)
    end_to_end = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest_paths(open_engine(db), [folder], extractor=extractor)
    rerun = time.perf_counter() - t
    return {"end_to_end": end_to_end, "rerun_unchanged": rerun, "store_in_ingest": store_s[0], "new": summary.new,
            "unchanged": again.unchanged, "peak_rss_mb": peak_rss_mb()}


def run(n: int, processes: int, out: Path, stages: tuple[str, ...] = STAGES, templates=None) -> dict:
    if stages == ("store_only",):
        return run_store_only(n, out, templates)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        synthetic_corpus(folder, n)
        t = time.perf_counter()
        articles = [a for a in fetch_folder(folder) if isinstance(a, Article)]
        fetch_s = time.perf_counter() - t
        words = sum(a.word_count for a in articles)
        results: dict = {"n": n, "articles": len(articles), "words": words, "processes": processes,
                         "stages": {}}

        def record(name: str, seconds: float) -> None:
            results["stages"][name] = _stage(name, seconds, results["articles"], words)
            s = results["stages"][name]
            print(f"{n:>6} {name:<16} {s['seconds']:>9} {s['articles_per_s']:>8} {s['words_per_s']:>9}", flush=True)
            out.write_text(json.dumps(results, indent=2))

        print(f"{'N':>6} {'stage':<16} {'seconds':>9} {'art/s':>8} {'words/s':>9}", flush=True)
        record("fetch", fetch_s)
        if "spacy_model" in stages:
            cpu = cpu_seconds()
            record("spacy_model", spacy_model_alone([[p.text for p in paragraphs(a.text)] for a in articles],
                                                    processes))
            results["cpu_seconds"] = {"spacy_model": round(cpu_seconds() - cpu, 1)}
        if "nlp" in stages or "store" in stages:
            t = time.perf_counter()
            extractions = list(Extractor(n_process=processes).extract_many(articles))
            record("nlp", time.perf_counter() - t)
            if "store" in stages:
                engine = open_engine(Path(tmp) / "store.db")
                t = time.perf_counter()
                for article, extraction in extractions:
                    with Session(engine) as session, session.begin():
                        saved = save_article(session, article, extraction)
                        reconcile_topics(session, saved.topics, saved.previous, saved.groups)
                record("store", time.perf_counter() - t)
                engine.dispose()
            del extractions
        components = articles[:COMPONENT_SAMPLE]
        del articles
        if "end_to_end" in stages:
            # a fresh process, so that its peak memory is the ingest's and not this bench's lists
            code = ("import json, sys; from pathlib import Path; from pipeline.bench import ingest_once; "
                    "print(json.dumps(ingest_once(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))))")
            cpu = cpu_seconds()
            proc = subprocess.run([sys.executable, "-c", code, str(folder), f"sqlite:///{tmp}/e2e.db",
                                   str(processes)], capture_output=True, text=True, check=True)
            results.setdefault("cpu_seconds", {})["end_to_end"] = round(cpu_seconds() - cpu, 1)
            child = json.loads(proc.stdout.strip().splitlines()[-1])
            record("store_in_ingest", child["store_in_ingest"])
            record("end_to_end", child["end_to_end"])
            record("rerun_unchanged", child["rerun_unchanged"])
            results["peak_rss_mb_ingest"] = child["peak_rss_mb"]
            if "spacy_model" in results["stages"]:
                results["end_to_end_vs_spacy_model"] = round(
                    child["end_to_end"] / results["stages"]["spacy_model"]["seconds"], 2)
                # both with their processes' loading and the ingest with its unchanged re-run (~0.3 s)
                results["end_to_end_vs_spacy_model_cpu"] = round(
                    results["cpu_seconds"]["end_to_end"] / results["cpu_seconds"]["spacy_model"], 2)
        if "components" in stages:
            # after the ingest: a child process started from this one begins with this one's peak memory,
            # and this stage loads the pipeline here
            results["components"] = components_stage(components)
        if "store_only" in stages:
            _store_only(results, n, templates, Path(tmp))
        if "cluster" in stages:  # the same folder on a Dask LocalCluster of 1, then 2 workers
            from pipeline.bench_cluster import scale_out, why_skipped

            if reason := why_skipped():
                print(f"{n:>6} cluster stage skipped: {reason}", flush=True)
            else:
                seconds = scale_out(folder)
                record("cluster_1_worker", seconds[1])
                record("cluster_2_workers", seconds[2])
                results["cluster_scale_out"] = round(seconds[1] / seconds[2], 2)
                print(f"{n:>6} cluster scale-out, 1 worker's time / 2 workers': {results['cluster_scale_out']}x",
                      flush=True)
        results["peak_rss_mb_bench"] = peak_rss_mb()
        print(f"{n:>6} end-to-end / spaCy model alone: {results.get('end_to_end_vs_spacy_model')}x wall, "
              f"{results.get('end_to_end_vs_spacy_model_cpu')}x CPU {results.get('cpu_seconds')}; "
              f"peak RSS of the ingest: {results.get('peak_rss_mb_ingest')} MB", flush=True)
        out.write_text(json.dumps(results, indent=2))
        return results


def run_store_only(n: int, out: Path, templates) -> dict:
    """The store_only stage by itself: no corpus is written or parsed."""
    results: dict = {"n": n, "articles": n, "words": 0, "stages": {}}
    print(f"{'N':>6} {'stage':<16} {'seconds':>9} {'art/s':>8} {'ms/art':>8} {'cpu ms':>7} {'last 10%':>8} "
          f"{'RSS MB':>6}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        _store_only(results, n, templates, Path(tmp))
    out.write_text(json.dumps(results, indent=2))
    return results


def _store_only(results: dict, n: int, templates, tmp: Path) -> None:
    from pipeline.bench_store import store_only

    run = store_only(templates, n, tmp)
    words = results["words"] * run["n"] // max(1, results["articles"])
    results["stages"]["store_only"] = {**_stage("store_only", run["store_seconds"], run["n"], max(1, words)),
                                       **{k: v for k, v in run.items() if k != "n"}}
    print(f"{n:>6} {'store_only':<16} {run['store_seconds']:>9} {round(n / run['store_seconds'], 1):>8} "
          f"{run['ms_per_article']:>8} {run['cpu_ms_per_article']:>7} {run['marginal_ms_per_article']:>8} "
          f"{run['peak_rss_mb']:>6}", flush=True)


def store_ratios(all_results: list[dict]) -> dict[str, float]:
    """Per-article store time at the largest N over the smallest, per store stage (1.0 = flat in N)."""
    ratios = {}
    ordered = sorted(all_results, key=lambda r: r["n"])
    for stage in ("store_only", "store", "store_in_ingest"):
        have = [r for r in ordered if stage in r["stages"]]
        if len(have) >= 2:
            small, large = have[0], have[-1]
            per = [r["stages"][stage]["seconds"] / r["articles"] for r in (small, large)]
            ratios[f"{stage} {large['n']}/{small['n']}"] = round(per[1] / per[0], 2)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, nargs="+", default=[200])
    parser.add_argument("--processes", type=int, default=2, help="extraction worker processes")
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--plot", type=Path, default=None, help="PNG to write (default: --out with .png)")
    args = parser.parse_args()
    if args.out.is_dir():  # --out DIR: the default file name inside it
        args.out = args.out / "bench-results.json"
    templates = None
    if "store_only" in args.stages:
        from pipeline.bench_store import extract_templates

        templates = extract_templates(args.processes)  # the only parsing the store_only stage does
    all_results = []
    for n in args.n:
        out = args.out.with_name(f"{args.out.stem}-{n}{args.out.suffix}") if len(args.n) > 1 else args.out
        all_results.append(run(n, args.processes, out, tuple(args.stages), templates))
    for name, ratio in store_ratios(all_results).items():
        print(f"store time per article, {name}: {ratio}x", flush=True)
    picture = args.plot or args.out.with_suffix(".png")
    from pipeline.bench_plot import plot

    plot(all_results, picture)
    print(f"wrote {args.out if len(args.n) == 1 else ', '.join(str(r['n']) for r in all_results)}; plot: {picture}")


if __name__ == "__main__":
    main()
