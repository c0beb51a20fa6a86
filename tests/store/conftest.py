"""Store backends: a SQLite file always, a real PostgreSQL server when one can be started here."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from pipeline.store.db import open_engine
from tests import pg

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """Something that hands out empty databases: NEWSFACTS_TEST_PG_URL's server, or our own cluster."""
    admin_url = os.environ.get("NEWSFACTS_TEST_PG_URL")
    if admin_url:
        yield _ExternalServer(admin_url)
        return
    reason = pg.why_unavailable()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    cluster = pg.start_cluster()
    yield cluster
    cluster.stop()


class _ExternalServer:
    """A server someone else runs: each test gets its own database on it."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def create_database(self) -> str:
        import uuid

        from sqlalchemy.engine import make_url

        name = f"newsfacts_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def backend_engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()
