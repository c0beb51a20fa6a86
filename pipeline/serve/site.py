"""The Datasette site over one newsfacts SQLite file: metadata, canned queries, settings, the listening socket."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from pipeline.errors import BadDatabaseError, NewsfactsError
from pipeline.store.db import database_url, open_session
from pipeline.store.queries import VERDICTS
from pipeline.store.views import VIEWS
from pipeline.untrusted import path_text

if TYPE_CHECKING:
    from datasette.app import Datasette

PLUGIN = "newsfacts"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001  # Datasette's own default
# Host names a browser on this machine uses for a loopback server. Any other Host header is refused: a page on
# another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) must not read or write through us.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
# Hosts that mean "every interface": the name a browser uses then cannot be known, so any Host is accepted.
ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "datasette"
# What the pages need that an old database may lack: a file ingested before verdicts or the views existed.
REQUIRED = {"contradictions", "verdicts", "claims", "articles", *VIEWS}

# Canned queries: each is plain SQL over the tables and views, readable (and copyable) on its page. The confidences
# of open_contradictions are queries.SHOWN_CONFIDENCE (tests/serve/test_site.py compares it with the CLI's list).
QUERIES = {
    "open_contradictions": {
        "title": "Open contradictions",
        "description": "Contradictions no reviewer has given a verdict on, as `newsfacts contradictions --open` "
                       "lists them (high and medium confidence). The id opens the review page.",
        "sql": """SELECT contradiction_id, kind, topic, severity, confidence, reason,
       sentence_a, title_a, date_a, sentence_b, title_b, date_b
FROM v_contradictions
WHERE status = 'open' AND confidence IN ('high', 'medium')
ORDER BY contradiction_id""",
    },
    "entity_facts": {
        "title": "An entity's facts",
        "description": "Every fact a person, company or organisation takes part in, and how (subject, org, "
                       "investor...). Type a name or an alias, in any case.",
        "sql": """SELECT fact_id, entity, entity_type, role, kind, summary, sources, first_seen, last_seen
FROM v_entity_facts
WHERE entity_id IN (SELECT id FROM entities WHERE name = :entity COLLATE NOCASE
                    UNION SELECT entity_id FROM entity_aliases WHERE alias = :entity COLLATE NOCASE)
ORDER BY kind, fact_id""",
    },
    "fact_sources": {
        "title": "A fact's sources",
        "description": "Every sentence that supports a fact, with its article (as `newsfacts sources FACT_ID`). "
                       "start and end are the claim's character offsets in the article text.",
        "sql": """SELECT c.id AS claim_id, a.published AS date, a.title, c.raw_text AS text, c.sentence,
       c.start, c."end", a.url, a.source, a.id AS article_id
FROM fact_sources fs
JOIN claims c ON c.id = fs.claim_id
JOIN articles a ON a.id = c.article_id
WHERE fs.fact_id = :fact_id
ORDER BY c.id""",
    },
}

_VALUE = "The number, in the row's `unit` (USD, EUR, %; none for a count of people)"
_INTERVAL = "The interval the wording allows (\"more than $2 billion\" has no upper end)"
TABLES = {
    "v_contradictions": {
        "title": "Contradictions, with both sentences",
        "description": "One row per contradiction: the two claims' sentences, articles and dates side by side. "
                       "Verdicts are recorded on the review page (menu: Review contradictions).",
        "facets": ["status", "kind", "confidence", "topic"],
        "columns": {"contradiction_id": "Opens the review page",
                    "confidence": "How sure we are the two claims measure the same thing at the same time",
                    "status": f"open, or a reviewer's verdict: {', '.join(VERDICTS)}",
                    "note": "The reviewer's note"},
    },
    "v_facts": {
        "title": "Facts",
        "description": "One row per fact: agreeing claims merged, with the number of sentences supporting it. "
                       "The id lists those sentences.",
        "facets": ["kind", "topic", "unit"],
        "sort_desc": "sources",
        "columns": {"fact_id": "Lists the fact's sources", "value": _VALUE, "low": _INTERVAL, "high": _INTERVAL,
                    "unit": "USD, EUR... for money, % for a percentage change; empty for a count",
                    "sources": "Number of claims (sentences) that support the fact"},
    },
    "v_entity_facts": {
        "title": "Entities and their facts",
        "description": "One row per entity taking part in a fact, and how: subject, org, investor...",
        "facets": ["entity_type", "kind", "role"],
        "columns": {"entity": "Lists every fact of this entity", "fact_id": "Lists the fact's sources"},
    },
    "contradictions": {
        "title": "Contradictions (table)",
        "description": "Two claims that cannot both be true, why, and the review status. "
                       "v_contradictions shows the sentences.",
        "facets": ["status", "kind", "confidence", "topic"],
        "label_column": "reason",
    },
    "verdicts": {
        "description": "Reviewers' verdicts, kept by the contradiction's stable uid: applied again when a "
                       "re-ingest raises the same contradiction.",
        "facets": ["status"],
    },
    "facts": {"facets": ["kind", "topic"], "label_column": "summary",
              "columns": {"value": _VALUE, "low": _INTERVAL, "high": _INTERVAL}},
    "claims": {"description": "One claim read off one sentence; start and end are offsets into the article text.",
               "facets": ["kind", "topic"], "label_column": "raw_text",
               "columns": {"value": _VALUE, "low": _INTERVAL, "high": _INTERVAL}},
    "articles": {"facets": ["site", "language"], "label_column": "title", "sort_desc": "published"},
    "entities": {"facets": ["type"], "label_column": "name"},
    "failures": {"description": "Sources that could not be ingested, and why."},
    # plumbing of the fetcher: still reachable by URL, not listed
    "url_states": {"hidden": True},
    "listings": {"hidden": True},
    "fingerprints": {"hidden": True},
}


def sqlite_file(db: str) -> Path:
    """The SQLite file behind --db, checked to be a newsfacts database with the tables the pages use."""
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise NewsfactsError("serve works on a SQLite file only (Datasette reads SQLite); "
                             "copy the data to one or use the CLI")
    path = Path(url.database)
    with open_session(path) as session:  # a missing file is "no such database", a corrupt one says so
        inspector = inspect(session.connection())
        have = set(inspector.get_table_names()) | set(inspector.get_view_names())
    shown = path_text(path)
    if "articles" not in have:
        raise BadDatabaseError(f"not a newsfacts database: {shown} (it has no articles table)")
    if missing := sorted(REQUIRED - have):
        raise NewsfactsError(f"the database predates {', '.join(missing)}: run 'newsfacts ingest' on {shown} once "
                             "to add them")
    return path


def metadata(name: str, path: Path, hosts: frozenset[str] | None) -> dict:
    """Datasette metadata: titles, descriptions, facets, the canned queries and the plugin's settings."""
    return {
        "title": "newsfacts",
        "description_html": '<a href="/-/review">Review contradictions</a> · facts, entities and the sentences '
                            "behind them.",
        "databases": {name: {
            "title": f"newsfacts: {name}",
            "description": "Facts read off news articles, and where the articles disagree.",
            "tables": TABLES,
            "queries": QUERIES,
        }},
        "plugins": {PLUGIN: {"database": name, "path": str(path),
                             "hosts": sorted(hosts) if hosts is not None else None}},
    }


def allowed_hosts(host: str) -> frozenset[str] | None:
    """Host names the site answers to: loopback names and the one it listens on; None (any) on all interfaces."""
    if host in ALL_INTERFACES:
        return None
    return LOOPBACK_NAMES | {host.lower().strip("[]")}


def make_datasette(path: Path, *, allow_sql: bool = False, host: str = DEFAULT_HOST) -> Datasette:
    """A Datasette instance over the file, with the newsfacts plugin; arbitrary SQL only with allow_sql."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise NewsfactsError("Datasette is not installed: pip install 'newsfacts[serve]'") from None
    from pipeline.serve import review

    if not pm.is_registered(review):
        pm.register(review, name=PLUGIN)
    name = path.stem
    ds = Datasette([str(path)], metadata=metadata(name, path.resolve(), allowed_hosts(host)),
                   template_dir=str(TEMPLATES),
                   settings={"default_allow_sql": allow_sql,
                             # a reviewer downloads what a page shows (CSV, JSON), not the whole file
                             "allow_download": False})
    served = ds.databases.get(name)
    if served is None or served.path != str(path):  # "_internal.db": Datasette keeps that name for itself
        raise NewsfactsError("Datasette cannot serve a file with this name: rename it", where=path_text(path))
    return ds


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: one the system picks), or one line saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise NewsfactsError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    return sock


def site_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(path: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow_sql: bool = False,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the file until interrupted; `ready` gets the site's URL once the socket listens."""
    import uvicorn

    ds = make_datasette(path, allow_sql=allow_sql, host=host)
    sock = listen(host, port)
    config = uvicorn.Config(ds.app(), lifespan="on", access_log=logging.getLogger().isEnabledFor(logging.INFO),
                            log_level="info" if logging.getLogger().isEnabledFor(logging.INFO) else "warning")
    server = uvicorn.Server(config)
    if ready:
        ready(site_url(sock))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
