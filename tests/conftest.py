"""Shared fixtures: the real spaCy pipeline once per session, and a real SQLite file per test."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from pipeline.fetch.documents import MAX_DOCUMENT_BYTES
from pipeline.nlp.extract import Extractor
from pipeline.run import ingest_paths
from pipeline.store.db import open_engine

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEED = CORPUS / "seed"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def engine(tmp_path):
    eng = open_engine(tmp_path / "test.db")
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory, extractor) -> Path:
    """The seed corpus ingested once into a real SQLite file (read-only for tests)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    eng = open_engine(path)
    ingest_paths(eng, [SEED], extractor=extractor)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def perturbed_db(tmp_path_factory, extractor) -> Path:
    """corpus/perturbed (two contradictions) ingested once into a real SQLite file (read-only for tests)."""
    path = tmp_path_factory.mktemp("perturbed") / "perturbed.db"
    eng = open_engine(path)
    ingest_paths(eng, [CORPUS / "perturbed"], extractor=extractor)
    eng.dispose()
    return path


@pytest.fixture
def news_site(monkeypatch):
    """A real HTTP server on 127.0.0.1 (port chosen by the OS) serving tests/newssite.py's pages."""
    from tests.newssite import serve

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)  # requests go to 127.0.0.1 directly, never via a proxy
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_settings():
    """Small timeouts, caps and backoffs so trouble shows up in milliseconds, not minutes."""
    from pipeline.settings import FetchSettings

    return FetchSettings(contact="tests@example.invalid", connect_timeout=1.0, read_timeout=0.5,
                         page_deadline=5.0, retries=1, backoff_base=0.01, backoff_cap=0.5, min_interval=0.0,
                         max_bytes=100_000, max_redirects=5)


# --- end-to-end helpers: real `newsfacts` processes on real SQLite files (crash, concurrency, hostile) ---

SYNTHETIC_COMPANIES = ("Acme Robotics", "Borealis Labs", "Cobalt Dynamics", "Delphine Systems",
                       "Eastwind Analytics", "Fjordline Energy")
SYNTHETIC_FILLER = ("The company, which was founded in {year}, said the money would pay for {n} new engineers "
                    "in Berlin and Paris over the next two years, according to a statement on its website.")


def newsfacts_cmd(*args: str) -> list[str]:
    """The installed `newsfacts` entry point of this interpreter's environment, with args."""
    script = Path(sys.executable).with_name("newsfacts")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from pipeline.cli import app; app()", *args]


def build_corpus(folder: Path, synthetic: int) -> Path:
    """corpus/seed, corpus/real and corpus/perturbed copied, `synthetic` generated articles, two bad files.

    The generated ones are long (many paragraphs, so an ingest stores articles one by one, not in a
    burst) and disagree with each other on funding amounts, so the run makes contradictions too.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("seed", "real", "perturbed"):
        for path in sorted((CORPUS / sub).glob("*.txt")):
            shutil.copy(path, folder / f"{sub}-{path.name}")
    for i in range(synthetic):
        company = SYNTHETIC_COMPANIES[i % len(SYNTHETIC_COMPANIES)]
        amount = 10 + 5 * (i // len(SYNTHETIC_COMPANIES))  # same company, other article: another amount
        lines = [f"{company} raises ${amount} million", "",
                 f"{company} raised ${amount} million in a Series A round led by Sequoia Capital, "
                 f"the company said on Tuesday."]
        lines += [SYNTHETIC_FILLER.format(year=2000 + (i + k) % 24, n=10 + k) for k in range(20)]
        day = 1 + i % 28
        (folder / f"synthetic-{i:02d}-2025-03-{day:02d}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    # files that fail, early and late in the walk: failures are recorded (once) by every kind of run
    (folder / "a-empty.html").write_bytes(b"")
    (folder / "synthetic-05b-binary.txt").write_bytes(bytes(range(256)) * 16)
    return folder


def run_ingest(folder: Path, db: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(newsfacts_cmd("ingest", str(folder), "--db", str(db), "-q", *extra),
                          capture_output=True, text=True, timeout=timeout)


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)


def database_content(db: Path) -> dict:
    """What a run stored, by content (no row ids, no timestamps): two equal runs give equal dicts."""
    with closing(read_only(db)) as conn:
        claims = {cid: (uid, h) for cid, uid, h in conn.execute(
            "SELECT claims.id, claims.uid, articles.content_hash FROM claims JOIN articles "
            "ON articles.id = claims.article_id")}
        sources: dict[int, set] = {}
        for fact_id, claim_id in conn.execute("SELECT fact_id, claim_id FROM fact_sources"):
            sources.setdefault(fact_id, set()).add(claims[claim_id])
        facts = [(*row[1:], frozenset(sources.get(row[0], ()))) for row in conn.execute(
            "SELECT id, key, kind, topic, measure, value, low, high, unit, summary, corroboration, first_seen, "
            "last_seen, details FROM facts")]
        contradictions = [(uid, kind, topic, reason, severity, status, claims[a], claims[b])
                          for uid, kind, topic, reason, severity, status, a, b in conn.execute(
                              "SELECT uid, kind, topic, reason, severity, status, claim_a_id, claim_b_id "
                              "FROM contradictions")]
        return {
            "articles": sorted(conn.execute("SELECT content_hash, source, title, published FROM articles")),
            "claims": sorted(conn.execute("SELECT uid, kind, topic, measure, value, low, high, unit FROM claims")),
            "entities": sorted(conn.execute("SELECT key, name, type FROM entities")),
            "facts": sorted(facts, key=repr),
            "contradictions": sorted(contradictions, key=repr),
            "failures": sorted(conn.execute("SELECT source, reason FROM failures")),
        }


def integrity(db: Path) -> str:
    with closing(read_only(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture(scope="session")
def crash_corpus(tmp_path_factory) -> Path:
    """~24 articles (12 real, 12 generated) in one folder, shared read-only by the process tests."""
    return build_corpus(tmp_path_factory.mktemp("crash") / "articles", synthetic=12)


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory, crash_corpus) -> Path:
    """crash_corpus ingested by one uninterrupted `newsfacts ingest` process."""
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    result = run_ingest(crash_corpus, db)
    assert result.returncode == 0, result.stderr
    return db


HOSTILE_ARTICLE = ("Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said on "
                   "Tuesday. The startup was founded in 2021 by Jane Roe, who previously worked at Google.")
HOSTILE_HTML = (f"<html><head><title>Acme raises $5m</title></head><body><article><h1>Acme raises $5m</h1>"
                f"<p>{HOSTILE_ARTICLE}</p></article></body></html>")
VANISHING = "vanishes.txt"  # deleted after the folder walk listed it, before it is read (tests/hostile_ingest.py)


def build_hostile_folder(folder: Path) -> dict[str, tuple[str, str]]:
    """Every kind of file a folder of "articles" can hold; returns file name -> (outcome, reason part).

    outcome is "ingested", "failed" (reason part in the recorded reason) or "same as" (reason part
    names the file whose article it is). The 50 MB file is real data, not a sparse file.
    """
    import random

    rng = random.Random(8)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, tuple[str, str]] = {}

    def put(name: str, data: bytes, outcome: str, reason: str = "") -> None:
        (folder / name).write_bytes(data)
        expected[name] = (outcome, reason)

    put("good.html", HOSTILE_HTML.encode(), "ingested")
    put("empty.html", b"", "failed", "empty file")
    put("blank.txt", b" \n\t \n", "failed", "empty file")
    put("binary.html", rng.randbytes(4096), "failed", "binary content")
    put("png-renamed.html", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2048), "failed", "binary content")
    put("broken.html", (f"<html><head><title>Acme</title><div><p>{HOSTILE_ARTICLE}<b><i>closed</b></i>"
                        "<table><tr><td>stray<div></span></p>").encode(), "ingested")
    put("nobody.html", b"<html><head><title>x</title></head><body></body></html>", "failed", "no main text")
    put("latin1.txt", ("Zürich café\n\n" + HOSTILE_ARTICLE.replace("Acme", "Café Zürich")).encode("latin-1"),
        "ingested")
    put("utf16.txt", ("Acme in UTF-16\n\n" + HOSTILE_ARTICLE).encode("utf-16"), "ingested")  # with its BOM
    put("utf16le-nobom.txt", ("Acme in UTF-16LE\n\n" + HOSTILE_ARTICLE.replace("$5", "$6")).encode("utf-16-le"),
        "ingested")
    put("utf8-bom.txt", b"\xef\xbb\xbf" + ("Acme with a BOM\n\n" + HOSTILE_ARTICLE.replace("$5", "$7")).encode(),
        "ingested")
    paragraph = f"<p>{HOSTILE_ARTICLE}</p>\n".encode()
    with (folder / "huge.html").open("wb") as f:  # 50 MB of real paragraphs
        f.write(b"<html><body><article>")
        f.write(paragraph * (50 * 1024 * 1024 // len(paragraph) + 1))
        f.write(b"</article></body></html>")
    expected["huge.html"] = ("failed", "too large")
    put(VANISHING, ("Gone\n\n" + HOSTILE_ARTICLE).encode(), "failed", "disappeared")
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # not followed: not a file
    (folder / "selfloop.html").symlink_to(folder / "selfloop.html")
    expected["selfloop.html"] = ("failed", "cannot read file: Too many levels of symbolic links")
    (folder / "dangling.html").symlink_to(folder / "no-such-target.html")
    expected["dangling.html"] = ("failed", "broken symbolic link")
    os.mkfifo(folder / "fifo.html")
    expected["fifo.html"] = ("failed", "not a regular file")
    copy = ("A copy\n\n" + HOSTILE_ARTICLE.replace("$5", "$8")).encode()
    put("dup-a.txt", copy, "ingested")
    put("dup-b.txt", copy, "same as", "dup-a.txt")
    # thousands of numbers in a few paragraphs: lists of amounts, then 500 short sentences of one each
    lists = [", ".join(rng.choice([f"${rng.randint(1, 999)} million", f"{rng.randint(1, 99)},{rng.randint(100, 999)}",
                                   f"{rng.randint(1, 99)}%", f"€{rng.randint(1, 9)}.{rng.randint(1, 9)} billion",
                                   f"{rng.randint(2, 999)} employees"]) for _ in range(750)) for _ in range(3)]
    sentences = " ".join(f"Acme Robotics raised ${rng.randint(1, 999)} million on Tuesday." for _ in range(500))
    put("numbers.txt", ("A page full of numbers\n\n" + "\n\n".join(
        [f"Acme Robotics reported {line} in its filing." for line in lists] + [sentences])).encode(), "ingested")
    words = ("the", "company", "said", "that", "Acme", "Robotics", "raised", "$5", "million", "and", "hired",
             "engineers", "in", "Berlin", "while", "its", "rivals", "Sequoia", "Capital", "Google")
    run_on = " ".join(rng.choice(words) for _ in range(40_000))
    put("long-sentence.txt", ("One long sentence\n\n" + run_on[:90_000]).encode(), "ingested")
    put("too-long-sentence.txt", ("One longer sentence\n\n" + run_on[:200_000]).encode(), "failed", "text too long")
    # not article files, or not to be read: listed in the summary as skipped, never silently
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    expected["notes.json"] = ("skipped", "not an article file (.json)")
    put(".hidden.html", HOSTILE_HTML.encode(), "skipped", "hidden file")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD.txt").write_text("ref: refs/heads/main " * 5, encoding="utf-8")
    expected[".git"] = ("skipped", "hidden folder")
    expected["loop"] = ("skipped", "link to a folder, not followed")
    # a name that is not UTF-8 (Latin-1 "café"): stored with its odd byte escaped, the run goes on
    with open(os.fsencode(folder) + b"/caf\xe9.html", "wb") as f:
        f.write(HOSTILE_HTML.replace("$5", "$9").encode())
    expected["caf\\xe9.html"] = ("ingested", "")
    # a subfolder this process may not list (tests drop root's override: without_root_file_access)
    (folder / "locked").mkdir()
    (folder / "locked" / "inside.txt").write_text("Inside\n\n" + HOSTILE_ARTICLE, encoding="utf-8")
    (folder / "locked").chmod(0)
    expected["locked"] = ("failed", "cannot list folder: Permission denied")
    # saved pages stored gzipped: read under the same cap as the page itself
    put("saved.html.gz", gzip.compress(HOSTILE_HTML.replace("$5", "$10").encode()), "ingested")
    put("bomb.html.gz", gzip.compress(b"<html>" + b" " * (MAX_DOCUMENT_BYTES + 1024)), "failed", "too large")
    put("truncated.html.gz", gzip.compress(HOSTILE_HTML.encode())[:60], "failed", "not a valid gzip file")
    # NUL bytes in otherwise good text: stripped, not a reason to lose the page (nor, on PostgreSQL, the run)
    put("nul-early.html", HOSTILE_HTML.replace("</title>", "\x00</title>").replace("$5", "$11").encode(),
        "ingested")
    put("nul-late.txt", ("Late NUL\n\n" + "x " * 2100 + "\x00 " + HOSTILE_ARTICLE.replace("$5", "$12")).encode(),
        "ingested")
    # UTF-8 with a few bad bytes is still UTF-8 (not ISO-8859-15 with "14â\x80\x9d" in it)
    put("utf8-six-bad.html", HOSTILE_HTML.replace("$5", "$13").replace(
        "Tuesday.", "Tuesday, quoting a \u201c14\u201d\xa0display \u2014 \u201cthe best\u201d in Z\u00fcrich, "
        "Malm\u00f6 and S\u00e3o Paulo this \u00e9t\u00e9, with Soci\u00e9t\u00e9 G\u00e9n\u00e9rale\u2019s "
        "\u201cCr\u00e9dit\u201d desk in \u00cele-de-France.").encode()
        .replace(b"<h1>", b"<h1>\xff\xfe\xff\xfe\xff\xfe"), "ingested")
    # a name that reads as Rich markup: shown as it is, never as style
    put("[blink]markup[bold].txt", ("Markup\n\n" + HOSTILE_ARTICLE.replace("$5", "$14")).encode(), "ingested")
    put("[bold]empty.txt", b"", "failed", "empty file")
    return expected


@contextmanager
def without_root_file_access():
    """File permissions apply to this thread even when it runs as root, as they do for any other user.

    Root's CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH are dropped from the thread's effective set (kept in
    its permitted set, so they come back afterwards): a folder with mode 000 cannot be listed, a read-only
    file cannot be written. A no-op for other users, whom permissions bind anyway.
    """
    if os.geteuid() != 0:
        yield
        return
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(_LINUX_CAPABILITY_VERSION_3, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    before = data[0].effective
    data[0].effective &= ~(1 << CAP_DAC_OVERRIDE | 1 << CAP_DAC_READ_SEARCH)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    try:
        yield
    finally:
        data[0].effective = before
        libc.capset(ctypes.byref(header), data)


# linux/capability.h
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
