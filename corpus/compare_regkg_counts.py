"""Counts side by side: newsfacts against gdelt-regkg (a rule-based GDELT GKG re-implementation, PyPI)
on the general-news count gold (corpus/gold-news-counts.jsonl): people killed, injured, missing, arrested,
released, displaced, rescued, protesting, cases, votes and seats.

gdelt-regkg needs Python >= 3.12 and is not a newsfacts dependency: run its half in a venv of its own.

    /root/.pyenv/versions/3.12.1/bin/python -m venv /tmp/regkg && /tmp/regkg/bin/pip install gdelt-regkg==2.1.2
    (cd /tmp && /tmp/regkg/bin/python /path/to/corpus/compare_regkg_counts.py dump corpus/gold-news-counts.jsonl) \\
        > /tmp/regkg-counts.jsonl          # run outside the repo: the package has a module named 'types'
    .venv/bin/python corpus/compare_regkg_counts.py score corpus/gold-news-counts.jsonl /tmp/regkg-counts.jsonl

The dump uses gdelt_regkg.fields.counts.analyze_counts(text) with its default rules (profile
gdelt-count-seasonal-v3): one CountMention per (number, label), with count_type (KILL, WOUND, ARREST, ...),
number (an exact integer), object_type, start, end and trigger_start.

Classes. Gold measures, newsfacts states and regkg count types are mapped onto coarse classes (CLASS_OF,
REGKG_CLASS): killed (killed, deaths), injured, missing (missing, kidnapped), arrested (arrested, detained,
charged), released, displaced (evacuated, displaced, homeless), rescued, protest (protesters, crowd), cases,
votes (votes for/against, abstained, turnout) and seats. regkg has types for killed (KILL, CRISISLEX_T03_DEAD,
ASSASSINATION, NATURAL_DISASTER_DROWNED, ARMEDCONFLICT), injured (WOUND, CRISISLEX_T02_INJURED), missing
(KIDNAP, CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE), rescued (CRISISLEX_T08 when its trigger is 'rescued'),
arrested (ARREST, CRISISLEX_C07_SAFETY, SOC_GENERALCRIME), released (RELEASE_HOSTAGE), displaced (EVACUATION,
DISPLACED, CRISISLEX_T09_..., CRISISLEX_C05_NEED_OF_SHELTERS: '{n} homeless', REFUGEES), protest (PROTEST,
TAX_FNCACT_DEMONSTRATORS, VIOLENT_UNREST) and cases (SICKENED: 'infected', 'sickened', 'hospitalized'). It
has none for votes or seats: gold counts of those classes are misses for regkg in the "all" rows; the
"classes both cover" rows leave them out. regkg labels of no class (AFFECT, SEIZE, CRISISLEX_CRISISLEXREC,
CRISISLEX_C03_WELLBEING_HEALTH, MOVEMENT_GENERAL, STRIKE, POVERTY, ...) and newsfacts states of no class (the
business states leave, remain, join, hire, lay off, employ) are not extractions of these classes: they count
neither for nor against precision. regkg gives several labels to one mention ('20 people were killed': KILL
and CRISISLEX_T03_DEAD): its mentions are counted once per (position, class).

Matching. A gold count is found when an extraction of the same class in the same article has its value:
exactly (the figure as written: 'more than 250' is 250), or the gold value inside a bounded extracted interval
('hundreds' is [200, 1,000), 'between 2,000 and 4,000'), as pipeline.evaluate does; an open-ended reading
('at least 20') holds only its own figure, so neither system is favoured by its intervals. Precision:
extracted counts of the classes that match a gold count of their class in their article / all extracted
counts of the classes. One extraction may find two
gold counts (regkg's '28 people detained' finds both 'arrested 28' and 'detained 28'), so found can exceed
right. Group, event, claimant and qualifier are not checked; the line under the table says how many of
newsfacts' matched counts carry an event or a claimant (attributes of CountClaim when it has them).

Last run (2026-12-02, gdelt-regkg 2.1.2, newsfacts with its general-news count measures,
pipeline/nlp/claims/events.py):

| system | classes | gold counts | found | recall | extracted | right | precision |
|---|---|---|---|---|---|---|---|
| newsfacts | all | 119 | 98 | 0.824 | 95 | 93 | 0.979 |
| newsfacts | classes both cover | 98 | 83 | 0.847 | 82 | 80 | 0.976 |
| gdelt-regkg 2.1.2 | all | 119 | 27 | 0.227 | 29 | 26 | 0.897 |
| gdelt-regkg 2.1.2 | classes both cover | 98 | 27 | 0.276 | 29 | 26 | 0.897 |
| newsfacts | killed | 37 | 32 | 0.865 | 32 | 32 | 1.000 |
| gdelt-regkg 2.1.2 | killed | 37 | 20 | 0.541 | 20 | 20 | 1.000 |
| newsfacts | injured | 5 | 4 | 0.800 | 5 | 4 | 0.800 |
| gdelt-regkg 2.1.2 | injured | 5 | 2 | 0.400 | 2 | 2 | 1.000 |
| newsfacts | missing | 5 | 3 | 0.600 | 3 | 3 | 1.000 |
| gdelt-regkg 2.1.2 | missing | 5 | 0 | 0.000 | 0 | 0 | - |
| newsfacts | arrested | 15 | 14 | 0.933 | 15 | 15 | 1.000 |
| gdelt-regkg 2.1.2 | arrested | 15 | 5 | 0.333 | 4 | 4 | 1.000 |
| newsfacts | released | 3 | 3 | 1.000 | 3 | 3 | 1.000 |
| gdelt-regkg 2.1.2 | released | 3 | 0 | 0.000 | 0 | 0 | - |
| newsfacts | displaced | 5 | 4 | 0.800 | 4 | 4 | 1.000 |
| gdelt-regkg 2.1.2 | displaced | 5 | 0 | 0.000 | 0 | 0 | - |
| newsfacts | rescued | 0 | 0 | - | 1 | 0 | 0.000 |
| gdelt-regkg 2.1.2 | rescued | 0 | 0 | - | 1 | 0 | 0.000 |
| newsfacts | protest | 14 | 9 | 0.643 | 7 | 7 | 1.000 |
| gdelt-regkg 2.1.2 | protest | 14 | 0 | 0.000 | 2 | 0 | 0.000 |
| newsfacts | cases | 14 | 14 | 1.000 | 12 | 12 | 1.000 |
| gdelt-regkg 2.1.2 | cases | 14 | 0 | 0.000 | 0 | 0 | - |
| newsfacts | votes (no regkg type) | 14 | 12 | 0.857 | 10 | 10 | 1.000 |
| gdelt-regkg 2.1.2 | votes (no regkg type) | 14 | 0 | 0.000 | 0 | 0 | - |
| newsfacts | seats (no regkg type) | 7 | 3 | 0.429 | 3 | 3 | 1.000 |
| gdelt-regkg 2.1.2 | seats (no regkg type) | 7 | 0 | 0.000 | 0 | 0 | - |

newsfacts matched counts with an event: 82/93, with a claimant: 10/93.
Extractions of no class, not scored: newsfacts 5 count claims, regkg 0 mentions.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Gold measures and newsfacts states (the gold's names, and the verbs and nouns a state may be named by) -> class
CLASS_OF: dict[str, str] = {}
for _cls, _names in {
    "killed": ("killed", "kill", "killing", "deaths", "death", "dead", "die", "died", "death toll", "fatalities",
               "fatality", "lives lost", "drowned", "executed"),
    "injured": ("injured", "injure", "injury", "injuries", "wounded", "wound", "hurt", "hospitalised",
                "hospitalized"),
    "missing": ("missing", "kidnapped", "kidnap", "abducted", "abduct", "hostages", "hostage", "trapped"),
    "arrested": ("arrested", "arrest", "arrests", "detained", "detain", "charged", "charge", "convicted",
                 "jailed", "held"),
    "released": ("released", "release", "freed", "free"),
    "displaced": ("evacuated", "evacuate", "displaced", "displace", "homeless", "refugees"),
    "rescued": ("rescued", "rescue"),
    "protest": ("protesters", "protestors", "protest", "protested", "demonstrators", "demonstrate", "marched",
                "crowd", "attended", "rally"),
    "cases": ("cases", "case", "infected", "infections", "infection", "tested positive"),
    "votes": ("votes for", "votes against", "votes", "vote", "voted for", "voted against", "abstained",
              "abstain", "abstentions", "turnout"),
    "seats": ("seats", "seat"),
}.items():
    for _name in _names:
        CLASS_OF[_name] = _cls
CLASSES = ("killed", "injured", "missing", "arrested", "released", "displaced", "rescued", "protest", "cases",
           "votes", "seats")

# gdelt-regkg count types -> class; labels not here belong to no class
REGKG_CLASS = {
    "KILL": "killed", "CRISISLEX_T03_DEAD": "killed", "ASSASSINATION": "killed",
    "NATURAL_DISASTER_DROWNED": "killed", "ARMEDCONFLICT": "killed",  # only '{n} killed in combat/fighting'
    "WOUND": "injured", "CRISISLEX_T02_INJURED": "injured",
    "KIDNAP": "missing", "CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE": "missing",
    "ARREST": "arrested", "CRISISLEX_C07_SAFETY": "arrested", "SOC_GENERALCRIME": "arrested",
    "RELEASE_HOSTAGE": "released",
    "EVACUATION": "displaced", "DISPLACED": "displaced", "CRISISLEX_T09_DISPLACEDRELOCATEDEVACUATED": "displaced",
    "CRISISLEX_C05_NEED_OF_SHELTERS": "displaced", "REFUGEES": "displaced",
    "PROTEST": "protest", "TAX_FNCACT_DEMONSTRATORS": "protest", "VIOLENT_UNREST": "protest",
    "SICKENED": "cases",
}
BOTH = tuple(c for c in CLASSES if c in REGKG_CLASS.values() or c == "rescued")


@dataclass(frozen=True)
class Count:
    """One extracted count, reduced to what is scored."""

    cls: str
    value: float
    low: float | None = None  # None: unbounded (the interval is [value, value] for an exact count)
    high: float | None = None
    event: str | None = None
    claimant: str | None = None

    def holds(self, gold_value: float) -> bool:
        """The figure as written, or a gold value inside a bounded reading of it ('hundreds', 'between 2,000
        and 4,000'); an open-ended 'at least 20' does not hold every larger toll (as pipeline.evaluate)."""
        if self.value == gold_value:
            return True
        if self.low is None or self.high is None:
            return False
        return self.low <= gold_value <= self.high


def gold_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('{"article"')]


def gold_class(measure: str) -> str:
    """A gold measure's class; a measure not in the table is a class of its own (and said so)."""
    cls = CLASS_OF.get(measure.lower())
    if cls is None:
        print(f"note: gold measure {measure!r} has no class; scored as a class of its own", file=sys.stderr)
        return measure.lower()
    return cls


def dump(gold: Path) -> None:
    from gdelt_regkg.fields.counts import analyze_counts

    for line in gold_lines(gold):
        text = (gold.parent / line["article"]).read_text(encoding="utf-8")
        print(json.dumps({"article": line["article"], "counts": [
            {"type": m.count_type, "number": m.number, "object": m.object_type, "start": m.start, "end": m.end,
             "trigger_start": m.trigger_start, "text": text[min(m.start, m.trigger_start):m.end]}
            for m in analyze_counts(text).mentions]}))


def regkg_counts(mentions: list[dict]) -> tuple[list[Count], int]:
    """regkg mentions as counts of the classes, once per (position, class); and how many mentions had none."""
    seen: dict[tuple[int, str], Count] = {}
    unclassed = set()
    for m in mentions:
        cls = REGKG_CLASS.get(m["type"])
        if cls == "missing" and "rescu" in m.get("text", "").lower():
            cls = "rescued"  # CRISISLEX_T08 is also 'rescued': its trigger says which
        if cls is None:
            unclassed.add(m["start"])
            continue
        seen.setdefault((m["start"], cls), Count(cls, float(m["number"]), float(m["number"]), float(m["number"])))
    return list(seen.values()), len(unclassed - {start for start, _ in seen})


def newsfacts_counts(claims) -> tuple[list[Count], int]:
    """newsfacts CountClaims as counts of the classes; and how many had a state of no class."""
    out, unclassed = [], 0
    for c in claims:
        cls = CLASS_OF.get(str(c.state).lower())
        if cls is None:
            unclassed += 1
            continue
        q = c.value
        out.append(Count(cls, float(q.value), q.interval.low, q.interval.high,
                         getattr(c, "event", None) or None, getattr(c, "claimant", None) or None))
    return out, unclassed


def tally(golds: list[dict], extracted: list[Count]) -> dict[str, Counter]:
    """For one article: per class, gold counts, found, extracted, right; plus matched counts with event/claimant."""
    t: dict[str, Counter] = {}
    for g in golds:
        cls = gold_class(g["measure"])
        row = t.setdefault(cls, Counter())
        row["gold"] += 1
        row["found"] += any(e.cls == cls and e.holds(float(g["value"])) for e in extracted)
    for e in extracted:
        row = t.setdefault(e.cls, Counter())
        row["extracted"] += 1
        if any(gold_class(g["measure"]) == e.cls and e.holds(float(g["value"])) for g in golds):
            row["right"] += 1
            row["right_event"] += e.event is not None
            row["right_claimant"] += e.claimant is not None
    return t


def add(total: dict[str, Counter], part: dict[str, Counter]) -> None:
    for cls, row in part.items():
        total.setdefault(cls, Counter()).update(row)


def table(systems: dict[str, dict[str, Counter]]) -> list[str]:
    """Markdown rows: each system over all classes, over the classes both cover, then per class."""
    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "-"

    def row(name: str, label: str, classes) -> str:
        s = Counter()
        for cls in classes:
            s.update(systems[name].get(cls, Counter()))
        return (f"| {name} | {label} | {s['gold']} | {s['found']} | {ratio(s['found'], s['gold'])} | "
                f"{s['extracted']} | {s['right']} | {ratio(s['right'], s['extracted'])} |")

    every = list(CLASSES) + sorted({c for t in systems.values() for c in t} - set(CLASSES))
    out = ["| system | classes | gold counts | found | recall | extracted | right | precision |",
           "|---|---|---|---|---|---|---|---|"]
    for name in systems:
        out.append(row(name, "all", every))
        out.append(row(name, "classes both cover", BOTH))
    for cls in every:
        for name in systems:
            if any(systems[name].get(cls, Counter())[k] for k in ("gold", "extracted")):
                out.append(row(name, cls + ("" if cls in BOTH else " (no regkg type)"), [cls]))
    return out


def score(gold: Path, regkg_dump: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline.fetch.folder import read_file
    from pipeline.nlp.extract import Extractor
    from pipeline.types import CountClaim

    regkg = {d["article"]: d["counts"] for d in map(json.loads, regkg_dump.read_text().splitlines())}
    lines = gold_lines(gold)
    articles = [read_file(gold.parent / line["article"]) for line in lines]
    ours: dict[str, Counter] = {}
    theirs: dict[str, Counter] = {}
    unclassed = Counter()
    for line, (_, extraction) in zip(lines, Extractor().extract_many(articles), strict=True):
        golds = [c for c in line["claims"] if c["type"] == "count"]
        counts, n = newsfacts_counts([c for c in extraction.claims if isinstance(c, CountClaim)])
        unclassed["newsfacts"] += n
        add(ours, tally(golds, counts))
        counts, n = regkg_counts(regkg[line["article"]])
        unclassed["regkg"] += n
        add(theirs, tally(golds, counts))
    for row in table({"newsfacts": ours, "gdelt-regkg 2.1.2": theirs}):
        print(row)
    right = Counter()
    for row in ours.values():
        right.update(row)
    print(f"\nnewsfacts matched counts with an event: {right['right_event']}/{right['right']}, "
          f"with a claimant: {right['right_claimant']}/{right['right']}.\nExtractions of no class, not scored: "
          f"newsfacts {unclassed['newsfacts']} count claims, regkg {unclassed['regkg']} mentions.")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "dump":
        dump(Path(args[0]).resolve())
    else:
        score(Path(args[0]), Path(args[1]))
