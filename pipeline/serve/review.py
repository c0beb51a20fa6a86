"""The Datasette plugin of `newsfacts serve`: review pages, verdicts through queries.resolve, links, request checks.

Registered by pipeline.serve.site for its own Datasette instance only; every hook does nothing on an instance
without the plugin's settings, so another Datasette in the same process is left as it is.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from pipeline.errors import NewsfactsError
from pipeline.report import http_url
from pipeline.serve.site import PLUGIN
from pipeline.store import queries
from pipeline.store.db import open_session
from pipeline.untrusted import storable

REVIEW_PATH = "/-/review"
# Which contradictions the review page lists: the three listings of `newsfacts contradictions`
# (`--open`, no flag, `--all`) as (open_only, include_low).
SHOW = {"open": (True, False), "shown": (False, False), "all": (False, True)}
SHOW_LABELS = {"open": "open", "shown": "all but low confidence and not comparable",
               "all": "all, with low confidence and not comparable"}
VERDICT_LABELS = {"real": "real: the articles disagree",
                  "not comparable": "not comparable: they measure different things (hidden from now on)",
                  "resolved": "resolved: checked, or corrected since"}
# A note is a reviewer's sentence or two; a form that posts more is not a reviewer.
NOTE_MAX_CHARS = 2000
# Headers on every response: no page of ours in another site's frame (a verdict button under a decoy), no
# type sniffing of article text, and our URLs (which name the database) not sent to article sites.
SECURITY_HEADERS = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"),
                    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


def _config(datasette) -> dict | None:
    return datasette.plugin_config(PLUGIN)


@hookimpl
def register_routes(datasette):
    return [
        (rf"^{REVIEW_PATH}$", review_page),
        (rf"^{REVIEW_PATH}/(?P<contradiction_id>[0-9]{{1,10}})$", contradiction_page),
    ]


@hookimpl
def menu_links(datasette, actor, request):
    if _config(datasette) is not None:
        return [{"href": datasette.urls.path(REVIEW_PATH), "label": "Review contradictions"}]
    return None


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["http_url"] = http_url


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Ids that lead somewhere (a contradiction to its review, a fact to its sources, an entity to its facts), and
    numbers with the unit their row gives."""
    config = _config(datasette)
    if config is None or database != config["database"] or value is None:
        return None
    urls = datasette.urls
    if column == "contradiction_id" and isinstance(value, int):
        return Markup('<a href="{}">{}</a>').format(urls.path(f"{REVIEW_PATH}/{value}"), value)
    if column == "fact_id" and isinstance(value, int) and table in (None, "v_facts", "v_entity_facts"):
        href = urls.query(database, "fact_sources") + "?" + urlencode({"fact_id": value})
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "entity" and table == "v_entity_facts" and isinstance(value, str):
        href = urls.query(database, "entity_facts") + "?" + urlencode({"entity": value})
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column in ("value", "low", "high") and isinstance(value, int | float) and "unit" in row.keys() \
            and row["unit"]:
        return f"{_number(value)} {row['unit']}"
    return None


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


@hookimpl
def asgi_wrapper(datasette):
    """Refuse a Host header that is not ours (DNS rebinding) and add SECURITY_HEADERS to every response."""
    config = _config(datasette)
    hosts = frozenset(config["hosts"]) if config is not None and config.get("hosts") is not None else None

    def wrap(app):
        if config is None:
            return app

        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            host = _host_name(dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1"))
            if hosts is not None and host is not None and host not in hosts:
                response = Response.text("unknown host: this site answers to its loopback address", status=403)
                return await response.asgi_send(send)

            async def with_headers(event):
                if event["type"] == "http.response.start":
                    event = dict(event, headers=[*(event.get("headers") or []), *SECURITY_HEADERS])
                await send(event)

            return await app(scope, receive, with_headers)

        return guarded

    return wrap


def _host_name(header: str) -> str | None:
    """The host of a Host header, lowercase and without port or brackets; None when there is no header."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


# --- pages ----------------------------------------------------------------------------------------------------

async def review_page(datasette, request):
    """The contradictions to review, each with both sentences and a verdict form."""
    config = _config(datasette)
    if config is None:
        return await _error(datasette, request, "not found", 404)
    show = request.args.get("show", "open")
    if show not in SHOW:
        show = "open"
    open_only, include_low = SHOW[show]
    try:
        items = await asyncio.to_thread(_load, config["path"], open_only=open_only, include_low=include_low)
    except NewsfactsError as exc:
        return await _error(datasette, request, str(exc), 500)
    return await _render(datasette, request, "newsfacts_review.html", config, {
        "contradictions": items, "show": show, "show_labels": SHOW_LABELS, "back": show,
        "show_urls": {key: datasette.urls.path(REVIEW_PATH) + ("" if key == "open" else f"?show={key}")
                      for key in SHOW}})


async def contradiction_page(datasette, request):
    """One contradiction (GET), or a verdict on it (POST)."""
    config = _config(datasette)
    if config is None:
        return await _error(datasette, request, "not found", 404)
    contradiction_id = int(request.url_vars["contradiction_id"])
    if request.method == "POST":
        return await _record_verdict(datasette, request, config, contradiction_id)
    try:
        items = await asyncio.to_thread(_load, config["path"], contradiction_id=contradiction_id)
    except NewsfactsError as exc:
        return await _error(datasette, request, str(exc), 404 if str(exc).startswith("no contradiction") else 500)
    return await _render(datasette, request, "newsfacts_contradiction.html", config,
                         {"c": items[0], "back": "one"})


async def _record_verdict(datasette, request, config: dict, contradiction_id: int) -> Response:
    if not _same_site(request):
        return await _error(datasette, request, "refused: a verdict is recorded from this site's own page only "
                                                "(no CSRF cookie, or another site's Origin)", 403)
    form = await request.post_vars()
    verdict = form.get("verdict", "")
    note = storable(form.get("note", "")).strip()
    back = form.get("back", "one")
    if back in SHOW:
        target = datasette.urls.path(REVIEW_PATH) + ("" if back == "open" else f"?show={back}")
    else:
        target = datasette.urls.path(f"{REVIEW_PATH}/{contradiction_id}")
    if not note:
        datasette.add_message(request, f"contradiction {contradiction_id}: nothing recorded, a verdict needs a "
                                       "note saying why", datasette.ERROR)
    elif len(note) > NOTE_MAX_CHARS:
        datasette.add_message(request, f"contradiction {contradiction_id}: nothing recorded, the note is longer "
                                       f"than {NOTE_MAX_CHARS} characters", datasette.ERROR)
    else:
        try:
            result = await asyncio.to_thread(_resolve, config["path"], contradiction_id, note, verdict)
        except NewsfactsError as exc:
            if str(exc).startswith("no contradiction"):
                return await _error(datasette, request, str(exc), 404)
            datasette.add_message(request, f"contradiction {contradiction_id}: nothing recorded, {exc}",
                                  datasette.ERROR)
        else:
            datasette.add_message(request, f"contradiction {result['id']}: {result['status']}", datasette.INFO)
    return Response.redirect(target, status=303)


def _same_site(request) -> bool:
    """A POST from one of our pages: it carries the CSRF cookie, and its Origin (or Referer) is this site.

    Datasette's CSRF middleware compares the form's token with the cookie, but lets a POST with no cookie at all
    through, and a browser sends none on a cross-site POST (the cookie is SameSite=Lax): so the cookie is required.
    """
    if not request.cookies.get("ds_csrftoken"):
        return False
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True
    try:
        return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()
    except ValueError:
        return False


def _load(path: str, **kwargs) -> list[queries.ReportContradiction]:
    with open_session(Path(path)) as session:
        return queries.review_contradictions(session, **kwargs)


def _resolve(path: str, contradiction_id: int, note: str, verdict: str) -> dict:
    """The verdict as `newsfacts resolve` records it: the contradiction row and the verdict kept by its uid."""
    with open_session(Path(path), write=True) as session:
        return queries.resolve(session, contradiction_id, note, status=verdict)


async def _render(datasette, request, template: str, config: dict, context: dict) -> Response:
    database = config["database"]
    urls = datasette.urls

    def article_url(article_id: int) -> str:
        return urls.row(database, "articles", str(article_id))

    def claim_url(claim_id: int) -> str:
        return urls.row(database, "claims", str(claim_id))

    def topic_url(topic: str) -> str:
        return urls.table(database, "v_facts") + "?" + urlencode({"topic": topic})

    html = await datasette.render_template(template, {
        **context, "database": database, "verdicts": VERDICT_LABELS,
        "review_url": lambda cid: urls.path(f"{REVIEW_PATH}/{cid}"), "review_list_url": urls.path(REVIEW_PATH),
        "article_url": article_url, "claim_url": claim_url, "topic_url": topic_url,
        "contradictions_url": urls.table(database, "v_contradictions"),
    }, request=request)
    return Response.html(html)


async def _error(datasette, request, message: str, status: int) -> Response:
    html = await datasette.render_template("error.html", {"ok": False, "error": message, "status": status,
                                                          "title": None}, request=request)
    return Response.html(html, status=status)
