"""Engine and schema: SQLite by default (WAL, busy timeout), any SQLAlchemy URL otherwise."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from pipeline.errors import StoreError
from pipeline.store.models import Base
from pipeline.store.views import VIEWS

# Two ingests on one SQLite file wait for each other's transaction (one article each, well
# under a second) instead of failing with "database is locked".
SQLITE_BUSY_TIMEOUT_S = 60
# Advisory lock held while the schema is created on PostgreSQL (any constant, unlike the topic keys).
SCHEMA_LOCK_KEY = 7_100_001


def database_url(db: str | Path) -> str:
    """A plain path means a SQLite file; anything with '://' is an SQLAlchemy URL."""
    db = str(db)
    return db if "://" in db else f"sqlite:///{db}"


def open_engine(db: str | Path, *, create: bool = True) -> Engine:
    url = database_url(db)
    if url.startswith("sqlite:///") and not create:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise StoreError("no such database (run 'newsfacts ingest' first)", where=str(path))
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        if create:
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    # workers starting together would race to create the same tables: one at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                Base.metadata.create_all(conn)
                for table in Base.metadata.sorted_tables:  # indexes added since the file was created
                    for index in table.indexes:
                        index.create(conn, checkfirst=True)
                for name, sql in VIEWS.items():
                    conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                    conn.execute(text(sql))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}",
                         where=url) from exc
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
