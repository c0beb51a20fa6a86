"""Bad databases, hostile text and full disks through the CLI: one line, the documented exit code, nothing lost."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pipeline import report as report_module
from pipeline.cli import app
from tests.conftest import CORPUS, without_root_file_access

runner = CliRunner()

# The README's exit codes table.
EXIT_BAD_DATABASE, EXIT_STORAGE, EXIT_BUSY = 65, 74, 75

# Every command that reads a database, with the arguments it needs.
QUERIES = [("facts",), ("contradictions",), ("entities",), ("entity", "Mistral AI"), ("sources", "1"),
           ("resolve", "1", "--note", "checked"), ("timeline", "Mistral AI"), ("failures",), ("stats",),
           ("report", "--out", "{tmp}/r.md")]


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def one_error_line(result) -> str:
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def corrupt(db: Path) -> None:
    with db.open("r+b") as f:
        f.seek(4096 * 2)
        f.write(os.urandom(4096 * 3))


def foreign(db: Path) -> None:
    db.unlink()
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()


def zero_bytes(db: Path) -> None:
    db.write_bytes(b"")


def not_sqlite(db: Path) -> None:
    db.write_text("this is a text file, not a database\n" * 200)


@pytest.fixture
def copy_of(perturbed_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(perturbed_db, db)
    return db


@pytest.mark.parametrize("command", QUERIES, ids=lambda c: c[0])
@pytest.mark.parametrize(("damage", "cause", "code"), [
    (corrupt, "database is corrupt", EXIT_BAD_DATABASE),
    (foreign, "not a newsfacts database", EXIT_BAD_DATABASE),
    (zero_bytes, "not a newsfacts database", EXIT_BAD_DATABASE),
    (not_sqlite, "not a newsfacts database", EXIT_BAD_DATABASE),
], ids=lambda v: getattr(v, "__name__", None))
def test_a_bad_database_is_one_line_and_its_exit_code(copy_of, tmp_path, command, damage, cause, code):
    damage(copy_of)
    before = copy_of.read_bytes()
    result = invoke(*(a.format(tmp=tmp_path) for a in command), "--db", copy_of)
    if damage is corrupt and result.exit_code == 0:
        return  # this command's pages were not among the damaged ones: it read what is there
    line = one_error_line(result)
    assert result.exit_code == code and line.startswith(f"error: {cause}") and str(copy_of) in line, line
    if damage is corrupt:
        assert f"sqlite3 {copy_of} .recover" in line
    if damage is not corrupt:
        assert copy_of.read_bytes() == before, "a query changed a file that is not its database"
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("command", QUERIES, ids=lambda c: c[0])
def test_a_corrupt_database_fails_every_query_in_one_line(copy_of, tmp_path, command):
    corrupt_all = copy_of.read_bytes()[:100] + os.urandom(copy_of.stat().st_size - 100)
    copy_of.write_bytes(corrupt_all)  # header intact, every page garbage
    result = invoke(*(a.format(tmp=tmp_path) for a in command), "--db", copy_of)
    line = one_error_line(result)
    assert result.exit_code == EXIT_BAD_DATABASE, line
    assert "database is corrupt" in line or "not a newsfacts database" in line, line


@pytest.mark.parametrize("command", [*QUERIES, ("ingest", str(CORPUS / "seed"))], ids=lambda c: c[0])
def test_a_read_only_database_is_one_line(copy_of, tmp_path, command):
    copy_of.chmod(0o444)
    copy_of.parent.chmod(0o555)  # no -wal or -shm can be made beside it either, as on a read-only mount
    try:
        with without_root_file_access():
            result = invoke(*(a.format(tmp=tmp_path / "out") for a in command), "--db", copy_of)
    finally:
        copy_of.parent.chmod(0o755)
    line = one_error_line(result)
    assert result.exit_code == EXIT_STORAGE and line.startswith("error: read-only") and str(copy_of) in line, line


def test_disk_full_in_the_database_says_disk_full_and_names_it(copy_of, monkeypatch):
    """SQLite's own SQLITE_FULL, by capping the file at its current size (max_page_count)."""
    from pipeline.store import db as store_db

    pages = sqlite3.connect(copy_of).execute("PRAGMA page_count").fetchone()[0]
    writer = store_db._sqlite_pragmas_writer

    def capped(dbapi_conn, record):
        writer(dbapi_conn, record)
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(store_db, "_sqlite_pragmas_writer", capped)
    result = invoke("ingest", CORPUS / "real", "--db", copy_of)  # articles the copy does not hold yet
    line = one_error_line(result)
    assert result.exit_code == EXIT_STORAGE and line.startswith(f"error: disk full: cannot write to {copy_of}"), line


def test_a_new_database_on_a_full_disk_leaves_no_file(tmp_path, monkeypatch):
    from pipeline.store import db as store_db

    writer = store_db._sqlite_pragmas_writer

    def full(dbapi_conn, record):
        writer(dbapi_conn, record)
        dbapi_conn.execute("PRAGMA max_page_count = 2")  # room for the header, not the schema

    monkeypatch.setattr(store_db, "_sqlite_pragmas_writer", full)
    result = invoke("ingest", CORPUS / "seed", "--db", tmp_path / "new.db")
    assert one_error_line(result).startswith("error: disk full") and result.exit_code == EXIT_STORAGE
    assert list(tmp_path.iterdir()) == []


def test_a_report_on_a_full_disk_leaves_the_old_file_and_says_disk_full(perturbed_db, tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    assert invoke("report", "--out", out, "--db", perturbed_db, "-q").exit_code == 0
    before = out.read_bytes()
    real_fsync = os.fsync

    def full(fd):  # the kernel reports a full disk at the latest when the data is flushed
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(report_module.os, "fsync", full)
    result = invoke("report", "--out", out, "--db", perturbed_db)
    monkeypatch.setattr(report_module.os, "fsync", real_fsync)
    line = one_error_line(result)
    assert result.exit_code == EXIT_STORAGE and line.startswith("error: disk full"), line
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


@pytest.mark.parametrize("command", [("sources", "{n}"), ("resolve", "{n}", "--note", "x")])
@pytest.mark.parametrize("n", [2**31, 2**63, 10**30, 0])
def test_an_id_no_row_can_have_is_not_found(perturbed_db, command, n):
    result = invoke(*(a.format(n=n) for a in command), "--db", perturbed_db)
    assert result.exit_code == 1 and one_error_line(result).endswith(f"with id {n}")


# --- report output --------------------------------------------------------------------------

def test_report_refuses_to_overwrite_the_database(copy_of):
    target = copy_of.with_suffix(".md")
    copy_of.rename(target)
    before = target.read_bytes()
    result = invoke("report", "--out", target, "--db", target)
    assert result.exit_code == 1 and "that is the database" in one_error_line(result)
    assert target.read_bytes() == before


def test_report_refuses_a_foreign_file_unless_forced(perturbed_db, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# My own notes\n\nNot a report.\n", encoding="utf-8")
    result = invoke("report", "--out", notes, "--db", perturbed_db)
    assert result.exit_code == 1 and "not a newsfacts report" in one_error_line(result)
    assert notes.read_text(encoding="utf-8").startswith("# My own notes")
    assert invoke("report", "--out", notes, "--db", perturbed_db, "-q").exit_code == 1
    assert invoke("report", "--out", notes, "--db", perturbed_db, "-q", "--force").exit_code == 0
    assert invoke("report", "--out", notes, "--db", perturbed_db, "-q").exit_code == 0, "a report is replaced"


HOSTILE_URL = "https://news.example/a<b>](https://evil.example/x) ![pic](https://evil.example/p.png) <img src=x>"


def set_article(db: Path, **values) -> None:
    with closing(sqlite3.connect(db)) as conn:
        for column, value in values.items():
            conn.execute(f"UPDATE articles SET {column} = ?", (value,))  # noqa: S608 (our column names)
        conn.commit()


def test_markdown_report_links_only_where_the_article_points(copy_of, tmp_path):
    set_article(copy_of, url=HOSTILE_URL, title="Title ![x](https://evil.example/t.png) [y](https://evil.example)")
    out = tmp_path / "r.md"
    assert invoke("report", "--out", out, "--db", copy_of, "-q").exit_code == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(out.read_text(encoding="utf-8"))
    inline = [child for t in tokens for child in (t.children or [])]
    links = [c.attrs["href"] for c in inline if c.type == "link_open"]
    assert links and all(href.startswith("https://news.example/") for href in links), links
    assert not [c for c in inline if c.type in ("image", "html_inline")]
    assert not [t for t in tokens if t.type == "html_block"]


# --- what reaches a terminal or a report: no markup, no escape sequences ----------------------

MARKUP = "[/] [bold red]loud[/bold red] [link=https://evil.example]x[/link] [/nope]"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\r"


def test_markup_and_escapes_from_the_database_reach_no_command(copy_of, tmp_path):
    set_article(copy_of, title=f"Title {MARKUP} {ESCAPES}", source=f"/saved/{MARKUP}{ESCAPES}.txt")
    with closing(sqlite3.connect(copy_of)) as conn:
        conn.execute("UPDATE claims SET sentence = ? || sentence", (f"{MARKUP} {ESCAPES} ",))
        conn.execute("UPDATE entities SET name = ? || name WHERE name = 'Meta'", (f"{MARKUP} {ESCAPES}",))
        conn.execute("INSERT INTO failures (source, reason, attempts, last_seen) "
                     "VALUES (?, ?, 1, '2025-01-01')", (f"/x/{MARKUP}", f"{MARKUP} {ESCAPES}"))
        conn.commit()
    commands = [("facts",), ("contradictions",), ("entities",), ("entity", "Meta"),
                ("sources", "1"), ("timeline", MARKUP), ("failures",), ("stats",),
                ("resolve", "1", "--note", f"{MARKUP} {ESCAPES}"), ("entity", MARKUP),
                ("report", "--out", str(tmp_path / f"{MARKUP.replace('/', '_')}.html")),
                ("report", "--out", str(tmp_path / "r.md"))]
    for command in commands:
        for fmt in ([("-f", "table"), ("-f", "csv")] if command[0] not in ("resolve", "report", "stats") else [()]):
            result = invoke(*command, *fmt, "--db", copy_of)
            assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
            assert "\x1b" not in result.output and "\x9b" not in result.output and "\r" not in result.output, command
            if command[:2] == ("entity", MARKUP):
                assert result.exit_code == 1 and MARKUP in result.output  # shown as typed, not as style
            else:
                assert result.exit_code == 0, (command, result.output)
    assert f"/x/{MARKUP}" in invoke("failures", "-f", "csv", "--db", copy_of).output
    assert "[bold red]loud[/bold red]" in invoke("failures", "--db", copy_of).output  # the table shows it as text
    for report in (tmp_path / "r.md", *tmp_path.glob("*.html")):
        text = report.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


def test_markup_in_arguments_and_paths_is_shown_as_typed(tmp_path):
    folder = tmp_path / "[bold]in[red]"
    folder.mkdir()
    (folder / "[blink]story.txt").write_text(f"Title {MARKUP}\n\nAcme Robotics raised $5 million in a seed "
                                             "round led by Sequoia Capital, the company said on Tuesday.\n",
                                             encoding="utf-8")
    (folder / "[bold]empty[red].txt").write_bytes(b"")
    db = tmp_path / "[red]m.db"
    result = invoke("ingest", folder, "--db", db)
    assert result.exit_code == 0, result.output
    assert "[bold]empty[red].txt" in result.output and "empty file" in result.output
    result = invoke("ingest", tmp_path / "[/]missing", "--db", db)
    assert result.exit_code == 1 and "[/]missing" in one_error_line(result)
    result = invoke("run", "--config", tmp_path / "[/red]none.toml")
    assert result.exit_code == 1 and "[/red]none.toml" in one_error_line(result)
    result = invoke("eval", tmp_path / "[/]gold.jsonl")
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


# --- credentials -----------------------------------------------------------------------------

SECRET = "s3cr3t-pa55"


@pytest.mark.parametrize("db", [
    f"postgresql+psycopg://newsfacts:{SECRET}@127.0.0.1:1/newsfacts?connect_timeout=1",
    f"postgresql+psycopg://newsfacts:{SECRET}@/newsfacts?host=/nonexistent-socket-dir",
    f"nosuchdriver://newsfacts:{SECRET}@127.0.0.1/x",
])
def test_a_database_password_is_never_shown(tmp_path, db):
    result = invoke("ingest", CORPUS / "seed", "--db", db)
    assert result.exit_code != 0 and SECRET not in result.output
    assert one_error_line(result)
    log = tmp_path / "run.log"
    (tmp_path / "n.toml").write_text(f'db = "{db}"\nlog_file = "{log}"\n[sources]\nfolders = ["{CORPUS / "seed"}"]\n',
                                     encoding="utf-8")
    result = invoke("run", "--config", tmp_path / "n.toml")
    assert result.exit_code != 0 and SECRET not in result.output
    assert SECRET not in log.read_text(encoding="utf-8") and "***" in log.read_text(encoding="utf-8")


def test_a_foreign_sqlite_file_gets_no_tables_of_ours(tmp_path):
    db = tmp_path / "theirs.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
    result = invoke("ingest", CORPUS / "seed", "--db", db)
    assert result.exit_code == EXIT_BAD_DATABASE and "not a newsfacts database" in one_error_line(result)
    with closing(sqlite3.connect(db)) as conn:
        assert [t for (t,) in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


@pytest.mark.parametrize("make", [os.mkfifo, None], ids=["fifo", "device"])
def test_a_fifo_or_device_given_as_the_path_is_one_line_and_reads_nothing(tmp_path, make):
    if make is None:
        path = Path("/dev/zero")  # a device that never ends: reading it would hang the run
    else:
        path = tmp_path / "pipe.html"
        make(path)  # opening a FIFO for reading would block until a writer comes
    db = tmp_path / "x.db"
    result = invoke("ingest", path, "--db", db)
    line = one_error_line(result)
    assert result.exit_code != 0 and "not a file or folder" in line and str(path) in line, line


def test_an_ingest_into_a_database_corrupt_mid_file_is_one_line(copy_of):
    corrupt(copy_of)
    result = invoke("ingest", CORPUS / "perturbed", "--db", copy_of)
    if result.exit_code == 0:
        pytest.skip("the damaged pages were not among those this ingest touched")
    line = one_error_line(result)
    assert result.exit_code == EXIT_BAD_DATABASE and "database is corrupt" in line and str(copy_of) in line, line
