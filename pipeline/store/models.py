"""SQLAlchemy 2.0 models: articles, entities, mentions, claims, facts, contradictions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    site: Mapped[str | None] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    # ISO 639-1 code detected from the text (pipeline/fetch/language.py); only "en" is extracted,
    # "und" when the text is too short or mixed to tell
    language: Mapped[str | None] = mapped_column(String(8))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    claims: Mapped[list[ClaimRow]] = relationship(back_populates="article", cascade="all, delete-orphan",
                                                  passive_deletes=True)
    mentions: Mapped[list[MentionRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class FailureRow(Base):
    """A source that could not become an article, and why; cleared when it later succeeds."""

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text, unique=True)
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # casefolded, accent-free name
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), index=True)

    aliases: Mapped[list[AliasRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class AliasRow(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    sent_start: Mapped[int] = mapped_column(Integer)


class ClaimRow(Base):
    __tablename__ = "claims"
    # a topic's claims are read by measure (a figure's group is its statement, and the one 'figure' topic grows
    # with the database): without the measure in the index that read scans every claim of the topic
    __table_args__ = (Index("ix_claims_kind_topic_measure", "kind", "topic", "measure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(String(300))
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    low_open: Mapped[bool] = mapped_column(Boolean, default=False)
    high_open: Mapped[bool] = mapped_column(Boolean, default=False)
    qualifier: Mapped[str | None] = mapped_column(String(40))
    unit: Mapped[str | None] = mapped_column(String(10))
    raw_text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    sent_start: Mapped[int] = mapped_column(Integer)
    stated_date: Mapped[date | None] = mapped_column(Date)
    # the rest of the claim's key (topic = subject, measure): see pipeline.types.ClaimKey
    object: Mapped[str | None] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str | None] = mapped_column(String(20))
    keyed: Mapped[bool | None] = mapped_column(Boolean)  # key complete: merged and compared with others
    # evidence behind the key, for a contradiction's confidence
    subject_explicit: Mapped[bool | None] = mapped_column(Boolean)
    cue: Mapped[str | None] = mapped_column(String(60))
    # the claim's identity across versions of its article: source, key, words and sentence
    fingerprint: Mapped[str | None] = mapped_column(String(40), index=True)
    # for a claim without a complete key: the statement it is made in (its sentence with the figures masked,
    # and which figure it is), the key it is compared by with another outlet's copy of that statement
    statement: Mapped[str | None] = mapped_column(String(40))
    # kind-specific fields, each a plain value: state, org, total, round, investors, role, ...
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    article: Mapped[ArticleRow] = relationship(back_populates="claims")


class FactRow(Base):
    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_kind_topic_measure", "kind", "topic", "measure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(700), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(String(300))
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    object: Mapped[str | None] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str | None] = mapped_column(String(20))
    keyed: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(Text)
    corroboration: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[date | None] = mapped_column(Date)
    last_seen: Mapped[date | None] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sources: Mapped[list[FactSourceRow]] = relationship(cascade="all, delete-orphan",
                                                        passive_deletes=True)


class FactSourceRow(Base):
    __tablename__ = "fact_sources"

    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)
    # by claim: "is this claim in a fact yet?" (reconcile) and the cascade when an article is replaced
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)


class ContradictionRow(Base):
    __tablename__ = "contradictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    topic: Mapped[str] = mapped_column(String(300), index=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))
    # how sure we are the two claims measure the same thing at the same time (reconcile.logic.confidence)
    confidence: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    claim_a: Mapped[ClaimRow] = relationship(foreign_keys=[claim_a_id])
    claim_b: Mapped[ClaimRow] = relationship(foreign_keys=[claim_b_id])


class VerdictRow(Base):
    """A reviewer's verdict on a contradiction, kept by the contradiction's stable uid: it outlives the
    claims it was given on (a re-ingest, a replaced article, a re-reconcile) and is applied again when the
    same contradiction is raised again."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    contradiction_uid: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20))  # resolved, real, not comparable
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UrlStateRow(Base):
    """What the last fetch of a URL returned, for conditional requests and dedupe."""

    __tablename__ = "url_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ListingRow(Base):
    """A URL read as a feed or a sitemap: when it fails it is read again as one, never as a page."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # feed | sitemap


class FingerprintRow(Base):
    """A web article's simhash (trafilatura's): another URL with a near-identical text is the same article."""

    __tablename__ = "fingerprints"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    simhash: Mapped[str] = mapped_column(String(16))


class FactEntityRow(Base):
    """Which entities a fact is about (its subject, the org of a count, the investors)."""

    __tablename__ = "fact_entities"

    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"),
                                           primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="subject")
