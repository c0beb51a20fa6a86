"""Writes: one article with its mentions and claims, then re-reconciles only the topics it touched."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, aliased

from pipeline.reconcile.logic import ClaimView, FactView, reconcile
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
from pipeline.types import (
    Article,
    Claim,
    CountClaim,
    Extraction,
    FailedSource,
    Interval,
    MoneyClaim,
    PercentageClaim,
    RoleClaim,
    human_number,
)

Topic = tuple[str, str]  # (kind, topic)
# Column widths (models.py): PostgreSQL enforces VARCHAR lengths that SQLite ignores.
TOPIC_CHARS = 300
KEY_CHARS = 300


@dataclass(frozen=True, slots=True)
class SaveResult:
    status: str  # "new", "unchanged", "replaced"
    article_id: int
    topics: frozenset[Topic] = frozenset()
    # facts and contradictions the replaced version of the article took with it: raised again from the
    # new version they are not new, and a reviewer's verdict on them is applied again (VerdictRow)
    previous: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    facts_new: int = 0
    facts_total: int = 0
    contradictions_new: int = 0


def entity_key(name: str) -> str:
    """Casefolded, accent-free, cut to the column width: the one key every write and lookup uses."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())[:KEY_CHARS]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_xact_lock (Python's hash() differs per process)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def lock(session: Session, names) -> None:
    """Serialize writers that touch the same names until this transaction ends (PostgreSQL).

    Several ingest workers may write to one PostgreSQL database: one article (by hash and by source)
    and one topic are then written by one transaction at a time, so no fact, claim or contradiction is
    written twice. Locks are taken in sorted order, articles before topics, so two workers never wait
    on each other in a cycle. SQLite already lets one writer in at a time, so this is a no-op there.
    """
    if not _is_postgres(session):
        return
    for name in sorted(set(names)):
        session.execute(select(func.pg_advisory_xact_lock(lock_key(name))))


def topic_lock_names(topics) -> list[str]:
    return [f"topic|{kind}|{topic}" for kind, topic in topics]


def is_known(session: Session, content_hash: str) -> bool:
    return session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash)) is not None


def save_article(session: Session, article: Article, extraction: Extraction) -> SaveResult:
    """Insert the article (idempotent by content hash); a changed file replaces its old version."""
    lock(session, [f"article|{article.content_hash}", f"source|{article.source}"])
    existing = session.scalar(select(ArticleRow).where(ArticleRow.content_hash == article.content_hash))
    if existing is not None:
        return SaveResult("unchanged", existing.id)
    topics: set[Topic] = set()
    status = "new"
    olds = session.scalars(select(ArticleRow).where(ArticleRow.source == article.source)).all()
    # every topic this transaction will write, locked before the first write (see lock())
    lock(session, topic_lock_names({(c.kind, c.topic) for old in olds for c in old.claims}
                                   | {(c.kind.value, (c.topic or "")[:TOPIC_CHARS]) for c in extraction.claims}))
    previous = _derived_from(session, [old.id for old in olds])
    for old in olds:
        topics |= {(c.kind, c.topic) for c in old.claims}
        session.delete(old)
        status = "replaced"
    session.flush()
    row = ArticleRow(content_hash=article.content_hash, source=article.source, url=article.url,
                     title=article.title, author=article.author, published=article.published,
                     site=article.site, word_count=article.word_count, language=extraction.language)
    session.add(row)
    session.flush()
    entity_ids = _save_entities(session, extraction)
    session.add_all(MentionRow(
        article_id=row.id, entity_id=entity_ids[m.name], text=m.text, start=m.evidence.start,
        end=m.evidence.end, sentence=m.evidence.sentence, sent_start=m.evidence.sent_start)
        for m in extraction.mentions)
    seen_uids: set[str] = set()
    for claim in extraction.claims:
        claim_row = _claim_row(row, claim)
        if claim_row.uid in seen_uids:
            continue
        seen_uids.add(claim_row.uid)
        session.add(claim_row)
        topics.add((claim_row.kind, claim_row.topic))
    session.execute(delete(FailureRow).where(FailureRow.source == article.source))
    session.flush()
    return SaveResult(status, row.id, frozenset(topics), previous)


def _derived_from(session: Session, article_ids: list[int]) -> frozenset[str]:
    """Keys of the facts and uids of the contradictions built on these articles' claims."""
    if not article_ids:
        return frozenset()
    claims = select(ClaimRow.id).where(ClaimRow.article_id.in_(article_ids))
    facts = session.scalars(select(FactRow.key).join(FactSourceRow, FactSourceRow.fact_id == FactRow.id)
                            .where(FactSourceRow.claim_id.in_(claims)))
    contradictions = session.scalars(select(ContradictionRow.uid).where(
        ContradictionRow.claim_a_id.in_(claims) | ContradictionRow.claim_b_id.in_(claims)))
    return frozenset(facts) | frozenset(contradictions)


def record_failure(session: Session, failure: FailedSource) -> None:
    lock(session, [f"source|{failure.source}"])
    row = session.scalar(select(FailureRow).where(FailureRow.source == failure.source))
    if row is None:
        session.add(FailureRow(source=failure.source, reason=failure.reason))
    else:
        row.reason = failure.reason
        row.attempts += 1
        row.last_seen = utcnow()


def _save_entities(session: Session, extraction: Extraction) -> dict[str, int]:
    ids: dict[str, int] = {}
    postgres = _is_postgres(session)
    # sorted by key: two workers inserting the same new entities wait in one order, never in a cycle
    for m in sorted(extraction.mentions, key=lambda m: (entity_key(m.name), m.type.value != "company")):
        if m.name in ids:
            continue
        key = entity_key(m.name)
        if postgres:
            # another worker may insert the same entity at this moment: the unique key decides
            session.execute(pg_insert(EntityRow).values(key=key, name=m.name, type=m.type.value)
                            .on_conflict_do_nothing(index_elements=["key"]))
        row = session.scalar(select(EntityRow).where(EntityRow.key == key))
        if row is None:
            row = EntityRow(key=key, name=m.name, type=m.type.value)
            session.add(row)
            session.flush()
        elif row.type != "person" and m.type.value == "company":
            row.type = "company"  # a company in any article is a company everywhere
        ids[m.name] = row.id
    aliases = {(ids[m.name], m.text.strip()[:KEY_CHARS]) for m in extraction.mentions if m.text.strip() != m.name}
    for entity_id, alias in sorted(aliases):
        if postgres:
            session.execute(pg_insert(AliasRow).values(entity_id=entity_id, alias=alias)
                            .on_conflict_do_nothing(index_elements=["entity_id", "alias"]))
            continue
        exists = session.scalar(select(AliasRow.id).where(AliasRow.entity_id == entity_id,
                                                          AliasRow.alias == alias))
        if exists is None:
            session.add(AliasRow(entity_id=entity_id, alias=alias[:300]))
    return ids


def claim_uid(article: ArticleRow, claim: Claim) -> str:
    ev = claim.evidence
    return f"{article.content_hash[:16]}:{ev.start}:{ev.end}:{claim.kind.value}:{claim.measure}"[:120]


def claim_fingerprint(source: str, claim: Claim, raw_text: str) -> str:
    """A claim's identity across versions of its article: the same words in the same sentence of the same
    source, with the same key. An edit elsewhere in the article leaves it (and a verdict on it) as it was."""
    ev = claim.evidence
    basis = f"{source}|{claim.kind.value}|{claim.key.describe()}|{raw_text}|{' '.join(ev.sentence.split())}"
    return hashlib.sha1(basis.encode("utf-8", errors="surrogateescape")).hexdigest()[:20]


def _claim_row(article: ArticleRow, claim: Claim) -> ClaimRow:
    ev = claim.evidence
    quantity = getattr(claim, "amount", None) or getattr(claim, "value", None)
    iv = quantity.interval if quantity else Interval(None, None)
    details: dict = {}
    if isinstance(claim, MoneyClaim):
        details = {"measure": claim.measure_id, "round": claim.round, "investors": list(claim.investors),
                   "lead_investors": list(claim.lead_investors), "contributor": claim.contributor,
                   "counterparty": claim.counterparty}
    elif isinstance(claim, CountClaim):
        details = {"state": claim.state, "org": claim.org, "total": claim.total}
    elif isinstance(claim, PercentageClaim):
        details = {"measure": claim.measure_name, "direction": claim.direction,
                   "period": claim.period_text or claim.period}
    elif isinstance(claim, RoleClaim):
        details = {"role": claim.role, "org": claim.org, "former": claim.former}
    key = claim.key
    raw_text = quantity.text if quantity else ev.sentence[ev.start - ev.sent_start:ev.end - ev.sent_start]
    return ClaimRow(
        uid=claim_uid(article, claim), article_id=article.id, kind=claim.kind.value,
        topic=(claim.topic or "")[:TOPIC_CHARS], measure=(claim.measure or "")[:TOPIC_CHARS],
        value=quantity.value if quantity else None, low=iv.low, high=iv.high,
        low_open=iv.low_open, high_open=iv.high_open,
        qualifier=quantity.qualifier if quantity else None,
        unit=quantity.unit if quantity else None,
        raw_text=raw_text, start=ev.start, end=ev.end, sentence=ev.sentence, sent_start=ev.sent_start,
        stated_date=claim.stated_date, details=details,
        object=key.object[:TOPIC_CHARS] if key.object else None, period=key.period, status=str(key.status),
        keyed=key.complete, subject_explicit=claim.subject_explicit, cue=(claim.cue or None) and claim.cue[:60],
        fingerprint=claim_fingerprint(article.source, claim, raw_text))


def claim_view(row) -> ClaimView:
    """A ClaimRow, or a plain row of _CLAIM_COLUMNS."""
    d = row.details or {}
    has_number = row.value is not None
    return ClaimView(
        uid=row.uid, kind=row.kind, topic=row.topic, measure=row.measure or None,
        interval=Interval(row.low, row.high, row.low_open, row.high_open) if has_number else None,
        value=row.value, unit=row.unit, qualifier=row.qualifier, text=row.raw_text,
        when=row.stated_date, state=d.get("state"), org=d.get("org"), total=d.get("total"),
        investors=tuple(d.get("investors") or ()), object=row.object, period=row.period,
        status=row.status or "actual", keyed=bool(row.keyed), article=row.article_id,
        subject_explicit=bool(row.subject_explicit), cue=row.cue, sentence=row.sentence or "",
        fingerprint=row.fingerprint, dated=row.stated_date is not None)


# Kinds whose rules look across measures of a topic: part/whole arithmetic (remain + left = total)
# and roles without a company (matched to the one company named elsewhere). Other kinds reconcile
# each (kind, topic, measure) group on its own, so only the groups an article changed are redone.
WHOLE_TOPIC_KINDS = ("count", "role")
# What reconciliation reads of a claim: plain rows, not ORM objects (a topic can hold thousands).
_CLAIM_COLUMNS = (ClaimRow.id, ClaimRow.uid, ClaimRow.article_id, ClaimRow.kind, ClaimRow.topic, ClaimRow.measure,
                  ClaimRow.value, ClaimRow.low, ClaimRow.high, ClaimRow.low_open, ClaimRow.high_open,
                  ClaimRow.qualifier, ClaimRow.unit, ClaimRow.raw_text, ClaimRow.stated_date, ClaimRow.details,
                  ClaimRow.object, ClaimRow.period, ClaimRow.status, ClaimRow.keyed, ClaimRow.subject_explicit,
                  ClaimRow.cue, ClaimRow.sentence, ClaimRow.fingerprint)


def _dirty_measures(session: Session, kind: str, topic: str) -> set[str]:
    """Measures with a claim in no fact yet (new), or a fact that lost a supporting article (replaced)."""
    unlinked = (select(ClaimRow.measure).outerjoin(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
                .where(ClaimRow.kind == kind, ClaimRow.topic == topic, FactSourceRow.fact_id.is_(None)))
    support = (select(func.count(func.distinct(ClaimRow.article_id)))
               .join(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
               .where(FactSourceRow.fact_id == FactRow.id).scalar_subquery())
    shrunk = select(FactRow.measure).where(FactRow.kind == kind, FactRow.topic == topic,
                                           FactRow.corroboration != support)
    return set(session.scalars(unlinked)) | set(session.scalars(shrunk))


def _scoped(query, measure_col, measures: set[str] | None):
    return query if measures is None else query.where(measure_col.in_(sorted(measures)))


def reconcile_topics(session: Session, topics: set[Topic] | frozenset[Topic],
                     previous: frozenset[str] = frozenset()) -> ReconcileResult:
    """Recompute facts and contradictions for the touched topics only (cost ~ the new article).
    `previous`: fact keys and contradiction uids that existed before this transaction (SaveResult)."""
    facts_new = contradictions_new = facts_total = 0
    lock(session, topic_lock_names(topics))
    session.flush()
    for kind, topic in sorted(topics):
        measures = None
        if kind not in WHOLE_TOPIC_KINDS:
            measures = _dirty_measures(session, kind, topic)
            if not measures:
                continue

        claims_q = select(*_CLAIM_COLUMNS).where(ClaimRow.kind == kind, ClaimRow.topic == topic)
        rows = session.execute(_scoped(claims_q, ClaimRow.measure, measures)).all()
        by_uid = {r.uid: r for r in rows}
        result = reconcile([claim_view(r) for r in rows])
        existing = {f.key: f for f in session.scalars(
            _scoped(select(FactRow).where(FactRow.kind == kind, FactRow.topic == topic), FactRow.measure,
                    measures)).all()}
        sources: dict[int, set[int]] = {}
        for fact_id, claim_id in session.execute(
                _scoped(select(FactSourceRow.fact_id, FactSourceRow.claim_id).join(FactRow)
                        .where(FactRow.kind == kind, FactRow.topic == topic), FactRow.measure, measures)):
            sources.setdefault(fact_id, set()).add(claim_id)
        wanted = {f.key: f for f in result.facts}
        for key, row in existing.items():
            if key not in wanted:
                session.delete(row)
        for key, fact in wanted.items():
            row = existing.get(key)
            if row is None:
                row = FactRow(key=key)
                session.add(row)
                facts_new += key not in previous
            elif sources.get(row.id) == {by_uid[u].id for u in fact.claims}:
                continue  # same claims, same fact: everything in it is derived from them
            _fill_fact(session, row, fact, by_uid, sources.get(row.id, set()) if row.id else set())
        facts_total += len(wanted)
        claim_a = aliased(ClaimRow)
        current = {c.uid: c for c in session.scalars(
            _scoped(select(ContradictionRow).join(claim_a, claim_a.id == ContradictionRow.claim_a_id)
                    .where(ContradictionRow.topic == topic, claim_a.kind == kind), claim_a.measure, measures))}
        produced = {c.uid: c for c in result.conflicts}
        for uid, row in current.items():
            if uid not in produced and row.status == "open":
                session.delete(row)  # the evidence changed; a reviewed one keeps its note
        verdicts = {v.contradiction_uid: v for v in session.scalars(
            select(VerdictRow).where(VerdictRow.contradiction_uid.in_(sorted(set(produced) - set(current)))))}
        for uid, conflict in produced.items():
            a, b = by_uid[conflict.claim_a], by_uid[conflict.claim_b]
            if uid in current:
                # worded from the claims the topic has now, not those it had when first raised: the same claims
                # give the same rows whatever order they were written in (several writers, a retried task)
                row = current[uid]
                row.claim_a_id, row.claim_b_id, row.reason = a.id, b.id, conflict.reason
                row.severity, row.confidence = conflict.severity, conflict.confidence
                continue
            verdict = verdicts.get(uid)
            session.add(ContradictionRow(uid=uid, kind=conflict.kind, topic=conflict.topic,
                                         claim_a_id=a.id, claim_b_id=b.id, reason=conflict.reason,
                                         severity=conflict.severity, confidence=conflict.confidence,
                                         status=verdict.status if verdict else "open",
                                         note=verdict.note if verdict else None,
                                         resolved_at=verdict.decided_at if verdict else None))
            contradictions_new += uid not in previous and verdict is None
    session.flush()
    return ReconcileResult(facts_new, facts_total, contradictions_new)


def _fill_fact(session: Session, row: FactRow, fact: FactView, by_uid: dict, had: set[int]) -> None:
    """Write a fact's fields, sources and entity links; `had` is the claim ids it had before."""
    claims = [by_uid[u] for u in fact.claims]
    # the most explicit claim describes the fact ("co-founder at Mistral AI" over "co-founder")
    first = max(claims, key=lambda c: sum(v not in (None, [], "") for v in (c.details or {}).values()))
    row.kind, row.topic, row.measure = fact.kind, fact.topic, fact.measure or ""
    row.object, row.period, row.status, row.keyed = fact.object, fact.period, fact.status, fact.keyed
    row.value, row.unit = fact.value, fact.unit
    row.low = fact.interval.low if fact.interval else None
    row.high = fact.interval.high if fact.interval else None
    row.corroboration = len({c.article_id for c in claims})
    row.first_seen, row.last_seen = fact.first_seen, fact.last_seen
    details = dict(first.details or {})
    if fact.investors:
        details["investors"] = list(fact.investors)
        details["lead_investors"] = list(dict.fromkeys(
            i for c in claims for i in (c.details or {}).get("lead_investors") or ()))
    if fact.kind == "count":
        totals = [c.details.get("total") for c in claims if c.details.get("total") is not None]
        details["total"] = totals[0] if totals else None
    row.details = details
    row.summary = summarize(fact, details, best=min(claims, key=lambda c: (c.high or 0) - (c.low or 0)))
    row.updated_at = utcnow()
    session.flush()
    # only the difference is written: a fact of a long-running story keeps most of its sources
    wanted = {c.id for c in claims}
    if had - wanted:
        session.execute(delete(FactSourceRow).where(FactSourceRow.fact_id == row.id,
                                                    FactSourceRow.claim_id.in_(sorted(had - wanted))))
    session.add_all(FactSourceRow(fact_id=row.id, claim_id=claim_id) for claim_id in sorted(wanted - had))
    links: dict[str, str] = {fact.topic: "subject"} if fact.topic else {}
    for name in (details.get("org"), details.get("counterparty"), *(details.get("investors") or ())):
        if name:
            links.setdefault(name, "investor" if name in (details.get("investors") or ()) else "org")
    ids = dict(session.execute(select(EntityRow.key, EntityRow.id).where(
        EntityRow.key.in_(sorted({entity_key(n) for n in links})))).all())
    by_entity: dict[int, str] = {}
    for name, role in links.items():
        if entity_key(name) in ids:
            by_entity.setdefault(ids[entity_key(name)], role)
    entity_links = set(by_entity.items())
    current = set(session.execute(select(FactEntityRow.entity_id, FactEntityRow.role)
                                  .where(FactEntityRow.fact_id == row.id)).all())
    if current != entity_links:
        session.execute(delete(FactEntityRow).where(FactEntityRow.fact_id == row.id))
        session.add_all(FactEntityRow(fact_id=row.id, entity_id=e, role=r) for e, r in sorted(entity_links))


def summarize(fact: FactView, details: dict, best: ClaimRow) -> str:
    """One human line per fact, built from structured fields (never from the sentence)."""
    qual = f"{best.qualifier} " if best.qualifier and best.qualifier not in ("only", "just") else ""
    topic = fact.topic or "(subject unknown)"
    when = "".join(f" ({p})" for p in (fact.period, None if fact.status == "actual" else fact.status) if p)
    if fact.kind in ("funding", "valuation", "revenue", "money"):
        amount = f"{qual}{fact.unit or ''} {human_number(fact.value or 0)}".strip()
        if best.qualifier == "between" and best.low is not None and best.high is not None:
            amount = f"between {fact.unit or ''} {human_number(best.low)} and {human_number(best.high)}"
        if fact.kind == "funding":
            if (best.details or {}).get("contributor"):
                return f"{topic} funding: {amount} from {best.details['contributor']}{when}"
            rnd = details.get("round") or "total funding"
            text = f"{topic} funding: {amount} ({rnd}){when}"
            if details.get("investors"):
                text += f"; investors: {', '.join(details['investors'])}"
            return text
        if fact.kind == "valuation":
            basis = f" ({details['round']})" if details.get("round") else ""
            return f"{topic} valuation{basis}: {amount}{when}"
        measure = fact.measure or details.get("measure") or f"{fact.kind} (measure unknown)"
        party = f" ({details['counterparty']})" if details.get("counterparty") else ""
        return f"{topic} {measure}{party}: {amount}{when}"
    if fact.kind == "count":
        of = f" of {details['total']}" if details.get("total") else ""
        verb = {"leave": "left", "remain": "remain at", "join": "joined", "lay off": "laid off by",
                "hire": "hired by", "employ": "employed by"}.get(details.get("state"), details.get("state"))
        text = f"{qual}{human_number(fact.value or 0)}{of} {topic} {verb} {details.get('org') or ''}".strip()
        return text + when
    if fact.kind == "percentage":
        period = f" {details['period']}" if details.get("period") else ""
        status = f" ({fact.status})" if fact.status != "actual" else ""
        return (f"{topic} {details.get('measure') or 'value'} {details.get('direction')} "
                f"{qual}{human_number(fact.value or 0)}%{period}{status}")
    if fact.kind == "role":
        former = "former " if details.get("former") else ""
        at = f", {details['org']}" if details.get("org") else ""
        return f"{topic}: {former}{details.get('role')}{at}"
    return f"{topic} {fact.measure}"
