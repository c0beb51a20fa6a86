"""The bench report's picture: throughput per stage and store time per article against N (PNG, matplotlib)."""

from __future__ import annotations

from pathlib import Path

# Small enough to read beside the README table, large enough for two panels with their labels.
FIGURE_INCHES = (10, 4)
FIGURE_DPI = 100


def plot(results: list[dict], path: Path) -> Path:
    """Left: articles/s of each stage at each N; right: store ms per article against N (log scale)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the bench runs on servers and in CI
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=FIGURE_INCHES, dpi=FIGURE_DPI)
    stages = [s for s in dict.fromkeys(name for r in results for name in r["stages"]) if s != "fetch"]
    width = 0.8 / max(1, len(results))
    for k, r in enumerate(results):
        xs = [i + k * width for i, s in enumerate(stages) if s in r["stages"]]
        ys = [r["stages"][s]["articles_per_s"] for s in stages if s in r["stages"]]
        left.bar(xs, ys, width, label=f"N = {r['n']:,}")
    left.set_xticks([i + width * (len(results) - 1) / 2 for i in range(len(stages))], stages, rotation=30,
                    ha="right")
    left.set_ylabel("articles per second")
    left.set_title("throughput per stage")
    left.legend()
    curves = {"store_only": "store only (replicated extractions)", "store": "store (parsed articles)",
              "store_in_ingest": "store inside the ingest"}
    for stage, label in curves.items():
        points = [(r["n"], 1000 * r["stages"][stage]["seconds"] / r["articles"]) for r in results
                  if stage in r["stages"]]
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    cpu = [(r["n"], r["stages"]["store_only"]["cpu_ms_per_article"]) for r in results
           if "cpu_ms_per_article" in r["stages"].get("store_only", {})]
    if cpu:  # CPU time: what the wall time is when the machine has nothing else to run
        right.plot(*zip(*cpu, strict=True), marker="s", linestyle="--", label="store only, CPU time")
    right.set_xscale("log")
    right.set_ylim(bottom=0)
    right.set_xlabel("articles in the database (N)")
    right.set_ylabel("save + reconcile, ms per article")
    right.set_title("store time against N")
    right.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
