"""Benchmark (make bench): spaCy alone vs extraction vs end-to-end ingest, and an unchanged re-run."""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pipeline.fetch.folder import fetch_folder
from pipeline.nlp.extract import Extractor, paragraphs
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine
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
    """A distinct, pronounceable made-up name per index ("Karovi", "Rolendor", ...)."""
    parts = []
    for _ in range(syllables):
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
