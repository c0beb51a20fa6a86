"""Amounts side by side: newsfacts against gdelt-regkg (a rule-based GDELT GKG re-implementation, PyPI)
on the business gold (corpus/gold-business.jsonl), money amounts only (GKG's amounts have no percentages).

gdelt-regkg needs Python >= 3.12 and is not a newsfacts dependency: run its half in a venv of its own.

    /root/.pyenv/versions/3.12.*/bin/python -m venv /tmp/regkg && /tmp/regkg/bin/pip install gdelt-regkg==2.1.2
    (cd /tmp && /tmp/regkg/bin/python /path/to/corpus/compare_regkg_amounts.py dump corpus/gold-business.jsonl) \
        > /tmp/regkg-amounts.jsonl          # run outside the repo: the package has a module named 'types'
    .venv/bin/python corpus/compare_regkg_amounts.py score corpus/gold-business.jsonl /tmp/regkg-amounts.jsonl

A gold amount is found when an extracted amount has its value (within 0.5%, or inside the extracted
interval); GKG amounts are counted when their object is a currency word. "With subject" also asks for the
gold's company or country as the claim's subject: GKG amounts have none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MONEY_TYPES = ("money", "revenue", "funding", "valuation")
CURRENCY_WORDS = ("dollar", "pound", "euro", "yen", "rupee", "yuan", "franc", "won", "peso", "rouble", "ruble",
                  "krona", "krone", "rand", "real", "lira", "dinar", "riyal", "dirham", "baht", "ringgit", "pence",
                  "cent", "sterling")


def gold_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('{"article"')]


def dump(gold: Path) -> None:
    from gdelt_regkg.fields.amounts import analyze_amounts

    for line in gold_lines(gold):
        text = (gold.parent / line["article"]).read_text(encoding="utf-8")
        mentions = analyze_amounts(text).mentions
        print(json.dumps({"article": line["article"], "amounts": [
            {"value": float(m.amount), "object": m.object_type, "text": m.text} for m in mentions]}))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * abs(b) + 1e-9


def score(gold: Path, regkg_dump: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline.evaluate import VALUE_TOLERANCE, _same_entity, _value_matches
    from pipeline.fetch.folder import read_file
    from pipeline.nlp.extract import Extractor
    from pipeline.types import MoneyClaim

    regkg = {d["article"]: d["amounts"] for d in map(json.loads, regkg_dump.read_text().splitlines())}
    lines = gold_lines(gold)
    extractor = Extractor()
    articles = [read_file(gold.parent / line["article"]) for line in lines]
    totals = {"gold": 0, "ours": 0, "ours_right": 0, "ours_found": 0, "ours_subject": 0,
              "regkg": 0, "regkg_right": 0, "regkg_found": 0}
    for line, (_, extraction) in zip(lines, extractor.extract_many(articles), strict=True):
        golds = [c for c in line["claims"] if c["type"] in MONEY_TYPES]
        ours = [c for c in extraction.claims if isinstance(c, MoneyClaim)]
        theirs = [a for a in regkg[line["article"]] if any(w in (a["object"] or "") for w in CURRENCY_WORDS)]
        totals["gold"] += len(golds)
        totals["ours"] += len(ours)
        totals["regkg"] += len(theirs)

        def ours_has(g: dict, c: MoneyClaim) -> bool:
            return _value_matches(c.amount, float(g["value"]), VALUE_TOLERANCE)

        for g in golds:
            totals["ours_found"] += any(ours_has(g, c) for c in ours)
            totals["ours_subject"] += any(ours_has(g, c) and _same_entity(c.subject, g.get("company")) for c in ours)
            totals["regkg_found"] += any(_close(a["value"], float(g["value"])) for a in theirs)
        totals["ours_right"] += sum(any(ours_has(g, c) for g in golds) for c in ours)
        totals["regkg_right"] += sum(any(_close(a["value"], float(g["value"])) for g in golds) for a in theirs)
    def cell(found: str, total: str) -> str:
        return f"{totals[found]}/{totals[total]} = {totals[found] / max(totals[total], 1):.3f}"

    print("| | gold amounts found (recall) | amounts right (precision) | found with their subject |")
    print("|---|---|---|---|")
    row = f"{cell('ours_found', 'gold')} | {cell('ours_right', 'ours')} | {cell('ours_subject', 'gold')}"
    print(f"| newsfacts | {row} |")
    print(f"| gdelt-regkg 2.1.2 | {cell('regkg_found', 'gold')} | {cell('regkg_right', 'regkg')} | (no subject) |")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "dump":
        dump(Path(args[0]).resolve())
    else:
        score(Path(args[0]), Path(args[1]))
