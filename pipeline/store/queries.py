"""Read-only queries behind the CLI; user input only ever reaches SQL as bound parameters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
        q = q.where(EntityRow.name.ilike(f"%{search}%") | EntityRow.key.contains(entity_key(search)))
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
    if since:
        q = q.where(FactRow.last_seen >= since)
    return [fact_dict(f) for f in session.scalars(q).unique()]


def _claim_source(c: ClaimRow) -> dict:
    a = c.article
    return {"claim_id": c.id, "text": c.raw_text, "sentence": c.sentence, "start": c.start,
            "end": c.end, "article_id": a.id, "title": a.title, "url": a.url, "source": a.source,
            "date": _iso(a.published)}


def sources(session: Session, fact_id: int) -> list[dict]:
    fact = session.get(FactRow, fact_id)
    if fact is None:
        raise NewsfactsError(f"no fact with id {fact_id}")
    claims = session.scalars(select(ClaimRow).join(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
                             .where(FactSourceRow.fact_id == fact_id).order_by(ClaimRow.id))
    return [_claim_source(c) for c in claims]


def contradictions(session: Session, open_only: bool = False, since: date | None = None) -> list[dict]:
    q = select(ContradictionRow).order_by(ContradictionRow.id)
    if open_only:
        q = q.where(ContradictionRow.status == "open")
    out = []
    for c in session.scalars(q):
        if since and c.created_at.date() < since:
            continue
        out.append({"id": c.id, "kind": c.kind, "topic": c.topic, "severity": c.severity,
                    "status": c.status, "reason": c.reason, "note": c.note,
                    "a": _claim_source(c.claim_a), "b": _claim_source(c.claim_b)})
    return out


def resolve(session: Session, contradiction_id: int, note: str) -> dict:
    c = session.get(ContradictionRow, contradiction_id)
    if c is None:
        raise NewsfactsError(f"no contradiction with id {contradiction_id}")
    c.status, c.note, c.resolved_at = "resolved", note, utcnow()
    return {"id": c.id, "status": c.status, "note": c.note}


def failures(session: Session) -> list[dict]:
    return [{"source": f.source, "reason": f.reason, "attempts": f.attempts}
            for f in session.scalars(select(FailureRow).order_by(FailureRow.source))]


def stats(session: Session) -> dict:
    def count(model) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return {"articles": count(ArticleRow), "entities": count(EntityRow), "claims": count(ClaimRow),
            "facts": count(FactRow), "contradictions": count(ContradictionRow),
            "failures": count(FailureRow)}


def timeline(session: Session, topic: str) -> list[dict]:
    q = select(FactRow).where(FactRow.topic == topic).order_by(FactRow.measure, FactRow.first_seen)
    return [fact_dict(f) for f in session.scalars(q)]

