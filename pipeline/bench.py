"""Benchmark (make bench): spaCy alone vs extraction vs end-to-end ingest, and an unchanged re-run."""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from pipeline.fetch.folder import fetch_folder
from pipeline.nlp.extract import Extractor, paragraphs
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine
from pipeline.types import Article

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "seed"
# Names and numbers swapped into copies so the reconciler sees many topics, not one.
COMPANIES = ["Mistral", "Meta", "Anthropic", "OpenAI", "Cohere", "Helsing", "Poolside", "Databricks"]
NUMBERS = ["three", "four", "five", "Eleven", "Twelve", "Only two", "six", "seven"]


def synthetic_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    originals = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    paths = []
    for i in range(n):
        text = originals[i % len(originals)]
        a, b = rng.sample(COMPANIES, 2)
        text = text.replace("Mistral", a).replace("Meta", b)
        text = text.replace("$2 billion", f"${rng.randint(1, 9)} billion")
        text = text.replace("Eleven", rng.choice(NUMBERS)).replace("three", rng.choice(NUMBERS))
        text += f"\n\nEdition {i}."  # every copy is a distinct article
        path = folder / f"article-{i:06d}-2025-{1 + i % 12:02d}-{1 + i % 28:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, n_process: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        synthetic_corpus(folder, n)
        articles = [a for a in fetch_folder(folder) if isinstance(a, Article)]
        words = sum(a.word_count for a in articles)
        extractor = Extractor(n_process=n_process)
        results: dict = {"articles": len(articles), "words": words, "n_process": n_process}

        def timed(name, fn):
            t = time.perf_counter()
            fn()
            seconds = time.perf_counter() - t
            results[name] = {"seconds": round(seconds, 3),
                             "articles_per_s": round(len(articles) / seconds, 1),
                             "words_per_s": round(words / seconds)}

        timed("fetch", lambda: list(fetch_folder(folder)))
        texts = [p.text for a in articles for p in paragraphs(a.text)]
        timed("spacy_alone", lambda: list(extractor.nlp.pipe(
            texts, batch_size=64, n_process=n_process)))
        timed("extract", lambda: list(extractor.extract_many(articles)))
        engine = open_engine(Path(tmp) / "bench.db")
        timed("end_to_end", lambda: ingest_paths(engine, [folder], extractor=extractor))
        timed("rerun_unchanged", lambda: ingest_paths(engine, [folder], extractor=extractor))
        results["end_to_end_vs_spacy"] = round(
            results["end_to_end"]["seconds"] / results["spacy_alone"]["seconds"], 2)
        results["peak_rss_mb"] = round(peak_rss_mb())
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, nargs="+", default=[200])
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    args = parser.parse_args()
    all_results = [run(n, args.processes) for n in args.n]
    print(f"{'N':>6} {'stage':<16} {'seconds':>8} {'art/s':>8} {'words/s':>9}")
    for r in all_results:
        for stage in ("fetch", "spacy_alone", "extract", "end_to_end", "rerun_unchanged"):
            s = r[stage]
            print(f"{r['articles']:>6} {stage:<16} {s['seconds']:>8} {s['articles_per_s']:>8} "
                  f"{s['words_per_s']:>9}")
        print(f"{r['articles']:>6} end-to-end / spaCy alone: {r['end_to_end_vs_spacy']}x; "
              f"peak RSS {r['peak_rss_mb']} MB")
    args.out.write_text(json.dumps(all_results, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
