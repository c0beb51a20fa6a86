"""Writes: one article with its mentions and claims, then re-reconciles only the topics it touched."""

from __future__ import annotations

import collections
import functools
import gc
import hashlib
import itertools
import operator
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Engine,
    and_,
    bindparam,
    delete,
    event,
    func,
    insert,
    literal_column,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from pipeline.reconcile.logic import FORGET_SHARE, ClaimView, Conflict, FactView, forget_oldest, reconcile
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
    FigureClaim,
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
    # (kind, topic, measure) of the claims it added: the groups reconciliation must redo
    groups: frozenset[tuple[str, str, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    facts_new: int = 0
    facts_total: int = 0
    contradictions_new: int = 0


# Names whose entity key is kept: a save asks for the key of each of an article's ~40 mentions several times,
# and a story names the same few dozen entities in every article. Bounded, so a long ingest's memory stays flat.
ENTITY_KEY_CACHE = 4096


@functools.lru_cache(maxsize=ENTITY_KEY_CACHE)
def entity_key(name: str) -> str:
    """Casefolded, accent-free, cut to the column width: the one key every write and lookup uses."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())[:KEY_CHARS]


# Net new objects between two young collections while a process writes (writing_collector); Python's default is 700.
WRITING_GC_THRESHOLD = 5000


# How many callers are inside writing_collector (threads of one process may each run an ingest), under its lock: the
# first one in sets the collector, the last one out puts it back.
_COLLECTOR_LOCK = threading.Lock()
_collector_users = 0
_collector_threshold: tuple[int, ...] = ()


@contextmanager
def writing_collector() -> Iterator[None]:
    """Python's garbage collector set for a long run of saves, for the entry points that run them (the ingest, the
    store-only bench). A process-wide setting, so the writer never sets it itself, and it is put back on the way out
    (by the last of several callers at once).

    What the process holds when it starts writing (modules, SQLAlchemy's and spaCy's objects: ~140,000 tracked
    objects in the bench) is never garbage, yet each full collection went over it again: it is frozen (gc.freeze).
    A save makes some hundreds of short-lived containers, and a young collection every 700 of them promoted
    them towards the older generations, whose collections go over the kept claims and results: collected every
    WRITING_GC_THRESHOLD instead. Store-only, N = 2,000: the collector's CPU time 0.9-1.2 ms per article before,
    0.2-0.25 with both; an ingest of 300 synthetic articles parsed in its own process: 1.9 -> 0.7 ms per article."""
    global _collector_users, _collector_threshold
    with _COLLECTOR_LOCK:
        _collector_users += 1
        if _collector_users == 1:
            _collector_threshold = gc.get_threshold()
            gc.collect()
            gc.freeze()
            gc.set_threshold(WRITING_GC_THRESHOLD, *_collector_threshold[1:])
    try:
        yield
    finally:
        with _COLLECTOR_LOCK:
            _collector_users -= 1
            if _collector_users == 0:
                gc.set_threshold(*_collector_threshold)
                gc.unfreeze()


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


class _Statement:
    """A statement of the per-article path, run as SQLAlchemy would run it, with less of SQLAlchemy's work per run.

    On SQLite it is run as the SQL SQLAlchemy compiled for it (for the keys of its parameters, and for the number of
    values of each list of an IN), once, through the driver's connection of the transaction (_driver_run): each value
    converted by its column type's bind processor, each column read by its type's result processor, as conn.execute
    converts them (so the same values are stored and read). An article runs ~17 statements, and SQLAlchemy's work per
    statement (~20-50 µs: its execution context, events, result object) and per row (building and processing its
    parameters) cost about what SQLite took to run them. A statement whose compiled form fills a default in Python,
    or converts the values of a list, is left to conn.execute; so is every statement on another database."""

    def __init__(self, statement) -> None:
        self.statement = statement
        # by the parameters' keys and the lengths of their lists: (SQL, the values of a row in the SQL's order,
        # [(place, bind processor)], [(place, result processor)]), or None
        self._plans: dict[tuple, tuple | None] = {}

    def many(self, conn, rows: list[dict]) -> None:
        """An INSERT or UPDATE of several rows (dictionaries with the same keys)."""
        plan = self._plan(conn, rows[0])
        if plan is None:
            conn.execute(self.statement, rows)
            return
        sql, values, processors, _ = plan
        if processors:
            _driver_run(conn, sql, [_processed(values(row), processors) for row in rows], many=True)
        else:
            _driver_run(conn, sql, [values(row) for row in rows], many=True)

    def rows(self, conn, params: dict) -> list:
        """The rows a statement returns, as tuples (a SELECT, or a write with RETURNING)."""
        plan = self._plan(conn, params)
        if plan is None:
            return conn.execute(self.statement, params).all()
        sql, values, processors, results = plan
        found = _driver_run(conn, sql, _processed(values(params), processors) if processors else values(params))
        if not results:
            return found.fetchall()
        return [_processed(row, results) for row in found]

    def run(self, conn, params: dict) -> None:
        """A write of one row, or of the rows it names (an UPDATE or DELETE)."""
        plan = self._plan(conn, params)
        if plan is None:
            conn.execute(self.statement, params)
            return
        sql, values, processors, _ = plan
        _driver_run(conn, sql, _processed(values(params), processors) if processors else values(params))

    def scalar(self, conn, params: dict):
        """The first column of the first row, or None."""
        found = self.rows(conn, params)
        return found[0][0] if found else None

    def _plan(self, conn, params: dict) -> tuple | None:
        if conn.dialect.name != "sqlite":
            return None
        shape = tuple(len(v) if isinstance(v, list) else -1 for v in params.values())
        key = (tuple(params), shape)
        plan = self._plans.get(key, False)
        if plan is False:
            plan = self._plans[key] = self._compile(conn.dialect, params)
        return plan

    def _compile(self, dialect, params: dict) -> tuple | None:
        """The plan for parameters of these keys and list lengths (see _plans)."""
        compiled = self.statement.compile(dialect=dialect, column_keys=list(params))
        order = compiled.positiontup
        if compiled.insert_prefetch or compiled.update_prefetch or order is None or set(order) - set(params):
            return None
        sql, places, processors = compiled.string, [], []
        for key in order:
            bind = compiled.binds[key]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.expanding:
                if process or not params[key]:
                    return None  # a list whose values convert, or an empty one: SQLAlchemy's own rendering
                n = len(params[key])
                sql = sql.replace(f"__[POSTCOMPILE_{key}]", ", ".join("?" * n))
                places += [(key, i) for i in range(n)]
            else:
                if process:
                    processors.append((len(places), process))
                places.append((key, None))
        if "__[POSTCOMPILE_" in sql:
            return None
        results = [(place, process) for place, (*_, kind) in enumerate(compiled._result_columns)
                   if (process := kind.dialect_impl(dialect).result_processor(dialect, None))]
        if any(i is not None for _, i in places):
            def values(row):
                return tuple(row[key] if i is None else row[key][i] for key, i in places)
        elif len(order) > 1:
            # a row's values taken by one itemgetter (the per-row generator of its columns cost as much as SQLite's
            # insert)
            values = operator.itemgetter(*order)
        elif order:
            def values(row):
                return (row[order[0]],)
        else:
            def values(row):
                return ()
        return sql, values, processors, results


def _processed(values: tuple, processors: list) -> tuple:
    """A row's values with those of a column type that converts its values converted (_Statement)."""
    converted = list(values)
    for place, process in processors:
        converted[place] = process(converted[place])
    return tuple(converted)


def _driver_run(conn, sql: str, params=(), many: bool = False):
    """Run SQL on the driver's connection under `conn` (SQLite), in its transaction; a failure of the driver is raised
    as SQLAlchemy raises it (a DBAPIError of the same kind: OperationalError, IntegrityError, ...)."""
    driver = conn.connection.driver_connection
    try:
        return driver.executemany(sql, params) if many else driver.execute(sql, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from exc


_ARTICLE_BY_HASH = _Statement(select(ArticleRow.id).where(ArticleRow.content_hash == bindparam("hash")))
_ARTICLES_BY_SOURCE = _Statement(select(ArticleRow.id).where(ArticleRow.source == bindparam("source")))
_INSERT_ARTICLE = _Statement(insert(ArticleRow).returning(ArticleRow.id))
_INSERT_MENTIONS = _Statement(insert(MentionRow))
_INSERT_CLAIMS = _Statement(insert(ClaimRow))
_DELETE_FAILURE = _Statement(delete(FailureRow).where(FailureRow.source == bindparam("source")))
_ENTITIES = _Statement(select(EntityRow.key, EntityRow.id, EntityRow.type)
                       .where(EntityRow.key.in_(bindparam("keys", expanding=True))))
_ALIASES = _Statement(select(AliasRow.entity_id, AliasRow.alias).where(
    AliasRow.entity_id.in_(bindparam("entities", expanding=True)),
    AliasRow.alias.in_(bindparam("aliases", expanding=True))))
_INSERT_ENTITIES = _Statement(insert(EntityRow))
_INSERT_ALIASES = _Statement(insert(AliasRow))


def save_article(session: Session, article: Article, extraction: Extraction) -> SaveResult:
    """Insert the article (idempotent by content hash); a changed file replaces its old version.

    Rows are written with Core statements, not ORM objects: an article brings some dozens of mentions and
    claims, and the unit of work's bookkeeping for them cost more than the inserts themselves."""
    # hashed once: Article.content_hash hashes the whole text at each reading, and every claim's uid needs it
    content_hash = article.content_hash
    lock(session, [f"article|{content_hash}", f"source|{article.source}"])
    conn = session.connection()
    existing = _ARTICLE_BY_HASH.scalar(conn, {"hash": content_hash})
    if existing is not None:
        return SaveResult("unchanged", existing)
    status = "new"
    olds = [row[0] for row in _ARTICLES_BY_SOURCE.rows(conn, {"source": article.source})]
    old_topics: set[Topic] = set()
    if olds:
        old_topics = set(session.execute(select(ClaimRow.kind, ClaimRow.topic)
                                         .where(ClaimRow.article_id.in_(olds))).tuples())
    # every topic this transaction will write, locked before the first write (see lock())
    lock(session, topic_lock_names(old_topics | {(c.kind.value, (c.topic or "")[:TOPIC_CHARS])
                                                 for c in extraction.claims}))
    previous = _derived_from(session, olds)
    topics = set(old_topics)
    if olds:
        # mentions, claims, their fact sources and contradictions go with them (ON DELETE CASCADE)
        session.execute(delete(ArticleRow).where(ArticleRow.id.in_(olds)))
        _forget(conn)  # SQLite may give the ids of the deleted claims to the new ones
        status = "replaced"
    article_id = _INSERT_ARTICLE.scalar(conn, {
        "content_hash": content_hash, "source": article.source, "url": article.url, "title": article.title,
        "author": article.author, "published": article.published, "site": article.site,
        "word_count": article.word_count, "language": extraction.language, "ingested_at": utcnow()})
    entity_ids = _save_entities(session, extraction)
    if extraction.mentions:
        _INSERT_MENTIONS.many(conn, [
            {"article_id": article_id, "entity_id": entity_ids[m.name], "text": m.text, "start": m.evidence.start,
             "end": m.evidence.end, "sentence": m.evidence.sentence, "sent_start": m.evidence.sent_start}
            for m in extraction.mentions])
    claims: dict[str, dict] = {}
    for claim in extraction.claims:
        values = _claim_values(article_id, article, content_hash, claim)
        claims.setdefault(values["uid"], values)
    if claims:
        _INSERT_CLAIMS.many(conn, list(claims.values()))
    topics |= {(c["kind"], c["topic"]) for c in claims.values()}
    _DELETE_FAILURE.run(conn, {"source": article.source})
    groups = frozenset((c["kind"], c["topic"], c["measure"]) for c in claims.values())
    return SaveResult(status, article_id, frozenset(topics), previous, groups)


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
    """Entity ids by mention name: one SELECT for the article's entities, inserts for the new ones."""
    postgres = _is_postgres(session)
    # sorted by key: two workers inserting the same new entities wait in one order, never in a cycle; per
    # key, a company mention first: a company in any article is a company everywhere
    mentions = sorted(extraction.mentions, key=lambda m: (entity_key(m.name), m.type.value != "company"))
    first: dict[str, str] = {}  # key -> type of its first mention
    for m in mentions:
        first.setdefault(entity_key(m.name), m.type.value)
    if not first:
        return {}
    if postgres:
        for key, kind in first.items():
            # another worker may insert the same entity at this moment: the unique key decides
            name = next(m.name for m in mentions if entity_key(m.name) == key)
            session.execute(pg_insert(EntityRow).values(key=key, name=name, type=kind)
                            .on_conflict_do_nothing(index_elements=["key"]))
    cache = _connection_cache(session.connection())
    rows = _entities(session.connection(), cache, first)  # key -> (id, type)
    missing = [key for key in first if key not in rows]
    if missing:
        names = {}
        for m in mentions:
            names.setdefault(entity_key(m.name), m.name)
        _INSERT_ENTITIES.many(session.connection(), [{"key": k, "name": names[k], "type": first[k]} for k in missing])
        rows |= _entities(session.connection(), cache, missing)
    upgrade = sorted(k for k in first if first[k] == "company" and rows[k][1] not in ("person", "company"))
    if upgrade:
        session.execute(update(EntityRow).where(EntityRow.key.in_(upgrade)).values(type="company"))
        cache.add_entities({k: (rows[k][0], "company") for k in upgrade})
    ids = {m.name: rows[entity_key(m.name)][0] for m in mentions}
    aliases = {(ids[m.name], m.text.strip()[:KEY_CHARS]) for m in extraction.mentions if m.text.strip() != m.name}
    if not aliases:
        return ids
    if postgres:
        for entity_id, alias in sorted(aliases):
            session.execute(pg_insert(AliasRow).values(entity_id=entity_id, alias=alias)
                            .on_conflict_do_nothing(index_elements=["entity_id", "alias"]))
        return ids
    unknown = aliases - cache.aliases  # the cached ones are in the database
    if unknown:
        known = set(map(tuple, _ALIASES.rows(session.connection(), {"entities": sorted({e for e, _ in unknown}),
                                                                    "aliases": sorted({a for _, a in unknown})})))
        new = sorted(unknown - known)
        if new:
            _INSERT_ALIASES.many(session.connection(), [{"entity_id": e, "alias": a} for e, a in new])
        cache.aliases |= unknown
    return ids


def _entities(conn, cache: _ConnectionCache, keys) -> dict[str, tuple[int, str]]:
    """(id, type) of the entities of these keys that exist: from the cache, the others read (and cached)."""
    found = {k: cache.entities[k] for k in keys if k in cache.entities}
    unknown = sorted(k for k in keys if k not in found)
    if unknown:
        read = {key: (entity_id, kind) for key, entity_id, kind in _ENTITIES.rows(conn, {"keys": unknown})}
        cache.add_entities(read)
        found |= read
    return found


def claim_uid(article: Article | ArticleRow, claim: Claim) -> str:
    return _claim_uid(article.content_hash, claim)


def _claim_uid(content_hash: str, claim: Claim) -> str:
    ev = claim.evidence
    return f"{content_hash[:16]}:{ev.start}:{ev.end}:{claim.kind.value}:{claim.measure}"[:120]


def claim_fingerprint(source: str, claim: Claim, raw_text: str) -> str:
    """A claim's identity across versions of its article: the same words in the same sentence of the same
    source, with the same key. An edit elsewhere in the article leaves it (and a verdict on it) as it was."""
    ev = claim.evidence
    basis = f"{source}|{claim.kind.value}|{claim.key.describe()}|{raw_text}|{' '.join(ev.sentence.split())}"
    if isinstance(claim, FigureClaim):  # "lets 3 offer ... 3G": one figure twice in a sentence, by its place
        basis += f"|{ev.start - ev.sent_start}"
    return hashlib.sha1(basis.encode("utf-8", errors="surrogateescape")).hexdigest()[:20]


# A statement is distinctive enough to stand for a claim's key when its sentence keeps this many words once
# its figures are masked: "The estimated value is $4.3 million." (4 words) could be any story's sentence; the
# shortest sentences of the corpus/open perturbation cases that identify their figure have 9.
MIN_STATEMENT_WORDS = 8
_FIGURE = re.compile(
    r"(?:[$€£¥₹]|\b(?:US|HK|A|C|S|NZ)\$)?\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|m|mn|k|tn|%))?\b|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)\b",
    re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+")


def statement_of(claim: Claim) -> str | None:
    """The statement a claim is made in: its sentence with every figure masked, and the figure's place in it.
    The same statement in another outlet's copy is the same claim, whatever its key lacks."""
    ev = claim.evidence
    sentence = " ".join(ev.sentence.lower().replace("’", "'").split())
    masked = _FIGURE.sub("#", sentence)
    if len(_WORDS.findall(masked)) < MIN_STATEMENT_WORDS:
        return None
    offset = ev.start - ev.sent_start  # into the sentence as written: count its figures before the claim's
    place = sum(1 for f in _FIGURE.finditer(ev.sentence) if f.start() < offset)
    return hashlib.sha1(f"{masked}|{place}".encode("utf-8", errors="surrogateescape")).hexdigest()[:20]


def _claim_values(article_id: int, article: Article, content_hash: str, claim: Claim) -> dict:
    """The claims row of one claim, as the values of an INSERT (`content_hash`: the article's, hashed once)."""
    ev = claim.evidence
    quantity = getattr(claim, "amount", None) or getattr(claim, "value", None)
    iv = quantity.interval if quantity else Interval(None, None)
    details: dict = {}
    if isinstance(claim, MoneyClaim):
        details = {"measure": claim.measure_id, "round": claim.round, "investors": list(claim.investors),
                   "lead_investors": list(claim.lead_investors), "contributor": claim.contributor,
                   "counterparty": claim.counterparty}
        if claim.part:
            details["part_of_a_total"] = True
    elif isinstance(claim, CountClaim):
        details = {"state": claim.state, "org": claim.org, "total": claim.total}
        if claim.news:
            details.update(group=claim.group, event=claim.event, place=claim.place, claimant=claim.claimant)
    elif isinstance(claim, PercentageClaim):
        details = {"measure": claim.measure_name, "direction": claim.direction,
                   "period": claim.period_text or claim.period}
    elif isinstance(claim, RoleClaim):
        details = {"role": claim.role, "org": claim.org, "former": claim.former}
    elif isinstance(claim, FigureClaim):
        details = {"noun": claim.noun}
    key = claim.key
    raw_text = quantity.text if quantity else ev.sentence[ev.start - ev.sent_start:ev.end - ev.sent_start]
    fingerprint = claim_fingerprint(article.source, claim, raw_text)
    statement = None if key.complete else statement_of(claim)
    measure = claim.measure or ""
    if isinstance(claim, FigureClaim):
        # a figure's group is its statement: reconciling a new article's figures reads the copies of the
        # same statement, not every figure of the database (which would grow with it)
        measure = statement or fingerprint
    return dict(
        uid=_claim_uid(content_hash, claim), article_id=article_id, kind=claim.kind.value,
        topic=(claim.topic or "")[:TOPIC_CHARS], measure=measure[:TOPIC_CHARS],
        value=quantity.value if quantity else None, low=iv.low, high=iv.high,
        low_open=iv.low_open, high_open=iv.high_open,
        qualifier=quantity.qualifier if quantity else None,
        unit=quantity.unit if quantity else None,
        raw_text=raw_text, start=ev.start, end=ev.end, sentence=ev.sentence, sent_start=ev.sent_start,
        stated_date=claim.stated_date, details=details,
        object=key.object[:TOPIC_CHARS] if key.object else None, period=key.period, status=str(key.status),
        keyed=key.complete, subject_explicit=claim.subject_explicit, cue=(claim.cue or None) and claim.cue[:60],
        fingerprint=fingerprint, statement=statement)


def claim_view(row) -> ClaimView:
    """A plain row that starts with _CLAIM_COLUMNS (a read of several scopes adds the scope), read by position: a
    topic's read builds one view per claim, and looking up its 25 columns by name cost a SQLAlchemy Row ten times
    what unpacking it does."""
    (_id, uid, article_id, kind, topic, measure, value, low, high, low_open, high_open, qualifier, unit, raw_text,
     stated_date, details, obj, period, status, keyed, subject_explicit, cue, sentence, fingerprint, statement,
     *_rest) = row
    d = details or {}
    return ClaimView(
        uid=uid, kind=kind, topic=topic, measure=measure or None,
        interval=Interval(low, high, low_open, high_open) if value is not None else None,
        value=value, unit=unit, qualifier=qualifier, text=raw_text,
        when=stated_date, state=d.get("state"), org=d.get("org"), total=d.get("total"),
        investors=tuple(d.get("investors") or ()), object=obj, period=period,
        status=status or "actual", keyed=bool(keyed), article=article_id,
        subject_explicit=bool(subject_explicit), cue=cue, sentence=sentence or "",
        fingerprint=fingerprint, dated=stated_date is not None, statement=statement,
        claimant=d.get("claimant"))


# Kinds whose rules look across measures of a topic: part/whole arithmetic (remain + left = total) runs over
# every count of a group, so a count topic is redone whole. A role without a company is matched to the one
# company named elsewhere for the same person and role, so a role is redone with every measure of its role
# ("co-founder:" with "co-founder:Mistral AI"), not with the person's other roles. Other kinds reconcile each
# (kind, topic, measure) group on its own, so only the groups an article changed are redone.
WHOLE_TOPIC_KINDS = ("count",)
# What reconciliation reads of a claim: plain rows, not ORM objects (a topic can hold thousands).
_CLAIM_COLUMNS = (ClaimRow.id, ClaimRow.uid, ClaimRow.article_id, ClaimRow.kind, ClaimRow.topic, ClaimRow.measure,
                  ClaimRow.value, ClaimRow.low, ClaimRow.high, ClaimRow.low_open, ClaimRow.high_open,
                  ClaimRow.qualifier, ClaimRow.unit, ClaimRow.raw_text, ClaimRow.stated_date, ClaimRow.details,
                  ClaimRow.object, ClaimRow.period, ClaimRow.status, ClaimRow.keyed, ClaimRow.subject_explicit,
                  ClaimRow.cue, ClaimRow.sentence, ClaimRow.fingerprint, ClaimRow.statement)


def _unlinked_measures(session: Session, kind: str, topic: str) -> set[str]:
    """Measures with a claim in no fact yet: the claims added in this transaction."""
    return set(session.scalars(select(ClaimRow.measure).outerjoin(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
                               .where(ClaimRow.kind == kind, ClaimRow.topic == topic,
                                      FactSourceRow.fact_id.is_(None))))


def _shrunk_measures(session: Session, kind: str, topic: str) -> set[str]:
    """Measures with a fact that lost a supporting article (its old version was replaced)."""
    support = (select(func.count(func.distinct(ClaimRow.article_id)))
               .join(FactSourceRow, FactSourceRow.claim_id == ClaimRow.id)
               .where(FactSourceRow.fact_id == FactRow.id).scalar_subquery())
    return set(session.scalars(select(FactRow.measure).where(FactRow.kind == kind, FactRow.topic == topic,
                                                             FactRow.corroboration != support)))


def role_base(measure: str) -> str:
    """'co-founder' of 'co-founder:Mistral AI': the part reconcile.logic matches roles without a company by."""
    return measure.split(":")[0]


# The statements of the per-article path, built once: building a SELECT of 24 columns, with its aliases
# and bound parameters, cost SQLAlchemy more than SQLite took to run it. Each read comes in three scopes:
# a whole topic (counts), some measures (:measures), a range of measures (one role: :low <= measure < :high).
# The scopes of one transaction are read together, one UNION ALL per table whose terms are tagged with the
# scope's place (a last column, `scope`): an article touches ~7 scopes, and SQLAlchemy's work per statement
# cost several times SQLite's work per scope. Each term is the scope's own SELECT, so each scope reads
# exactly the rows it read alone (and the database compares the measures, in its own collation).
_CLAIM_A = aliased(ClaimRow)
# Scopes read by one statement: SQLite takes at most 500 terms in a compound SELECT (SQLITE_MAX_COMPOUND_SELECT),
# and a transaction that touches more scopes (a reconcile of many topics) is read in chunks of this many.
SCOPES_PER_READ = 50
# Shapes (the scopes' kinds, in order) whose compound statements are kept built: a few dozen occur in an ingest.
STATEMENT_SHAPES = 256


def _scoped(column, scope: str | tuple[str, int], n: int):
    """The condition of one scope on the measure column, its parameters suffixed with the term's place n. A scope of
    some measures is ("measures", k) when the statement is compiled for k of them (_read_scoped, SQLite)."""
    if scope == "topic":
        return true()
    if scope == "measures":
        return column.in_(bindparam(f"measures_{n}", expanding=True))
    if isinstance(scope, tuple):
        return column.in_([bindparam(f"measures_{n}_{i}") for i in range(scope[1])])
    return and_(column >= bindparam(f"low_{n}"), column < bindparam(f"high_{n}"))


def _claims_term(scope: str | tuple[str, int], n: int):
    return select(ClaimRow.id, literal_column(str(n)).label("scope")).where(
        ClaimRow.kind == bindparam(f"kind_{n}"), ClaimRow.topic == bindparam(f"topic_{n}"),
        _scoped(ClaimRow.measure, scope, n))


def _facts_term(scope: str | tuple[str, int], n: int):
    return select(FactRow.id, FactRow.key, FactSourceRow.claim_id, literal_column(str(n)).label("scope")) \
        .outerjoin(FactSourceRow, FactSourceRow.fact_id == FactRow.id) \
        .where(FactRow.kind == bindparam(f"kind_{n}"), FactRow.topic == bindparam(f"topic_{n}"),
               _scoped(FactRow.measure, scope, n))


def _contradictions_term(scope: str | tuple[str, int], n: int):
    return select(ContradictionRow.id, ContradictionRow.uid, ContradictionRow.status, ContradictionRow.claim_a_id,
                  ContradictionRow.claim_b_id, ContradictionRow.reason, ContradictionRow.severity,
                  ContradictionRow.confidence, literal_column(str(n)).label("scope")) \
        .join(_CLAIM_A, _CLAIM_A.id == ContradictionRow.claim_a_id) \
        .where(ContradictionRow.topic == bindparam(f"topic_{n}"), _CLAIM_A.kind == bindparam(f"kind_{n}"),
               _scoped(_CLAIM_A.measure, scope, n))


_TERMS = {"claims": _claims_term, "facts": _facts_term, "contradictions": _contradictions_term}


@functools.lru_cache(maxsize=STATEMENT_SHAPES)
def _read_statement(table: str, shape: tuple):
    """One read of `table` for scopes of these kinds, in this order (UNION ALL: PostgreSQL compares no JSON)."""
    terms = [_TERMS[table](scope, n) for n, scope in enumerate(shape)]
    return terms[0] if len(terms) == 1 else union_all(*terms)


@functools.lru_cache(maxsize=STATEMENT_SHAPES)
def _read_sql(table: str, shape: tuple, dialect) -> tuple[str, tuple[str, ...]]:
    """_read_statement compiled, with the names of its parameters in order."""
    compiled = _read_statement(table, shape).compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup)


def _read_scoped(conn, table: str, scopes: list[tuple[str, dict]]) -> list[list]:
    """The rows of `table` of each scope, by the scope's place in `scopes`.

    On SQLite the statement is compiled once for its scopes and their numbers of measures, and run as that SQL:
    SQLAlchemy would build the cache key of a compound statement of some dozen terms and render its lists of
    measures again at each run, which cost more than SQLite took to read the rows. Every column read is an integer
    or a string, which SQLAlchemy passes on as the driver gives it."""
    found: list[list] = [[] for _ in scopes]
    if conn.dialect.name == "sqlite":
        params = {}
        shape = []
        for n, (scope, values) in enumerate(scopes):
            for name, value in values.items():
                if name == "measures":
                    params |= {f"measures_{n}_{i}": m for i, m in enumerate(value)}
                else:
                    params[f"{name}_{n}"] = value
            shape.append((scope, len(values["measures"])) if scope == "measures" else scope)
        sql, names = _read_sql(table, tuple(shape), conn.dialect)
        rows = _driver_run(conn, sql, tuple(params[name] for name in names)).fetchall()
    else:
        params = {f"{name}_{n}": value for n, (_, values) in enumerate(scopes) for name, value in values.items()}
        # fetched at once: a Result iterated row by row fetches each with a call of its own
        rows = conn.execute(_read_statement(table, tuple(scope for scope, _ in scopes)), params).all()
    for row in rows:
        found[row[-1]].append(row)
    return found


_CLAIMS_BY_ID = _Statement(select(*_CLAIM_COLUMNS).where(ClaimRow.id.in_(bindparam("ids", expanding=True))))
# A claim row as _CLAIMS_BY_ID reads it: its columns by place and, as on a SQLAlchemy Row, by name.
_ClaimRecord = collections.namedtuple("_ClaimRecord", [column.key for column in _CLAIM_COLUMNS])
# Claims read by id in one statement: well under SQLite's limit of bound parameters (32,766 since 3.32).
CLAIMS_PER_READ = 500
# Claims whose rows and views a connection keeps between transactions (_connection_cache): a story's count topic
# is read whole for each article that adds to it, ~150 claims of which the article brings a few. ~1.5 KB each
# (the sentence, the row and its view), so ~6 MB: the claims read longest ago go first (a story's next articles
# read its claims again; one written long ago is read again from the database), filled within ~1,000 articles,
# so that the store's memory does not grow with the number of articles.
CLAIM_CACHE = 4096
# Entities (key -> id, type) and aliases a connection keeps: a story names the same few dozen entities in every
# article, each looked up by key when its mentions are saved and again when a fact is linked to it. A full cache
# is emptied (the stories being written read theirs again): ~1 MB at most.
ENTITY_CACHE = 4096
# Facts whose claims' ids a connection keeps (_ConnectionCache.claim_ids): those of the stories being written.
FACT_CACHE = 2048
_CACHE_INFO = "newsfacts.cache"  # its key in the connection's info dictionary


@dataclass(frozen=True, slots=True)
class _Claim:
    """A claim as a save uses it: its row, its view, and what a fact's columns take of it (_fact_values)."""

    row: Any
    view: ClaimView
    explicit: int  # details given, for the claim that describes a fact
    width: float  # of its interval, for the claim whose qualifier a fact's summary shows

    @classmethod
    def of(cls, row) -> _Claim:
        return cls(row, claim_view(row), sum(v not in (None, [], "") for v in (row.details or {}).values()),
                   (row.high or 0) - (row.low or 0))


@dataclass(slots=True)
class _ConnectionCache:
    """Rows a connection read or wrote, as they are in the database; `version`: see _data_version.

    Claims by id, each as a _Claim: a claim row is never updated; `by_uid` holds the same. Entities by key, as
    (id, type), and (entity id, alias) pairs: never deleted; an entity's type changes only to 'company'
    (_save_entities). The ids of the claims of a fact reconcile made (`fact_claims`, by the FactView's identity):
    reconcile.logic gives the same FactView for the same claim views, and a topic keeps most of its facts from
    one article to the next."""

    version: Any
    claims: dict[int, _Claim] = field(default_factory=dict)
    by_uid: dict[str, _Claim] = field(default_factory=dict)
    fact_claims: dict[int, tuple[FactView, frozenset[int]]] = field(default_factory=dict)
    entities: dict[str, tuple[int, str]] = field(default_factory=dict)
    aliases: set[tuple[int, str]] = field(default_factory=set)

    def claim_ids(self, fact: FactView) -> frozenset[int]:
        """The ids of a fact's claims (each in `by_uid`)."""
        kept = self.fact_claims.get(id(fact))
        if kept is None:
            forget_oldest(self.fact_claims, FACT_CACHE)
            # the fact is kept with its ids, so no other object takes its id while they are kept
            kept = self.fact_claims[id(fact)] = (fact, frozenset(self.by_uid[u].row[0] for u in fact.claims))
        return kept[1]

    def add_entities(self, rows: dict[str, tuple[int, str]]) -> None:
        if len(self.entities) + len(rows) > ENTITY_CACHE:
            self.entities.clear()
            self.aliases.clear()
        self.entities.update(rows)


def _data_version(conn) -> Any:
    """What changes when another connection commits: SQLite's data_version. A row of claims is never updated,
    only deleted with its article, but SQLite gives a deleted row's id to the next row inserted, so a claim
    read by id before another writer replaced an article may no longer be that claim (and another writer may
    have made an entity a company). A PostgreSQL id comes from a sequence and is never handed out twice: a claim
    read by id stays that claim (an entity's cached type may lag another worker's upgrade to 'company', which
    only makes _save_entities set it again)."""
    if conn.dialect.name == "sqlite":
        return _driver_run(conn, "PRAGMA data_version").fetchone()[0]
    return None


def _connection_cache(conn) -> _ConnectionCache:
    """What the connection last read and wrote, emptied when another connection wrote since."""
    version = _data_version(conn)
    cache = conn.info.get(_CACHE_INFO)
    if cache is None or cache.version != version:
        cache = conn.info[_CACHE_INFO] = _ConnectionCache(version)
    return cache


def _forget(conn) -> None:
    conn.info.pop(_CACHE_INFO, None)


@event.listens_for(Engine, "rollback")
def _forget_rolled_back(conn) -> None:
    """A rolled-back transaction takes its rows with it, and SQLite gives their ids to the next ones. An
    invalidated connection (a SIGTERM or KeyboardInterrupt inside a statement) has nothing to forget: its DBAPI
    connection, and the info that holds the cache, are discarded; reading its info would raise."""
    if conn.invalidated:
        return
    _forget(conn)


def _read_claims(conn, cache: _ConnectionCache, scopes: list[tuple[str, dict]]) -> list[list[_Claim]]:
    """Each scope's claims: the ids of a scope's claims from the database, the rows of the ids
    the cache lacks (the new article's claims, mostly) read by id.

    The cache keeps its claims in the order they were last read (`claims`, oldest first): those of these scopes
    go last, and past CLAIM_CACHE the oldest others are forgotten (never one of these scopes', which the
    reconciling and writing of these scopes read through `by_uid`)."""
    ids = _read_scoped(conn, "claims", scopes)
    claims = cache.claims
    wanted = {row[0] for rows in ids for row in rows}
    missing = []
    for claim_id in wanted:
        claim = claims.pop(claim_id, None)
        if claim is None:
            missing.append(claim_id)
        else:
            claims[claim_id] = claim  # read now: the newest
    missing.sort()
    for start in range(0, len(missing), CLAIMS_PER_READ):
        for row in _CLAIMS_BY_ID.rows(conn, {"ids": missing[start:start + CLAIMS_PER_READ]}):
            claims[row[0]] = cache.by_uid[row[1]] = _Claim.of(_ClaimRecord._make(row))
    if len(claims) > CLAIM_CACHE:
        # bounded: a long ingest keeps its memory flat; forgotten in batches, as forget_oldest does
        forget = min(len(claims) - CLAIM_CACHE + CLAIM_CACHE // FORGET_SHARE, len(claims) - len(wanted))
        for claim_id in list(itertools.islice(claims, forget)):
            del cache.by_uid[claims.pop(claim_id).row[1]]
    return [[claims[row[0]] for row in rows] for rows in ids]


_READ_VERDICTS = _Statement(
    select(VerdictRow.contradiction_uid, VerdictRow.status, VerdictRow.note, VerdictRow.decided_at)
    .where(VerdictRow.contradiction_uid.in_(bindparam("uids", expanding=True))))
_DELETE_FACTS = _Statement(delete(FactRow).where(FactRow.id.in_(bindparam("ids", expanding=True))))
_DELETE_CONTRADICTIONS = _Statement(delete(ContradictionRow)
                                    .where(ContradictionRow.id.in_(bindparam("ids", expanding=True))))
_INSERT_CONTRADICTIONS = _Statement(insert(ContradictionRow))
_UPDATE_CONTRADICTIONS = _Statement(update(ContradictionRow).where(ContradictionRow.id == bindparam("row_id")))
_UPDATE_FACTS = _Statement(update(FactRow).where(FactRow.id == bindparam("fact_id")))
_INSERT_FACTS = _Statement(insert(FactRow).returning(FactRow.key, FactRow.id))
_DELETE_SOURCES = _Statement(delete(FactSourceRow).where(FactSourceRow.fact_id == bindparam("fact_id"),
                                              FactSourceRow.claim_id.in_(bindparam("claims", expanding=True))))
_INSERT_SOURCES = _Statement(insert(FactSourceRow))
_READ_LINKS = _Statement(select(FactEntityRow.fact_id, FactEntityRow.entity_id, FactEntityRow.role)
                         .where(FactEntityRow.fact_id.in_(bindparam("ids", expanding=True))))
_DELETE_LINKS = _Statement(delete(FactEntityRow).where(FactEntityRow.fact_id.in_(bindparam("ids", expanding=True))))
_INSERT_LINKS = _Statement(insert(FactEntityRow))


def _scopes(kind: str, measures: set[str] | None) -> list[tuple[str, dict]]:
    """What to redo of a topic, as (scope, parameters) for the statements above."""
    if measures is None:
        return [("topic", {})]
    if kind == "role":  # every measure of each role: 'co-founder:' up to, not including, 'co-founder;'
        return [("range", {"low": f"{base}:", "high": f"{base};"}) for base in sorted(set(map(role_base, measures)))]
    return [("measures", {"measures": sorted(measures)})]


def reconcile_topics(session: Session, topics: set[Topic] | frozenset[Topic],
                     previous: frozenset[str] = frozenset(),
                     groups: frozenset[tuple[str, str, str]] | None = None) -> ReconcileResult:
    """Recompute facts and contradictions for the touched topics only (cost ~ the new article's stories).
    `previous`: fact keys and contradiction uids that existed before this transaction (SaveResult).
    `groups`: the (kind, topic, measure) of the claims this transaction added (SaveResult), or None to find
    them in the database.

    Every transaction that adds claims reconciles their topics before it commits, so the claims in no fact
    are exactly this transaction's, and only a deleted old version of an article (then `previous` names what
    it took) leaves a fact with fewer supporting articles than it records."""
    totals = [0, 0, 0]  # facts new, facts, contradictions new
    lock(session, topic_lock_names(topics))
    session.flush()
    conn = session.connection()
    cache = _connection_cache(conn)
    scopes: list[tuple[str, dict]] = []
    for kind, topic in sorted(topics):
        measures = None
        if kind not in WHOLE_TOPIC_KINDS:
            if groups is None:
                measures = _unlinked_measures(session, kind, topic)
            else:
                measures = {m for k, t, m in groups if k == kind and t == topic}
            if previous or groups is None:
                measures |= _shrunk_measures(session, kind, topic)
            if not measures:
                continue
        scopes += [(scope, {"kind": kind, "topic": topic, **params}) for scope, params in _scopes(kind, measures)]
    for start in range(0, len(scopes), SCOPES_PER_READ):
        counts = _reconcile_scopes(conn, cache, scopes[start:start + SCOPES_PER_READ], previous)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    return ReconcileResult(*totals)


@dataclass(slots=True)
class _Writes:
    """What reconciling some scopes changes, written with one statement per kind of write."""

    gone: list[int] = field(default_factory=list)  # fact ids
    changed: list[tuple[int | None, FactView]] = field(default_factory=list)  # (fact id, or None for a new fact)
    stale: list[int] = field(default_factory=list)  # contradiction ids
    reworded: list[dict] = field(default_factory=list)
    raised: list[Conflict] = field(default_factory=list)

    def inserts(self) -> bool:
        return bool(self.raised) or any(fact_id is None for fact_id, _ in self.changed)


def _reconcile_scopes(conn, cache: _ConnectionCache, scopes: list[tuple[str, dict]],
                      previous: frozenset[str]) -> tuple[int, int, int]:
    """Reconcile some scopes of the topics: read their claims, facts and contradictions, write what changed.

    One statement per table reads every scope, and one per kind of write writes them: a scope's claims, facts
    and contradictions are its own (each row belongs to the one scope its kind, topic and measure name), so
    what one scope writes is never what another reads. The rows are deleted and inserted in the order the
    scopes were once written one by one (a scope that deletes after one that inserted starts a new batch):
    SQLite gives a new row the id after the largest one left, so the same articles give the same ids."""
    facts_new = facts_total = contradictions_new = 0
    claims = _read_claims(conn, cache, scopes)
    facts = _read_scoped(conn, "facts", scopes)
    contradictions = _read_scoped(conn, "contradictions", scopes)
    by_uid = cache.by_uid  # every claim of these scopes is in it (_read_claims)
    sources: dict[int, set[int]] = {}
    writes = _Writes()
    for scope_claims, fact_rows, contradiction_rows in zip(claims, facts, contradictions, strict=True):
        result = reconcile([c.view for c in scope_claims])
        existing: dict[str, int] = {}
        for fact_id, key, claim_id, _scope in fact_rows:
            existing[key] = fact_id
            if claim_id is not None:
                sources.setdefault(fact_id, set()).add(claim_id)
        wanted = {f.key: f for f in result.facts}
        facts_total += len(wanted)
        gone = sorted(fact_id for key, fact_id in existing.items() if key not in wanted)
        changed = []
        for key, fact in wanted.items():
            fact_id = existing.get(key)
            if fact_id is None:
                facts_new += key not in previous
            elif sources.get(fact_id) == cache.claim_ids(fact):
                continue  # same claims, same fact: everything in it is derived from them
            changed.append((fact_id, fact))
        # by position (_contradictions_term): id, uid, status, claim_a_id, claim_b_id, reason, severity, confidence
        current = {c[1]: c for c in contradiction_rows}
        produced = {c.uid: c for c in result.conflicts}
        # the evidence changed; a reviewed one keeps its note
        stale = sorted(row[0] for uid, row in current.items() if uid not in produced and row[2] == "open")
        if (gone or stale) and writes.inserts():
            contradictions_new += _write(conn, cache, writes, sources, previous)
            writes = _Writes()
        writes.gone += gone
        writes.changed += changed
        writes.stale += stale
        # a contradiction raised again is worded from the claims its topic has now, not those it had when first
        # raised: the same claims give the same rows whatever order they were written in (several writers, a
        # retried cluster task)
        for uid in sorted(set(produced) & set(current)):
            conflict, row = produced[uid], current[uid]
            now = (by_uid[conflict.claim_a].row[0], by_uid[conflict.claim_b].row[0], conflict.reason,
                   conflict.severity, conflict.confidence)
            if tuple(row[3:8]) != now:
                writes.reworded.append({"row_id": row[0], **dict(zip(_REWORDED, now, strict=True))})
        writes.raised += [produced[uid] for uid in sorted(set(produced) - set(current))]
    contradictions_new += _write(conn, cache, writes, sources, previous)
    return facts_new, facts_total, contradictions_new


# What a contradiction raised again may change, in the order _contradictions_term reads them
_REWORDED = ("claim_a_id", "claim_b_id", "reason", "severity", "confidence")


def _write(conn, cache: _ConnectionCache, writes: _Writes, sources: dict[int, set[int]],
           previous: frozenset[str]) -> int:
    """Write what some scopes changed; the number of contradictions raised that are new to the reader."""
    by_uid = cache.by_uid
    if writes.gone:  # their sources and entity links go with them (ON DELETE CASCADE)
        _DELETE_FACTS.run(conn, {"ids": writes.gone})
    _write_facts(conn, cache, writes.changed, sources)
    if writes.stale:
        _DELETE_CONTRADICTIONS.run(conn, {"ids": writes.stale})
    if writes.reworded:
        _UPDATE_CONTRADICTIONS.many(conn, writes.reworded)
    if not writes.raised:
        return 0
    # by place: uid, status, note, decided_at
    verdicts = {v[0]: v for v in _READ_VERDICTS.rows(conn, {"uids": [c.uid for c in writes.raised]})}
    new_rows = []
    contradictions_new = 0
    for conflict in writes.raised:
        verdict = verdicts.get(conflict.uid)
        new_rows.append({"uid": conflict.uid, "kind": conflict.kind, "topic": conflict.topic,
                         "claim_a_id": by_uid[conflict.claim_a].row[0],
                         "claim_b_id": by_uid[conflict.claim_b].row[0],
                         "reason": conflict.reason, "severity": conflict.severity,
                         "confidence": conflict.confidence, "status": verdict[1] if verdict else "open",
                         "note": verdict[2] if verdict else None,
                         "resolved_at": verdict[3] if verdict else None, "created_at": utcnow()})
        contradictions_new += conflict.uid not in previous and verdict is None
    _INSERT_CONTRADICTIONS.many(conn, new_rows)
    return contradictions_new


def _write_facts(conn, cache: _ConnectionCache, changed: list[tuple[int | None, FactView]],
                 sources: dict[int, set[int]]) -> None:
    """Write the facts whose claims changed (a new fact where the id is None): fields, sources, entity links.
    One statement per kind of write for all of a topic's facts, not one per fact."""
    if not changed:
        return
    now = utcnow()
    by_uid = cache.by_uid
    values = [(fact_id, fact, _fact_values(fact, [by_uid[u] for u in fact.claims], now)) for fact_id, fact in changed]
    updates = [{"fact_id": fact_id, **v} for fact_id, _, v in values if fact_id is not None]
    if updates:
        _UPDATE_FACTS.many(conn, updates)
    inserts = [{"key": fact.key, **v} for fact_id, fact, v in values if fact_id is None]
    ids = {fact.key: fact_id for fact_id, fact, _ in values if fact_id is not None}
    if inserts:
        if conn.dialect.name == "sqlite":
            # one INSERT per fact through the driver: SQLite gives them the ids one INSERT of all the rows gives
            for row in inserts:
                ids.update(_INSERT_FACTS.rows(conn, row))
        else:
            ids |= dict(conn.execute(_INSERT_FACTS.statement, inserts).all())
    # only the difference is written: a fact of a long-running story keeps most of its sources
    added = []
    for fact_id, fact, _ in values:
        had = sources.get(fact_id, set()) if fact_id is not None else set()
        wanted = cache.claim_ids(fact)
        if had - wanted:
            _DELETE_SOURCES.run(conn, {"fact_id": fact_id, "claims": sorted(had - wanted)})
        added += [{"fact_id": ids[fact.key], "claim_id": c} for c in sorted(wanted - had)]
    if added:
        _INSERT_SOURCES.many(conn, added)
    links = {ids[fact.key]: _entity_links(fact, v["details"]) for _, fact, v in values}
    names = {entity_key(n) for named in links.values() for n in named}
    entity_ids = {key: entity_id for key, (entity_id, _) in _entities(conn, cache, names).items()}
    old_ids = sorted(fact_id for fact_id, _, _ in values if fact_id is not None)
    current: dict[int, set] = {}
    if old_ids:
        for fact_id, entity_id, role in _READ_LINKS.rows(conn, {"ids": old_ids}):
            current.setdefault(fact_id, set()).add((entity_id, role))
    relinked, new_links = [], []
    for fact_id, named in links.items():
        by_entity: dict[int, str] = {}
        for name, role in named.items():
            if entity_key(name) in entity_ids:
                by_entity.setdefault(entity_ids[entity_key(name)], role)
        wanted_links = set(by_entity.items())
        if current.get(fact_id, set()) != wanted_links:
            if current.get(fact_id):
                relinked.append(fact_id)
            new_links += [{"fact_id": fact_id, "entity_id": e, "role": r} for e, r in sorted(wanted_links)]
    if relinked:
        _DELETE_LINKS.run(conn, {"ids": sorted(relinked)})
    if new_links:
        _INSERT_LINKS.many(conn, new_links)


def _fact_values(fact: FactView, claims: list[_Claim], now) -> dict:
    """A fact's columns (key aside), from its claims."""
    # the most explicit claim describes the fact ("co-founder at Mistral AI" over "co-founder")
    first = max(claims, key=_EXPLICIT).row
    details = dict(first.details or {})
    if fact.investors:
        details["investors"] = list(fact.investors)
        details["lead_investors"] = list(dict.fromkeys(
            i for c in claims for i in (c.row.details or {}).get("lead_investors") or ()))
    if fact.kind == "count":
        totals = [c.view.total for c in claims if c.view.total is not None]  # the view's total is details'
        details["total"] = totals[0] if totals else None
    return {
        "kind": fact.kind, "topic": fact.topic, "measure": fact.measure or "", "object": fact.object,
        "period": fact.period, "status": fact.status, "keyed": fact.keyed, "value": fact.value, "unit": fact.unit,
        "low": fact.interval.low if fact.interval else None, "high": fact.interval.high if fact.interval else None,
        "corroboration": len({c.view.article for c in claims}), "first_seen": fact.first_seen,
        "last_seen": fact.last_seen, "details": details,
        "summary": summarize(fact, details, best=min(claims, key=_WIDTH).row),
        "updated_at": now}


_EXPLICIT = operator.attrgetter("explicit")
_WIDTH = operator.attrgetter("width")


def _entity_links(fact: FactView, details: dict) -> dict[str, str]:
    """The names a fact is about, with how each takes part: subject, org, investor."""
    if fact.kind == "figure":
        return {}  # "car" of "35,000 test cars" names no entity
    links: dict[str, str] = {fact.topic: "subject"} if fact.topic else {}
    for name in (details.get("org"), details.get("counterparty"), *(details.get("investors") or ())):
        if name:
            links.setdefault(name, "investor" if name in (details.get("investors") or ()) else "org")
    return links


def _news_count_summary(fact: FactView, details: dict, qual: str) -> str:
    """'191 people killed (attack, Madrid)', '272 votes for', 'a crowd of 50000 (rally, Madrid)'."""
    n = f"{qual}{human_number(fact.value or 0)}"
    of = f" of {details['total']}" if details.get("total") else ""
    state = details.get("state") or fact.measure or ""
    if state.startswith("votes") or state in ("seats", "cases"):
        text = f"{n}{of} {state}"
    elif state == "crowd":
        text = f"a crowd of {n}"
    else:
        text = f"{n}{of} {details.get('group') or 'people'} {state}"
    where = ", ".join(p for p in (details.get("event"), details.get("place")) if p)
    claimant = f", according to {details['claimant']}" if details.get("claimant") else ""
    return f"{text} ({where}){claimant}" if where else text + claimant


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
    if fact.kind == "count" and "event" in details:
        return _news_count_summary(fact, details, qual) + when
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
    if fact.kind == "figure":
        noun = f" {details['noun']}" if details.get("noun") else ""
        unit = f"{fact.unit} " if fact.unit and fact.unit != "%" else ""
        pct = "%" if fact.unit == "%" else ""
        return f"figure: {qual}{unit}{human_number(fact.value or 0)}{pct}{noun}{when}"
    if fact.kind == "role":
        former = "former " if details.get("former") else ""
        at = f", {details['org']}" if details.get("org") else ""
        return f"{topic}: {former}{details.get('role')}{at}"
    return f"{topic} {fact.measure}"
