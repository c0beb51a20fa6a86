"""Open-domain evaluation: false alarms over unrelated real news, entity types against names labelled by
hand (side by side with the bare English model), and second-outlet copies with one figure restated."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from pipeline.errors import ConfigError
from pipeline.fetch.folder import read_file
from pipeline.nlp.components import normalize_name
from pipeline.nlp.extract import Extractor, paragraphs
from pipeline.types import Article

LABELS_FILE = "entities.jsonl"  # the names the entity rules were written against
HOLDOUT_LABELS_FILE = "entities-holdout.jsonl"  # names kept apart from rule writing
PERTURBATIONS_FILE = "perturbations.jsonl"
# Label types a hand-labelled name may carry (corpus/open/entities.jsonl); company_or_org marks names
# that are fairly both (news outlets, sports clubs, state-owned firms): either type is right for them.
LABEL_TYPES = frozenset({"person", "company", "org", "company_or_org", "place", "product", "work", "event",
                         "index", "other"})
EITHER = "company_or_org"
# The bare model's labels that stand for our types, for the side-by-side scores.
BARE_LABELS = {"person": ("PERSON",), "company": ("ORG",), "org": ("ORG",)}
SCORED_TYPES = ("person", "company", "org")


# ---------------------------------------------------------------- entity types

@dataclass(frozen=True, slots=True)
class LabelledName:
    name: str
    type: str
    forms: frozenset[str]  # casefolded name and aliases


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    path: Path
    names: tuple[LabelledName, ...]

    def label_of(self, name: str) -> LabelledName | None:
        key = _fold(name)
        return next((n for n in self.names if key in n.forms), None)


def _fold(name: str) -> str:
    return " ".join(normalize_name(name).casefold().split())


def load_labels(path: Path) -> list[LabelledArticle]:
    """One JSON object per article: {"article": ..., "names": [{"name", "type", "aliases"}]}."""
    out = []
    for number, obj in _jsonl(path):
        try:
            names = []
            for n in obj["names"]:
                if n["type"] not in LABEL_TYPES:
                    raise ValueError(f"unknown type {n['type']!r}")
                forms = frozenset(_fold(f) for f in (n["name"], *n.get("aliases", ())))
                names.append(LabelledName(n["name"], n["type"], forms))
            out.append(LabelledArticle(path.parent / obj["article"], tuple(names)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"line {number}: {exc}", where=str(path)) from exc
    return out


def _jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", where=str(path)) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"line {number}: {exc}", where=str(path)) from exc
        if "_doc" not in obj:
            yield number, obj


@dataclass(slots=True)
class TypeScore:
    """Precision over the names a system gave a type; recall over the names labelled with it."""

    predicted: int = 0
    correct: int = 0
    labelled: int = 0
    found: int = 0
    wrong: list[str] = field(default_factory=list)  # "article: name (labelled X)"
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.labelled if self.labelled else None


def score_types(labelled: LabelledArticle, predicted: dict[str, set[str]], scores: dict[str, TypeScore]) -> None:
    """predicted: our type -> names given it in this article (as the system wrote them)."""
    where = labelled.path.name
    for etype in SCORED_TYPES:
        score = scores.setdefault(etype, TypeScore())
        names = {_fold(n): n for n in predicted.get(etype, ())}
        for key, name in sorted(names.items()):
            score.predicted += 1
            label = labelled.label_of(key)
            if label is not None and (label.type == etype or (label.type == EITHER and etype != "person")):
                score.correct += 1
            else:
                score.wrong.append(f"{where}: {name} ({label.type if label else 'not a name'})")
        for label in labelled.names:
            if label.type != etype:
                continue
            score.labelled += 1
            if label.forms & names.keys():
                score.found += 1
            else:
                score.missed.append(f"{where}: {label.name}")


@dataclass(frozen=True, slots=True)
class EntityTypeReport:
    ours: dict[str, TypeScore]
    bare: dict[str, TypeScore]
    articles: int
    names: int


def entity_types(labels: list[LabelledArticle], extractor: Extractor) -> EntityTypeReport:
    from pipeline.nlp.build import load_spacy_model

    bare_nlp = load_spacy_model()
    ours: dict[str, TypeScore] = {}
    bare: dict[str, TypeScore] = {}
    articles = [read_file(a.path) for a in labels]
    for labelled, (article, extraction) in zip(labels, extractor.extract_many(articles), strict=True):
        predicted: dict[str, set[str]] = {}
        for m in extraction.mentions:
            predicted.setdefault(m.type.value, set()).add(m.name)
        score_types(labelled, predicted, ours)
        score_types(labelled, _bare_predictions(bare_nlp, article), bare)
    return EntityTypeReport(ours, bare, len(labels), sum(len(a.names) for a in labels))


def _bare_predictions(nlp, article: Article) -> dict[str, set[str]]:
    """The English model by itself on the same paragraphs: PERSON as people, ORG as companies and orgs."""
    found: dict[str, set[str]] = {}
    for doc in nlp.pipe(p.text for p in paragraphs(article.text)):
        for ent in doc.ents:
            name = normalize_name(ent.text)
            if not name:
                continue
            for etype, model_labels in BARE_LABELS.items():
                if ent.label_ in model_labels:
                    found.setdefault(etype, set()).add(name)
    return found


# ---------------------------------------------------------------- false alarms

@dataclass(frozen=True, slots=True)
class AlarmReport:
    articles: int
    not_english: int
    contradictions: list[dict]  # as `newsfacts contradictions --all --format json` gives them
    shown: int  # the ones `newsfacts contradictions` lists by default (high and medium confidence)

    @property
    def per_100(self) -> float:
        return 100 * self.shown / self.articles if self.articles else 0.0

    @property
    def per_100_all(self) -> float:
        return 100 * len(self.contradictions) / self.articles if self.articles else 0.0


def false_alarms(folders: list[Path], extractor: Extractor, db: Path) -> AlarmReport:
    """Ingest unrelated real news into one database: every contradiction raised is listed for review."""
    from pipeline.run import ingest_paths
    from pipeline.store import queries
    from pipeline.store.db import open_engine

    engine = open_engine(db)
    summary = ingest_paths(engine, folders, extractor=extractor)
    with Session(engine) as s:
        every = queries.contradictions(s, include_low=True)
        stats = queries.stats(s)
    shown = sum(1 for c in every if c["confidence"] in queries.SHOWN_CONFIDENCE)
    english = stats["articles"] - summary.not_english
    return AlarmReport(english, summary.not_english, every, shown)


# ---------------------------------------------------------------- perturbations

@dataclass(frozen=True, slots=True)
class Perturbation:
    article: Path
    find: str
    replace: str
    flag: bool  # True: the copy must be flagged against the original
    figure: str = ""


@dataclass(slots=True)
class PerturbationReport:
    flagged: int = 0
    flag_cases: int = 0
    false_flags: int = 0
    no_flag_cases: int = 0
    missed: list[str] = field(default_factory=list)
    wrongly_flagged: list[str] = field(default_factory=list)

    @property
    def flag_recall(self) -> float | None:
        return self.flagged / self.flag_cases if self.flag_cases else None

    @property
    def false_flag_rate(self) -> float | None:
        return self.false_flags / self.no_flag_cases if self.no_flag_cases else None


def load_perturbations(path: Path) -> list[Perturbation]:
    out = []
    for number, obj in _jsonl(path):
        try:
            if obj["expect"] not in ("flag", "no_flag"):
                raise ValueError(f"expect must be flag or no_flag, not {obj['expect']!r}")
            out.append(Perturbation(path.parent / obj["article"], obj["find"], obj["replace"],
                                    obj["expect"] == "flag", obj.get("figure", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"line {number}: {exc}", where=str(path)) from exc
    return out


def perturbations(cases: list[Perturbation], extractor: Extractor, workdir: Path) -> PerturbationReport:
    """Each case: the original article and a second outlet's copy with one figure restated, in a fresh
    database; flagged means a contradiction listed by default joins a claim of each."""
    from pipeline.run import ingest_items
    from pipeline.store import queries
    from pipeline.store.db import open_engine

    report = PerturbationReport()
    originals: dict[Path, Article] = {}
    for number, case in enumerate(cases):
        original = originals.get(case.article) or read_file(case.article)
        originals[case.article] = original
        text = original.text
        if text.count(case.find) != 1:
            raise ConfigError(f"case {number + 1}: {case.find!r} is not found exactly once", where=str(case.article))
        at = text.index(case.find)
        copy = Article(source=f"second-outlet/{case.article.name}", text=text.replace(case.find, case.replace),
                       title=original.title, author=None, published=original.published, site="second outlet",
                       url=None)
        db = workdir / f"case-{number}.db"
        engine = open_engine(db)
        ingest_items(engine, [original, copy], extractor=extractor)
        with Session(engine) as s:
            shown = [c for c in queries.contradictions(s)
                     if {c["a"]["source"], c["b"]["source"]} == {original.source, copy.source}]
        engine.dispose()
        db.unlink()
        end = at + len(case.replace)
        hit = [c for c in shown if any(side["source"] == copy.source and side["start"] < end
                                       and side["end"] > at for side in (c["a"], c["b"]))]
        label = f"{case.article.parent.name}/{case.article.name}: {case.find!r} -> {case.replace!r}"
        if case.flag:
            report.flag_cases += 1
            if hit:
                report.flagged += 1
            else:
                report.missed.append(label)
        else:
            report.no_flag_cases += 1
            if shown:
                report.false_flags += 1
                report.wrongly_flagged.append(f"{label}: {shown[0]['reason']}")
    return report


# ---------------------------------------------------------------- the whole report

@dataclass(frozen=True, slots=True)
class OpenDomainReport:
    alarms: AlarmReport
    types: EntityTypeReport  # all labelled names
    held_apart: EntityTypeReport  # only the names kept apart from rule writing
    perturbed: PerturbationReport

    def rows(self) -> list[dict]:
        """Name -> value rows; the names are the keys of corpus/eval-floor.json's open-domain bounds."""
        rows = [
            {"measure": "open:articles (English)", "value": self.alarms.articles},
            {"measure": "open:not in English (stored, not extracted)", "value": self.alarms.not_english},
            {"measure": "open:contradictions per 100 articles", "value": round(self.alarms.per_100, 3)},
            {"measure": "open:contradictions per 100 articles (all confidences)",
             "value": round(self.alarms.per_100_all, 3)},
            {"measure": "open:labelled names", "value": self.types.names},
        ]
        for report, suffix in ((self.types, ""), (self.held_apart, ", held-apart names")):
            for etype in SCORED_TYPES:
                for system, scores in (("newsfacts", report.ours), ("bare model", report.bare)):
                    s = scores.get(etype, TypeScore())
                    rows.append({"measure": f"open:{etype} precision ({system}{suffix})", "value": _r(s.precision)})
                    rows.append({"measure": f"open:{etype} recall ({system}{suffix})", "value": _r(s.recall)})
        rows += [
            {"measure": "open:perturbation flag recall", "value": _r(self.perturbed.flag_recall)},
            {"measure": "open:perturbation false-flag rate", "value": _r(self.perturbed.false_flag_rate)},
            {"measure": "open:perturbation cases", "value":
                self.perturbed.flag_cases + self.perturbed.no_flag_cases},
        ]
        return rows

    def values(self) -> dict[str, float | None]:
        return {r["measure"]: r["value"] for r in self.rows()}

    def review(self) -> list[str]:
        """Every item a person should look at: each contradiction raised, each wrong type, each miss."""
        lines = []
        for c in self.alarms.contradictions:
            lines.append(f"contradiction [{c['confidence']}] {c['reason']}\n    a: {c['a']['sentence']}\n"
                         f"    b: {c['b']['sentence']}")
        for etype, s in self.types.ours.items():
            lines += [f"{etype} typed wrongly: {w}" for w in s.wrong]
            lines += [f"{etype} missed: {m}" for m in s.missed]
        lines += [f"perturbation missed: {m}" for m in self.perturbed.missed]
        lines += [f"perturbation wrongly flagged: {m}" for m in self.perturbed.wrongly_flagged]
        return lines


def _r(x: float | None) -> float | None:
    return round(x, 3) if x is not None else None


def evaluate_open(root: Path, extractor: Extractor | None = None) -> OpenDomainReport:
    """The open-domain report over a corpus folder holding entities*.jsonl and perturbations.jsonl."""
    extractor = extractor or Extractor()
    work = Path(tempfile.mkdtemp(prefix="newsfacts-open-"))
    try:
        alarms = false_alarms([root], extractor, work / "open.db")
        dev, held = load_labels(root / LABELS_FILE), load_labels(root / HOLDOUT_LABELS_FILE)
        types = entity_types(dev + held, extractor)
        held_apart = entity_types(held, extractor)
        perturbed = perturbations(load_perturbations(root / PERTURBATIONS_FILE), extractor, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return OpenDomainReport(alarms, types, held_apart, perturbed)
