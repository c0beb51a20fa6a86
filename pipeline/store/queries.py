"""Read-only queries behind the CLI; user input only ever reaches SQL as bound parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased, selectinload

from pipeline.errors import NewsfactsError
from pipeline.store.models import (
    AliasRow,
    ArticleRow,
    ClaimRow,
    ContradictionRow,
    EntityRow,
    FactEntityRow,
    FactRow,
    FactSourceRow,
    FailureRow,
    MentionRow,
    VerdictRow,
    utcnow,
)
from pipeline.store.writer import entity_key

MONEY_KINDS = ("funding", "valuation", "revenue", "money")


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def entities(session: Session, type_: str | None = None, search: str | None = None) -> list[dict]:
    mentions = func.count(MentionRow.id)
    articles = func.count(func.distinct(MentionRow.article_id))
    q = (select(EntityRow, mentions, articles).join(MentionRow, MentionRow.entity_id == EntityRow.id)
         .group_by(EntityRow.id).order_by(articles.desc(), mentions.desc(), EntityRow.name))
    if type_:
        q = q.where(EntityRow.type == type_)
    if search:
        # autoescape: a "%" or "_" typed by the user is that character, not a LIKE wildcard
        q = q.where(EntityRow.name.icontains(search, autoescape=True)
                    | EntityRow.key.contains(entity_key(search), autoescape=True))
    return [{"id": e.id, "name": e.name, "type": e.type, "mentions": m, "articles": a}
            for e, m, a in session.execute(q)]


def find_entity(session: Session, name: str) -> EntityRow:
    key = entity_key(name)
    row = session.scalar(select(EntityRow).where(EntityRow.key == key))
    if row is None:
        row = session.scalar(select(EntityRow).join(AliasRow).where(AliasRow.alias == name))
    if row is None:
        raise NewsfactsError(f"no entity named {name!r} (try 'newsfacts entities --search')")
    return row


def entity_detail(session: Session, name: str) -> dict:
    e = find_entity(session, name)
    aliases = sorted(set(session.scalars(select(AliasRow.alias).where(AliasRow.entity_id == e.id))))
    fact_rows = session.execute(
        select(FactRow, FactEntityRow.role).join(FactEntityRow, FactEntityRow.fact_id == FactRow.id)
        .where(FactEntityRow.entity_id == e.id).order_by(FactRow.kind, FactRow.id)).all()
    roles = [fact_dict(f) for f, _ in fact_rows if f.kind == "role"]
    articles = session.execute(
        select(ArticleRow.title, ArticleRow.url, ArticleRow.source, ArticleRow.published,
               func.count(MentionRow.id))
        .join(MentionRow, MentionRow.article_id == ArticleRow.id).where(MentionRow.entity_id == e.id)
        .group_by(ArticleRow.id).order_by(ArticleRow.published)).all()
    return {
        "id": e.id, "name": e.name, "type": e.type, "aliases": aliases,
        "roles": roles,
        "facts": [dict(fact_dict(f), role=r) for f, r in fact_rows if f.kind != "role"],
        "sources": [{"title": t, "url": u, "source": s, "date": _iso(d), "mentions": n}
                    for t, u, s, d, n in articles],
    }


def fact_dict(f: FactRow) -> dict:
    return {"id": f.id, "kind": f.kind, "topic": f.topic, "measure": f.measure, "summary": f.summary,
            "value": f.value, "low": f.low, "high": f.high, "unit": f.unit,
            "sources": f.corroboration, "first_seen": _iso(f.first_seen),
            "last_seen": _iso(f.last_seen), "details": f.details or {}}


def facts(session: Session, entity: str | None = None, kind: str | None = None,
          since: date | None = None) -> list[dict]:
    q = select(FactRow).order_by(FactRow.kind, FactRow.topic, FactRow.id)
    if entity:
        e = find_entity(session, entity)
        q = q.join(FactEntityRow, FactEntityRow.fact_id == FactRow.id).where(FactEntityRow.entity_id == e.id)
    if kind:
        q = q.where(FactRow.kind.in_(MONEY_KINDS) if kind == "money" else FactRow.kind == kind)
    else:  # figures of no measure are there to be compared, listed only when asked for (kind="figure")
        q = q.where(FactRow.kind != "figure")
    if since:
        q = q.where(FactRow.last_seen >= since)
    return [fact_dict(f) for f in session.scalars(q).unique()]


def _claim_source(c: ClaimRow) -> dict:
    a = c.article
    return {"claim_id": c.id, "text": c.raw_text, "sentence": c.sentence, "start": c.start,
            "end": c.end, "article_id": a.id, "title": a.title, "url": a.url, "source": a.source,
            "date": _iso(a.published)}


# Row ids are INTEGER columns: 32-bit on PostgreSQL, so no row has a larger id on any backend (and SQLite
# cannot even bind one past 64 bits).
MAX_ROW_ID = 2**31 - 1


def _row(session: Session, model, row_id: int, what: str):
    row = session.get(model, row_id) if 1 <= row_id <= MAX_ROW_ID else None
    if row is None:
        raise NewsfactsError(f"no {what} with id {row_id}")
    return row


def sources(session: Session, fact_id: int) -> list[dict]:
    _row(session, FactRow, fact_id, "fact")
    claims = session.scalars(select(ClaimRow).join(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
                             .where(FactSourceRow.fact_id == fact_id).order_by(ClaimRow.id))
    return [_claim_source(c) for c in claims]


# What `newsfacts contradictions` lists by default: the confidences worth a fact-checker's time, and
# every verdict but "not comparable" (a reviewer said the two figures measure different things).
SHOWN_CONFIDENCE = ("high", "medium")
HIDDEN_STATUSES = ("not comparable",)
VERDICTS = ("resolved", "real", "not comparable")


def contradictions(session: Session, open_only: bool = False, since: date | None = None,
                   include_low: bool = False) -> list[dict]:
    """Contradictions, oldest first; low-confidence ones and those judged not comparable only with
    include_low (`--all`)."""
    out = []
    for c in session.scalars(_listed(select(ContradictionRow), open_only, include_low)):
        if since and c.created_at.date() < since:
            continue
        out.append({"id": c.id, "kind": c.kind, "topic": c.topic, "severity": c.severity,
                    "confidence": c.confidence, "status": c.status, "reason": c.reason, "note": c.note,
                    "a": _claim_source(c.claim_a), "b": _claim_source(c.claim_b)})
    return out


def _listed(q, open_only: bool, include_low: bool):
    """The contradictions a listing shows, oldest first: `--open`, and `--all` (include_low) as in the CLI."""
    if open_only:
        q = q.where(ContradictionRow.status == "open")
    if not include_low:
        q = q.where(ContradictionRow.confidence.in_(SHOWN_CONFIDENCE),
                    ContradictionRow.status.not_in(HIDDEN_STATUSES))
    return q.order_by(ContradictionRow.id)


def resolve(session: Session, contradiction_id: int, note: str, status: str = "resolved") -> dict:
    """Record a reviewer's verdict; it is kept by the contradiction's stable uid (VerdictRow), so it
    survives re-ingests and new versions of either article, and is applied when the pair is raised again."""
    if status not in VERDICTS:
        raise NewsfactsError(f"unknown verdict {status!r}: one of {', '.join(VERDICTS)}")
    c = _row(session, ContradictionRow, contradiction_id, "contradiction")
    c.status, c.note, c.resolved_at = status, note, utcnow()
    verdict = session.scalar(select(VerdictRow).where(VerdictRow.contradiction_uid == c.uid))
    if verdict is None:
        session.add(VerdictRow(contradiction_uid=c.uid, status=status, note=note, decided_at=c.resolved_at))
    else:
        verdict.status, verdict.note, verdict.decided_at = status, note, c.resolved_at
    return {"id": c.id, "status": c.status, "note": c.note}


def failures(session: Session) -> list[dict]:
    return [{"source": f.source, "reason": f.reason, "attempts": f.attempts}
            for f in session.scalars(select(FailureRow).order_by(FailureRow.source))]


def stats(session: Session) -> dict:
    def count(model) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    not_english = session.scalar(select(func.count()).select_from(ArticleRow).where(
        ArticleRow.language.is_not(None), ArticleRow.language != "en")) or 0
    return {"articles": count(ArticleRow), "not_english": not_english, "entities": count(EntityRow),
            "claims": count(ClaimRow), "facts": count(FactRow), "contradictions": count(ContradictionRow),
            "failures": count(FailureRow)}


def timeline(session: Session, topic: str) -> list[dict]:
    q = select(FactRow).where(FactRow.topic == topic).order_by(FactRow.measure, FactRow.first_seen, FactRow.id)
    return [fact_dict(f) for f in session.scalars(q)]



# --- report: what changed since a date ------------------------------------------------------

# A report lists the entities most in the news; past ten the list stops being a summary.
TOP_ENTITIES = 10

# The day an article counts from: its publication date, or the day it was ingested when it has
# none (a .txt without a date in its name or first lines).
ARTICLE_DAY = type_coerce(func.coalesce(ArticleRow.published, func.date(ArticleRow.ingested_at)), Date)


@dataclass(frozen=True, slots=True)
class ReportArticle:
    id: int
    title: str | None
    url: str | None
    source: str
    day: date


@dataclass(frozen=True, slots=True)
class ReportClaim:
    """A claim's sentence split around the claim text, by the stored char offsets."""

    claim_id: int
    text: str
    before: str
    marked: str
    after: str
    article: ReportArticle

    @property
    def sentence(self) -> str:
        return self.before + self.marked + self.after


@dataclass(frozen=True, slots=True)
class ReportFact:
    id: int
    kind: str
    topic: str
    summary: str
    value: float | None
    unit: str | None
    sources: int
    first_day: date
    last_day: date
    claims: tuple[ReportClaim, ...]


@dataclass(frozen=True, slots=True)
class ReportContradiction:
    id: int
    kind: str
    topic: str
    severity: str
    status: str
    reason: str
    note: str | None
    a: ReportClaim
    b: ReportClaim
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class ReportEntity:
    id: int
    name: str
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report shows; since=None means the whole database."""

    since: date | None
    articles: tuple[ReportArticle, ...]
    new_facts: tuple[ReportFact, ...]  # first supported by an article in the window
    corroborated_facts: tuple[ReportFact, ...]  # known before, with new support in the window
    contradictions: tuple[ReportContradiction, ...]
    entities: tuple[ReportEntity, ...]

    @property
    def empty(self) -> bool:
        return not (self.articles or self.new_facts or self.corroborated_facts or self.contradictions)


def split_sentence(sentence: str, start: int, end: int, sent_start: int, text: str) -> tuple[str, str, str]:
    """(before, claim, after) by the article offsets; by the claim text if the offsets do not fit."""
    lo, hi = start - sent_start, end - sent_start
    if not 0 <= lo < hi <= len(sentence):
        lo = sentence.find(text) if text else -1
        if lo < 0:
            return sentence, "", ""
        hi = lo + len(text)
    return sentence[:lo], sentence[lo:hi], sentence[hi:]


def _report_claim(claim: ClaimRow, article: ReportArticle) -> ReportClaim:
    before, marked, after = split_sentence(claim.sentence, claim.start, claim.end, claim.sent_start,
                                           claim.raw_text)
    return ReportClaim(claim.id, claim.raw_text, before, marked, after, article)


def _report_contradiction(c: ContradictionRow, a: ClaimRow, b: ClaimRow,
                          articles: dict[int, ReportArticle]) -> ReportContradiction:
    return ReportContradiction(c.id, c.kind, c.topic, c.severity, c.status, c.reason, c.note,
                               _report_claim(a, articles[a.article_id]), _report_claim(b, articles[b.article_id]),
                               c.confidence)


def review_contradictions(session: Session, open_only: bool = False, include_low: bool = False,
                          contradiction_id: int | None = None) -> list[ReportContradiction]:
    """Contradictions with each claim split around its offsets, for a review page: the ones `contradictions`
    lists with the same flags, or the one with contradiction_id whatever its status and confidence."""
    if contradiction_id is not None:
        rows = [_row(session, ContradictionRow, contradiction_id, "contradiction")]
    else:
        rows = list(session.scalars(_listed(select(ContradictionRow), open_only, include_low)
                                    .options(selectinload(ContradictionRow.claim_a),
                                             selectinload(ContradictionRow.claim_b))))
    wanted = {claim.article_id for c in rows for claim in (c.claim_a, c.claim_b)}
    articles = {a.id: ReportArticle(a.id, a.title, a.url, a.source, day)
                for a, day in session.execute(select(ArticleRow, ARTICLE_DAY).where(ArticleRow.id.in_(wanted)))}
    return [_report_contradiction(c, c.claim_a, c.claim_b, articles) for c in rows]


def _window(since: date | None):
    return ARTICLE_DAY >= since if since else ARTICLE_DAY.is_not(None)


def report_data(session: Session, since: date | None = None) -> ReportData:
    """New facts, new contradictions and the entities most in the news, from articles dated on or
    after `since` (publication date; the ingestion day for an article without one)."""
    in_window = _window(since)
    articles = {
        a.id: ReportArticle(a.id, a.title, a.url, a.source, day)
        for a, day in session.execute(select(ArticleRow, ARTICLE_DAY).order_by(ARTICLE_DAY, ArticleRow.id))
    }
    window_articles = tuple(a for a in articles.values() if since is None or a.day >= since)

    touched = (select(FactSourceRow.fact_id).join(ClaimRow, ClaimRow.id == FactSourceRow.claim_id)
               .join(ArticleRow, ArticleRow.id == ClaimRow.article_id).where(in_window))
    supports: dict[int, list[ClaimRow]] = {}
    for fact_id, claim in session.execute(
            select(FactSourceRow.fact_id, ClaimRow).join(ClaimRow, ClaimRow.id == FactSourceRow.claim_id)
            .where(FactSourceRow.fact_id.in_(touched)).order_by(ClaimRow.id)):
        supports.setdefault(fact_id, []).append(claim)
    new_facts, corroborated = [], []
    # figures of no measure are there to be compared: a report shows them only in its contradictions
    for f in session.scalars(select(FactRow).where(FactRow.id.in_(touched), FactRow.kind != "figure")
                             .order_by(FactRow.kind, FactRow.topic, FactRow.id)):
        claims = tuple(_report_claim(c, articles[c.article_id]) for c in supports[f.id])
        days = [c.article.day for c in claims]
        fact = ReportFact(f.id, f.kind, f.topic, f.summary, f.value, f.unit, f.corroboration,
                          min(days), max(days), claims)
        (new_facts if since is None or fact.first_day >= since else corroborated).append(fact)

    claim_a, claim_b = aliased(ClaimRow), aliased(ClaimRow)
    article_a, article_b = aliased(ArticleRow), aliased(ArticleRow)
    day_a = type_coerce(func.coalesce(article_a.published, func.date(article_a.ingested_at)), Date)
    day_b = type_coerce(func.coalesce(article_b.published, func.date(article_b.ingested_at)), Date)
    q = (select(ContradictionRow, claim_a, claim_b)
         .join(claim_a, claim_a.id == ContradictionRow.claim_a_id)
         .join(claim_b, claim_b.id == ContradictionRow.claim_b_id)
         .join(article_a, article_a.id == claim_a.article_id)
         .join(article_b, article_b.id == claim_b.article_id)
         .order_by(ContradictionRow.id))
    if since:
        q = q.where(or_(day_a >= since, day_b >= since))
    contradictions = tuple(
        _report_contradiction(c, a, b, articles) for c, a, b in session.execute(q))

    mentions = func.count(MentionRow.id)
    in_articles = func.count(func.distinct(MentionRow.article_id))
    top = (select(EntityRow, mentions, in_articles).join(MentionRow, MentionRow.entity_id == EntityRow.id)
           .join(ArticleRow, ArticleRow.id == MentionRow.article_id).where(in_window)
           .group_by(EntityRow.id).order_by(in_articles.desc(), mentions.desc(), EntityRow.name)
           .limit(TOP_ENTITIES))
    entities_ = tuple(ReportEntity(e.id, e.name, e.type, m, n) for e, m, n in session.execute(top))
    return ReportData(since, window_articles, tuple(new_facts), tuple(corroborated), contradictions, entities_)
