"""Engine and schema: SQLite by default (WAL, busy timeout), any SQLAlchemy URL otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from pipeline.errors import DatabaseBusyError, StoreError
from pipeline.store.models import Base
from pipeline.store.views import VIEWS

# Two ingests on one SQLite file wait for each other's transaction (one article each, well
# under a second) instead of failing with "database is locked".
SQLITE_BUSY_TIMEOUT_S = 60
# What SQLite says when a lock could not be had within the busy timeout (or could not be upgraded).
_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
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
            event.listen(engine, "begin", _sqlite_begin_immediate)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        if create:
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    # workers starting together would race to create the same tables: one at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                Base.metadata.create_all(conn)
                _add_missing_columns(conn)
                for table in Base.metadata.sorted_tables:  # indexes added since the file was created
                    for index in table.indexes:
                        index.create(conn, checkfirst=True)
                for name, sql in VIEWS.items():
                    conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                    conn.execute(text(sql))
    except SQLAlchemyError as exc:
        if isinstance(exc, OperationalError) and _is_busy(exc):
            raise _busy_error(exc, url) from exc
        raise StoreError(f"cannot open database: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}",
                         where=url) from exc
    return engine


def _add_missing_columns(conn) -> None:
    """Columns added to the models since a database was created, added to it (nullable, no default).

    Claims stored before their key had columns read as not keyed: they stay queryable and are never
    compared, so an old database raises no contradiction it could not explain; re-ingesting its articles
    into a new file gives them keys.
    """
    inspector = inspect(conn)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


@contextmanager
def database_errors(where: str | None = None) -> Iterator[None]:
    """SQLAlchemy errors inside become StoreErrors; a lock held too long becomes DatabaseBusyError."""
    try:
        yield
    except OperationalError as exc:
        if _is_busy(exc):
            raise _busy_error(exc, where) from exc
        raise StoreError(f"database error: {exc.orig}", where=where) from exc


def _is_busy(exc: OperationalError) -> bool:
    return any(m in str(exc.orig).lower() for m in _BUSY_MESSAGES)


def _busy_error(exc: OperationalError, where: str | None) -> DatabaseBusyError:
    return DatabaseBusyError(f"another newsfacts run is writing to the database and held it for more than "
                             f"{SQLITE_BUSY_TIMEOUT_S} s; try again later ({exc.orig})", where=where)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # pysqlite would BEGIN only before the first INSERT/UPDATE, after our SELECTs ran outside any
    # transaction; we emit BEGIN ourselves (SQLAlchemy's documented pysqlite recipe), see below.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin_immediate(conn) -> None:
    """Every transaction takes SQLite's write lock up front (waiting up to the busy timeout).

    A deferred transaction that reads and then writes must upgrade its read lock; under WAL that
    upgrade fails at once with "database is locked" when another process committed in between (the
    busy timeout does not apply), and two ingests of the same article would both see it as new.
    Transactions here are one article each, so taking the lock first costs readers well under a second.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")
