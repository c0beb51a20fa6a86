"""URL states (validators and content hash of the last good fetch) and the failed URLs worth retrying."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from pipeline.store.models import ArticleRow, FailureRow, UrlStateRow, utcnow
from pipeline.types import UrlState


def url_state(session: Session, url: str) -> UrlState | None:
    row = session.scalar(select(UrlStateRow).where(UrlStateRow.url == url))
    if row is None:
        return None
    return UrlState(row.url, row.etag, row.last_modified, row.content_hash)


def save_url_states(session: Session, states: Iterable[UrlState]) -> int:
    """Upsert each state and clear the URL's failure (it was fetched fine this time)."""
    n = 0
    for state in states:
        row = session.scalar(select(UrlStateRow).where(UrlStateRow.url == state.url))
        if row is None:
            row = UrlStateRow(url=state.url)
            session.add(row)
        row.etag, row.last_modified, row.content_hash = state.etag, state.last_modified, state.content_hash
        row.fetched_at = utcnow()
        session.execute(delete(FailureRow).where(FailureRow.source == state.url))
        n += 1
    return n


def stored_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        chunk = wanted[i:i + 500]
        found |= set(session.scalars(select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(chunk))))
    return found


def failed_urls(session: Session, max_attempts: int) -> list[str]:
    """Web sources that failed fewer than max_attempts times, oldest first."""
    q = (select(FailureRow.source)
         .where(or_(FailureRow.source.startswith("http://"), FailureRow.source.startswith("https://")))
         .where(FailureRow.attempts < max_attempts)
         .order_by(FailureRow.last_seen, FailureRow.id))
    return list(session.scalars(q))
