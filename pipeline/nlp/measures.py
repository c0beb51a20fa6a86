"""The measure vocabulary (models/measures.json): what a money, count or percentage figure measures."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipeline.nlp.build import load_json
from pipeline.types import ClaimKind


@dataclass(frozen=True, slots=True)
class Measure:
    measure: str  # the key's measure ("revenue", "acquisition price")
    kind: ClaimKind  # the claim kind it is filed under
    label: str
    cues: frozenset[str]  # single-word lemmas
    phrases: tuple[str, ...]  # multi-word cues ("market value", "net income")
    object: str | None = None  # the counterparty it has, if any
    refine: bool = False  # profit and loss take their basis: "pre-tax profit", "net loss"
    comparable: bool = True
    results: bool = False  # a company's results: with no owner named, the article's company has them
    places: bool = False  # a country or city may own it ("India's defence budget", "the UK's GDP")
    per_period: bool = False  # a flow reported for a period: inherits the period its article last stated


@dataclass(frozen=True, slots=True)
class Vocabulary:
    money: tuple[Measure, ...]
    by_cue: dict[str, Measure]  # lemma -> measure (first line wins)
    phrases: tuple[tuple[str, Measure], ...]  # longest first
    profit_bases: dict[str, str]
    count_states: dict[str, str]  # verb lemma -> state
    state_particles: dict[str, str]
    group_heads: dict[str, str]  # noun lemma -> canonical group head
    people_groups: frozenset[str]
    job_heads: frozenset[str]
    cut_nouns: frozenset[str]  # "6,000 job losses", "1,200 redundancies"
    lone_cut_nouns: frozenset[str]  # cut nouns that need no "job" compound ("redundancies")
    percent_measures: dict[str, str]  # word -> measure
    up: frozenset[str]
    down: frozenset[str]
    status: dict[str, frozenset[str]]
    per_period: frozenset[str]  # money and percentage measures that are flows reported for a period
    percent_places: frozenset[str]  # percentage measures a country or city may own
    price_kinds: dict[str, str]  # word before "prices" -> the measure ("house" -> "house prices")
    segment_measures: frozenset[str]  # measures whose word a modifier narrows to a part ("iPhone sales")
    same_store: tuple[str, ...]  # modifiers of same-store sales ("like-for-like", "comparable")
    segment_generic: frozenset[str]  # modifiers that leave the whole ("annual", "total", "fourth-quarter")
    segment_adjectives: frozenset[str]  # adjectives that part sales ("online", "overseas")
    segment_parts: frozenset[str]  # nouns of a part of a company: sales "in its generics business", "at the unit"

    def money_measure(self, name: str) -> Measure | None:
        return next((m for m in self.money if m.measure == name), None)

    def is_per_period(self, measure: str | None) -> bool:
        """Is this measure (refined or not: "pre-tax profit") a flow reported for a period?"""
        return measure is not None and (measure in self.per_period or measure.rsplit(" ", 1)[-1] in self.per_period)


@cache
def vocabulary() -> Vocabulary:
    data = load_json("measures.json")
    money = []
    for line in data["money"]:
        cues = [c.lower() for c in line["cues"]]
        money.append(Measure(
            measure=line["measure"], kind=ClaimKind(line["kind"]), label=line["label"],
            cues=frozenset(c for c in cues if " " not in c), phrases=tuple(c for c in cues if " " in c),
            object=line.get("object"), refine=line.get("refine", False), comparable=line.get("comparable", True),
            results=line.get("results", False), places=line.get("places", False),
            per_period=line.get("per_period", False)))
    by_cue: dict[str, Measure] = {}
    for m in money:
        for cue in m.cues:
            by_cue.setdefault(cue, m)
    phrases = sorted(((p, m) for m in money for p in m.phrases), key=lambda pm: -len(pm[0]))
    counts = data["counts"]
    pct = data["percentages"]
    return Vocabulary(
        money=tuple(money), by_cue=by_cue, phrases=tuple(phrases), profit_bases=data["profit_bases"],
        count_states={verb: state for state, verbs in counts["states"].items() for verb in verbs},
        state_particles=counts["state_particles"],
        group_heads={**{w: f"{w}s" for w in counts["professions"]},
                     **{w: canon for canon, words in counts["group_heads"].items() for w in [canon, *words]}},
        people_groups=frozenset(counts["people_groups"]),
        job_heads=frozenset(counts["job_heads"]),
        cut_nouns=frozenset(counts["cut_nouns"]),
        lone_cut_nouns=frozenset(counts["lone_cut_nouns"]),
        percent_measures={w: m for m, words in pct["measures"].items() for w in words},
        up=frozenset(pct["up"]), down=frozenset(pct["down"]),
        status={k: frozenset(v) for k, v in data["status"].items() if not k.startswith("_")},
        per_period=frozenset([*(m.measure for m in money if m.per_period), *pct.get("per_period", ())]),
        percent_places=frozenset(pct.get("places", ())),
        price_kinds={w: m for m, words in pct.get("price_kinds", {}).items() for w in words},
        segment_measures=frozenset(data["segments"]["measures"]),
        same_store=tuple(sorted(data["segments"]["same_store"], key=len, reverse=True)),
        segment_generic=frozenset(data["segments"]["generic"]),
        segment_adjectives=frozenset(data["segments"]["adjectives"]),
        segment_parts=frozenset(data["segments"]["parts"]),
    )
