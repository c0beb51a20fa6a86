"""Engine and schema: SQLite by default (WAL, busy timeout), any SQLAlchemy URL otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from pipeline.errors import BadDatabaseError, DatabaseBusyError, StorageError, StoreError
from pipeline.store.models import Base
from pipeline.store.views import VIEWS
from pipeline.untrusted import mask_credentials, printable, shown_db

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
    shown = shown_db(db)
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if path is not None and not create and not path.exists():
        raise StoreError("no such database (run 'newsfacts ingest' first)", where=shown)
    new_file = path is not None and not path.exists()
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            # only a writer sets WAL: a query must not rewrite the header of a file it was merely shown
            event.listen(engine, "connect", _sqlite_pragmas_writer if create else _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin_immediate)
        else:
            engine = create_engine(url, pool_pre_ping=True)
            event.listen(engine, "before_cursor_execute", _no_nul, retval=True)
        if create:
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    # workers starting together would race to create the same tables: one at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                elif not new_file:
                    _check_newsfacts_file(conn)
                Base.metadata.create_all(conn)
                _add_missing_columns(conn)
                for table in Base.metadata.sorted_tables:  # indexes added since the file was created
                    for index in table.indexes:
                        index.create(conn, checkfirst=True)
                for name, sql in VIEWS.items():
                    conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                    conn.execute(text(sql))
    except SQLAlchemyError as exc:
        if new_file and _disk_full(exc):
            # a disk that filled up while the schema was written leaves no 0-byte database behind; any other
            # failure (another process creating the same file got the lock first) leaves the file to it: removed
            # under that process, its next write fails with a disk I/O error
            _remove_sqlite_files(path)
        raise store_error(exc, shown, action="open") from exc
    return engine


def _disk_full(exc: BaseException) -> bool:
    """SQLite's or PostgreSQL's word for a full disk (what store_error reports as 'disk full')."""
    orig = getattr(exc, "orig", None) or exc
    return any(m in str(orig).lower() for m in _FULL) or getattr(orig, "sqlstate", None) in _PG_FULL


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


def engine_name(engine: Engine) -> str:
    """The database an engine writes to, as a message may name it (no password)."""
    if engine.dialect.name == "sqlite":
        return shown_db(engine.url.database or ":memory:")
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def open_session(db: str | Path, *, write: bool = False) -> Iterator[Session]:
    """A session on an existing database, its failures as one-line StoreErrors; write=True commits at the end."""
    engine = open_engine(db, create=False)
    try:
        with database_errors(shown_db(db)), Session(engine) as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session
    finally:
        engine.dispose()


@contextmanager
def database_errors(db: str | None = None, item: str | None = None) -> Iterator[None]:
    """Database failures inside become one-line StoreErrors naming the cause first, then the database (and
    the article being written, if any)."""
    try:
        yield
    except (DBAPIError, ArgumentError) as exc:
        raise store_error(exc, db, item=item) from exc


# SQLite's messages and PostgreSQL's SQLSTATE codes for each cause (sqlite3 exposes no error codes we
# could rely on across Python versions; the messages are fixed strings in SQLite's source).
_CORRUPT = ("database disk image is malformed", "malformed database schema", "file is encrypted")
_NOT_OURS = ("file is not a database", "no such table", "no such column")
_READ_ONLY = ("readonly database", "read-only")
_FULL = ("database or disk is full", "no space left on device")
_IO = ("disk i/o error",)
_PG_CORRUPT = {"XX001", "XX002"}  # data_corrupted, index_corrupted
_PG_NOT_OURS = {"42P01", "42703"}  # undefined_table, undefined_column
_PG_READ_ONLY = {"25006"}  # read_only_sql_transaction
_PG_FULL = {"53100"}  # disk_full
_PG_BUSY = {"55P03", "57014"}  # lock_not_available, query_canceled (lock_timeout / statement_timeout)


def store_error(exc: Exception, db: str | None, *, item: str | None = None, action: str = "use") -> StoreError:
    """The one place a database failure gets its cause: busy, corrupt, not ours, read-only, disk full."""
    orig = getattr(exc, "orig", None) or exc
    detail = mask_credentials(printable(str(orig).strip().splitlines()[0] if str(orig).strip() else
                                        orig.__class__.__name__))
    message = detail.lower()
    sqlstate = getattr(orig, "sqlstate", None)
    name = db or "the database"
    during = f"; while writing {item}" if item else ""
    if isinstance(exc, OperationalError) and _is_busy(exc) or sqlstate in _PG_BUSY:
        return _busy_error(exc, db)
    if any(m in message for m in _CORRUPT) or sqlstate in _PG_CORRUPT:
        repair = f"; run `sqlite3 {name} .recover | sqlite3 recovered.db` to save what is left" \
            if db and "://" not in db else ""
        return BadDatabaseError(f"database is corrupt: {name} ({detail}){during}{repair}")
    if any(m in message for m in _NOT_OURS) or sqlstate in _PG_NOT_OURS:
        return BadDatabaseError(f"not a newsfacts database: {name} ({detail})")
    if _disk_full(exc):
        return StorageError(f"disk full: cannot write to {name}; free some space and run again ({detail}){during}")
    if any(m in message for m in _READ_ONLY) or sqlstate in _PG_READ_ONLY:
        return StorageError(f"read-only: cannot write to {name} ({detail}){during}")
    if any(m in message for m in _IO):
        return StorageError(f"disk I/O error (is the disk full or failing?) on {name} ({detail}){during}")
    if "unable to open database file" in message:
        return StoreError(f"cannot open database file: {name} (its folder is missing or not writable)")
    return StoreError(f"cannot {action} database: {name} ({exc.__class__.__name__}: {detail}){during}")


def _check_newsfacts_file(conn) -> None:
    """An existing SQLite file with tables but none of ours belongs to someone else: never add ours to it."""
    tables = set(inspect(conn).get_table_names())
    if tables and "articles" not in tables:
        raise BadDatabaseError(f"not a newsfacts database (it has other tables: {', '.join(sorted(tables)[:5])})")


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _no_nul(conn, cursor, statement, parameters, context, executemany):
    """PostgreSQL refuses NUL in text: a guard behind Article's own cleaning, for every value written."""
    return statement, _without_nul(parameters)


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(v) for v in value)
    return value


def _is_busy(exc: OperationalError) -> bool:
    return any(m in str(exc.orig).lower() for m in _BUSY_MESSAGES)


def _busy_error(exc: Exception, where: str | None) -> DatabaseBusyError:
    return DatabaseBusyError(f"busy: another newsfacts run is writing to the database and held it for more than "
                             f"{SQLITE_BUSY_TIMEOUT_S} s; try again later ({getattr(exc, 'orig', exc)})", where=where)


# Filled within the first ~1,000 articles of a store, so that its memory does not grow with the database: 64 MB
# (filled at ~5,000 articles) stored 10,000 articles in the same time, with 50 MB more resident.
SQLITE_CACHE_KIB = 16384


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # pysqlite would BEGIN only before the first INSERT/UPDATE, after our SELECTs ran outside any
    # transaction; we emit BEGIN ourselves (SQLAlchemy's documented pysqlite recipe), see below.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # SQLite's default page cache is 2 MB: past a few thousand articles the indexes a save reads no longer fit
    # and each article's lookups go to the file, so store time grows with the database; 16 MB keeps the hot
    # pages (the indexes' inner pages, the stories being written) in memory (a ceiling, not an allocation)
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _sqlite_pragmas_writer(dbapi_conn, record) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    dbapi_conn.execute("PRAGMA journal_mode=WAL")  # kept in the file: readers use it without asking


def _sqlite_begin_immediate(conn) -> None:
    """Every transaction takes SQLite's write lock up front (waiting up to the busy timeout).

    A deferred transaction that reads and then writes must upgrade its read lock; under WAL that
    upgrade fails at once with "database is locked" when another process committed in between (the
    busy timeout does not apply), and two ingests of the same article would both see it as new.
    Transactions here are one article each, so taking the lock first costs readers well under a second.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")
