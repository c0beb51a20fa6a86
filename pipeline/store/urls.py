"""URL states (validators and content hash of the last good fetch), the failed URLs worth retrying,
the URLs known as feeds or sitemaps, and the fingerprints of web articles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from pipeline.store.models import ArticleRow, FailureRow, FingerprintRow, ListingRow, UrlStateRow, utcnow
from pipeline.types import UrlState

# Rows per IN (...) query: stays under SQLite's bound-parameter limit.
IN_CHUNK = 500


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


def forget_url_states(session: Session, urls: Iterable[str]) -> None:
    """The next request for these URLs is unconditional: what they hold was not all read."""
    for chunk in _chunks(urls):
        session.execute(delete(UrlStateRow).where(UrlStateRow.url.in_(chunk)))


def clear_failures(session: Session, sources: Iterable[str]) -> None:
    for chunk in _chunks(sources):
        session.execute(delete(FailureRow).where(FailureRow.source.in_(chunk)))


def stored_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(hashes):
        found |= set(session.scalars(select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(chunk))))
    return found


def failed_urls(session: Session, retry_runs: int) -> list[str]:
    """Web pages that failed and have been retried on fewer than retry_runs later runs, oldest first.

    attempts counts the first failure too, so a page is asked for on retry_runs runs after it. Feeds
    and sitemaps are not pages: they are read again through the config or their sitemap index.
    """
    q = (select(FailureRow.source)
         .where(or_(FailureRow.source.startswith("http://"), FailureRow.source.startswith("https://")))
         .where(FailureRow.attempts <= retry_runs)
         .where(FailureRow.source.not_in(select(ListingRow.url)))
         .order_by(FailureRow.last_seen, FailureRow.id))
    return list(session.scalars(q))


def save_listings(session: Session, kinds: Mapping[str, str]) -> None:
    """Remember URLs read as feeds or sitemaps (url -> 'feed' | 'sitemap')."""
    for chunk in _chunks(kinds):
        known = set(session.scalars(select(ListingRow.url).where(ListingRow.url.in_(chunk))))
        session.add_all(ListingRow(url=url, kind=kinds[url]) for url in chunk if url not in known)


def article_at(session: Session, source: str) -> str | None:
    """Content hash of the article stored under this source (path or URL), if any."""
    return session.scalar(select(ArticleRow.content_hash).where(ArticleRow.source == source).limit(1))


def fingerprint(session: Session, content_hash: str) -> str | None:
    return session.scalar(select(FingerprintRow.simhash).where(FingerprintRow.content_hash == content_hash))


def save_fingerprints(session: Session, simhashes: Mapping[str, str]) -> None:
    """content hash -> simhash (hex), for articles in the database; one already known is kept."""
    for chunk in _chunks(simhashes):
        known = set(session.scalars(select(FingerprintRow.content_hash).where(FingerprintRow.content_hash.in_(chunk))))
        session.add_all(FingerprintRow(content_hash=h, simhash=simhashes[h]) for h in chunk if h not in known)


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(values))
    for i in range(0, len(wanted), IN_CHUNK):
        yield wanted[i:i + IN_CHUNK]
