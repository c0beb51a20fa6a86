"""The SQLite engine: transactions take the write lock first; a lock held too long is one clear error."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import DatabaseBusyError
from pipeline.run import ingest_paths
from pipeline.store import db as store_db
from pipeline.store.db import open_engine
from tests.conftest import SEED


@pytest.fixture
def locked_db(tmp_path, monkeypatch):
    """A database whose write lock another connection holds; our busy timeout cut to 0.2 s."""
    path = tmp_path / "locked.db"
    open_engine(path).dispose()
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        yield path
        other.execute("ROLLBACK")


@pytest.mark.parametrize("statement", ["SELECT count(*) FROM articles"])
def test_a_transaction_takes_the_write_lock_first(tmp_path, statement):
    engine = open_engine(tmp_path / "a.db")
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)
        with closing(sqlite3.connect(tmp_path / "a.db", timeout=0, isolation_level=None)) as other:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    engine.dispose()


@pytest.mark.parametrize("paths", [[SEED]])
def test_ingest_on_a_locked_database_raises_busy(locked_db, extractor, paths):
    engine = store_db.open_engine(locked_db, create=False)
    with pytest.raises(DatabaseBusyError, match="another newsfacts run is writing"):
        ingest_paths(engine, paths, extractor=extractor)
    engine.dispose()


@pytest.mark.parametrize("command", [["ingest", str(SEED)]])
def test_cli_on_a_locked_database_prints_one_line(locked_db, command):
    result = CliRunner().invoke(app, [*command, "--db", str(locked_db)])
    assert result.exit_code == DatabaseBusyError.exit_code, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "another newsfacts run is writing" in result.output


@pytest.fixture
def exclusively_locked_db(tmp_path, monkeypatch):
    """A database another connection holds in exclusive locking mode, mid-write: even readers must wait."""
    path = tmp_path / "exclusive.db"
    open_engine(path).dispose()
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE articles SET title = title")
        yield path
        other.execute("ROLLBACK")


@pytest.mark.parametrize("command", [["stats"], ["facts"], ["contradictions"], ["entities"], ["failures"]])
def test_a_query_on_a_database_held_too_long_prints_one_line(exclusively_locked_db, command):
    result = CliRunner().invoke(app, [*command, "--db", str(exclusively_locked_db)])
    assert result.exit_code == DatabaseBusyError.exit_code, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "busy" in lines[0] and str(exclusively_locked_db) in lines[0], result.output


def test_a_run_that_loses_the_race_to_create_a_file_leaves_it_to_the_winner(tmp_path, monkeypatch):
    """Two ingests started together both find no file; the one that waits past its busy timeout must not
    remove the file the other is writing (removed under it, the other's next write is a disk I/O error)."""
    path = tmp_path / "new.db"
    monkeypatch.setattr(store_db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    real_pragmas = store_db._sqlite_pragmas_writer
    winners = []

    def the_other_run_gets_there_first(dbapi_conn, record):
        if not winners:  # after this run found no file, before it takes the write lock
            winner = sqlite3.connect(path, isolation_level=None)
            winner.execute("CREATE TABLE winner (x)")
            winner.execute("BEGIN IMMEDIATE")
            winners.append(winner)
        real_pragmas(dbapi_conn, record)

    monkeypatch.setattr(store_db, "_sqlite_pragmas_writer", the_other_run_gets_there_first)
    try:
        with pytest.raises(DatabaseBusyError):
            open_engine(path)
        assert path.exists()
    finally:
        for winner in winners:
            winner.execute("ROLLBACK")
            winner.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'winner'").fetchone() is not None



def test_a_rollback_after_an_interrupt_inside_a_statement_does_not_fail(tmp_path):
    # SQLAlchemy invalidates a connection that a BaseException (SIGTERM's, Ctrl-C) leaves mid-statement, then
    # rolls its transaction back; the store's cache listener must not read the invalidated connection (it did:
    # the run died of PendingRollbackError instead of stopping cleanly on SIGTERM)
    from sqlalchemy import text

    import pipeline.store.writer  # noqa: F401  (its rollback listener is what is tested)

    engine = open_engine(tmp_path / "interrupted.db")
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(text("SELECT 1"))
        conn.invalidate()
        transaction.rollback()
    engine.dispose()
