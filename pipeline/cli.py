"""Typer commands: parse arguments, call the library, print tables, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import partial, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from pipeline.errors import NewsfactsError
from pipeline.fetch.folder import check_input
from pipeline.store import queries
from pipeline.store.db import open_engine, open_session
from pipeline.untrusted import path_text, printable

if TYPE_CHECKING:
    from pipeline.nightly import RunReport

app = typer.Typer(help="newsfacts: news articles in, a database of facts and their contradictions out.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

DEFAULT_DB = "newsfacts.db"
DbOption = Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL.",
                                       envvar="NEWSFACTS_DB")]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
# Skipped files listed under an ingest summary: a folder of saved pages may hold hundreds of images and
# scripts; past twenty the list stops being read, and --format json has them all.
SKIPPED_SHOWN = 20


def handle_errors(fn: Callable) -> Callable:
    """The one boundary where a foreseeable failure becomes a red line and its exit code (README)."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsfactsError as exc:
            err.print(line(("error:", "red"), f" {exc}"), highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
    return wrapper


def line(*parts: str | tuple[str, str]) -> Text:
    """One line of output: untrusted text is never read as Rich markup, and loses its control characters.

    A part is a string, or (string, style) for our own colouring.
    """
    return Text.assemble(*((printable(p[0]), p[1]) if isinstance(p, tuple) else printable(p) for p in parts))


def emit(rows: list[dict], fmt: Format, columns: list[str], title: str | None = None) -> None:
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    elif fmt is Format.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: printable(_flat(row.get(k))) for k in columns})
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=line(title) if title else None, show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(line(_flat(row.get(c))) for c in columns))
        console.print(table)
        if not rows:
            console.print("[dim](none)[/dim]")


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


session_for = open_session


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of saved articles (.html, .txt, .md).")],
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Summary format.")] = Format.table,
    workers: Annotated[int, typer.Option(help="Extraction worker processes, each with its own spaCy pipeline.")] = 1,
    cluster: Annotated[str | None, typer.Option(
        help="Dask scheduler (tcp://HOST:8786): its workers read, extract and write the files; needs a PostgreSQL "
             "--db (README: 'A Dask cluster').", envvar="NEWSFACTS_CLUSTER")] = None,
) -> None:
    """Fetch, extract and reconcile every article under PATHS into the database."""
    from pipeline.run import stop_on_sigterm

    for p in paths:
        check_input(p)
    if cluster:
        from pipeline.cluster import ingest_paths_on_cluster, require_postgres

        require_postgres(db)  # before open_engine: a refused SQLite path is not created
        if workers != 1:
            raise NewsfactsError("--workers is for extraction in this process: with --cluster, start more Dask "
                                 "workers instead")
        engine = open_engine(db)
        ingest_all = partial(ingest_paths_on_cluster, engine, paths, cluster=cluster)
    else:
        from pipeline.nlp.extract import Extractor
        from pipeline.run import ingest_paths

        engine = open_engine(db)
        ingest_all = partial(ingest_paths, engine, paths, extractor=Extractor(n_process=workers))
    show = not quiet and fmt is Format.table and sys.stderr.isatty()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed} files"), TimeElapsedColumn(),
                  console=err, disable=not show, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def tick(source: str) -> None:
            progress.update(task, advance=1, description=escape(printable(Path(source).name[:40])))

        with stop_on_sigterm():
            summary = ingest_all(progress=tick)
    if fmt is Format.json:
        typer.echo(json.dumps(summary.as_dict(), indent=2))
        return
    if not quiet:
        console.print(summary.line(), highlight=False, soft_wrap=True)
        print_failures(summary)


def print_failures(summary) -> None:
    """Each failure, then what was skipped (the first SKIPPED_SHOWN of it: --format json lists all)."""
    for f in summary.failures:
        console.print(line(("  failed", "yellow"), f" {f.source}: {f.reason}"), highlight=False, soft_wrap=True)
    for s in summary.skipped[:SKIPPED_SHOWN]:
        console.print(line(("  skipped", "dim"), f" {s.source}: {s.reason}"), highlight=False, soft_wrap=True)
    if len(summary.skipped) > SKIPPED_SHOWN:
        console.print(line((f"  ... and {len(summary.skipped) - SKIPPED_SHOWN} more skipped (--format json "
                            "lists them all)", "dim")), highlight=False)


@app.command()
@handle_errors
def facts(
    db: DbOption = DEFAULT_DB,
    entity: Annotated[str | None, typer.Option(help="Only facts about this entity.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="funding|valuation|revenue|money|count|percentage|role|figure (figures of no measure are "
             "listed only with --kind figure)")] = None,
    since: Annotated[str | None, typer.Option(help="Only facts seen on or after YYYY-MM-DD.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List facts, each with how many articles support it."""
    with session_for(db) as s:
        rows = queries.facts(s, entity=entity, kind=kind, since=_date(since))
    emit(rows, fmt, ["id", "kind", "summary", "sources", "first_seen", "last_seen"], title="Facts")


@app.command()
@handle_errors
def contradictions(
    db: DbOption = DEFAULT_DB,
    open_only: Annotated[bool, typer.Option("--open", help="Only contradictions not yet reviewed.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Also low-confidence ones and those judged not comparable.")
                    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List claims that cannot all be true (high and medium confidence), with both sentences and the reason."""
    with session_for(db) as s:
        rows = queries.contradictions(s, open_only=open_only, include_low=all_)
    if fmt is not Format.json:  # flat display columns; JSON keeps the nested a/b claims only
        for r in rows:
            r["sentence_a"] = f"{r['a']['sentence']} [{r['a']['title']}, {r['a']['date']}]"
            r["sentence_b"] = f"{r['b']['sentence']} [{r['b']['title']}, {r['b']['date']}]"
    emit(rows, fmt, ["id", "kind", "confidence", "severity", "status", "reason", "sentence_a", "sentence_b"],
         title="Contradictions")


@app.command()
@handle_errors
def entities(
    db: DbOption = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="person|company|org")] = None,
    search: Annotated[str | None, typer.Option(help="Substring of the name.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List people, companies and organisations, most covered first."""
    with session_for(db) as s:
        rows = queries.entities(s, type_=type_, search=search)
    emit(rows, fmt, ["id", "name", "type", "articles", "mentions"], title="Entities")


@app.command()
@handle_errors
def entity(
    name: Annotated[str, typer.Argument(help="Entity name or alias.")],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = Format.table,
) -> None:
    """One entity: aliases, roles, facts and the articles that mention it."""
    with session_for(db) as s:
        detail = queries.entity_detail(s, name)
    if fmt is not Format.table:
        emit([detail] if fmt is Format.json else detail["facts"], fmt,
             ["id", "kind", "summary", "sources", "role"])
        return
    console.print(line((detail["name"], "bold"), f" ({detail['type']})"))
    if detail["aliases"]:
        console.print(line(f"aliases: {', '.join(detail['aliases'])}"))
    for r in detail["roles"]:
        console.print(line(f"role: {r['summary']}"))
    emit(detail["facts"], fmt, ["id", "kind", "summary", "sources", "role"], title="Facts")
    emit(detail["sources"], fmt, ["date", "title", "url", "source", "mentions"], title="Articles")


@app.command()
@handle_errors
def sources(
    fact_id: Annotated[int, typer.Argument(help="Fact id (from 'newsfacts facts').")],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = Format.table,
) -> None:
    """Every sentence that supports a fact, with the article's title, URL and date."""
    with session_for(db) as s:
        rows = queries.sources(s, fact_id)
    emit(rows, fmt, ["claim_id", "date", "title", "text", "sentence", "start", "end", "source"],
         title=f"Sources of fact {fact_id}")


@app.command()
@handle_errors
def resolve(
    contradiction_id: Annotated[int, typer.Argument(help="Contradiction id.")],
    note: Annotated[str, typer.Option(help="Why (kept with the evidence).")],
    verdict: Annotated[str, typer.Option(
        help="resolved (checked or corrected), real (a true disagreement) or 'not comparable' (the figures "
             "measure different things: never raised again)")] = "resolved",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record a reviewer's verdict on a contradiction; it survives re-ingests of either article."""
    with session_for(db, write=True) as s:
        result = queries.resolve(s, contradiction_id, note, status=verdict)
    console.print(line(f"contradiction {result['id']}: {result['status']} ({result['note']})"))


@app.command()
@handle_errors
def timeline(
    topic: Annotated[str, typer.Argument(help="A company, person or count group (as in 'facts').")],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = Format.table,
) -> None:
    """A topic's facts in date order: values months apart are shown as a change over time."""
    with session_for(db) as s:
        rows = queries.timeline(s, topic)
    emit(rows, fmt, ["id", "measure", "summary", "first_seen", "last_seen", "sources"],
         title=f"Timeline of {topic}")


@app.command()
@handle_errors
def failures(db: DbOption = DEFAULT_DB, fmt: FormatOption = Format.table) -> None:
    """Sources that could not be ingested, and why."""
    with session_for(db) as s:
        rows = queries.failures(s)
    emit(rows, fmt, ["source", "reason", "attempts"], title="Failures")


@app.command()
@handle_errors
def stats(db: DbOption = DEFAULT_DB, fmt: FormatOption = Format.table) -> None:
    """Row counts of the database."""
    with session_for(db) as s:
        row = queries.stats(s)
    emit([row], fmt, list(row), title="Database")


@app.command("eval")
@handle_errors
def eval_(
    gold: Annotated[Path | None, typer.Argument(
        help="Gold file (JSONL): one hand-checked article per line.")] = None,
    open_domain: Annotated[Path | None, typer.Option(
        "--open-domain", help="A folder of unrelated real news with entities*.jsonl and perturbations.jsonl "
                              "(corpus/open): false alarms, entity types against the bare model, perturbed "
                              "copies.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every miss, spurious claim and alarm.")] = False,
    floor: Annotated[Path | None, typer.Option(
        help="JSON of pinned bounds per score; exit 1 when a score is outside its bound.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Extraction against a gold file (precision, recall, F1 per type) and/or the open-domain report."""
    from pipeline.evaluate import OPEN_PREFIX, below_floor, evaluate, load_floor, outside_bounds
    from pipeline.evaluate import load_gold as read_gold
    from pipeline.evaluate_open import evaluate_open
    from pipeline.nlp.extract import Extractor

    if gold is None and open_domain is None:
        raise NewsfactsError("give a gold file, --open-domain FOLDER, or both")
    bounds = load_floor(floor) if floor is not None else {}
    extractor = Extractor()
    failing: list[str] = []
    if gold is not None:
        evaluation = evaluate(read_gold(gold), extractor)
        emit(evaluation.rows(), fmt, ["type", "tp", "fp", "fn", "precision", "recall", "f1"],
             title=f"Extraction vs {gold.name} ({evaluation.articles} articles)")
        if errors:
            for name, score in evaluation.scores.items():
                if "(all)" in name:
                    continue
                for miss in score.misses:
                    err.print(line(("missed", "yellow"), f"   {name} {miss}"), highlight=False)
                for extra in score.spurious:
                    err.print(line(("spurious", "red"), f" {name} {extra}"), highlight=False)
        failing += below_floor(evaluation, bounds)
    if open_domain is not None:
        report = evaluate_open(open_domain, extractor)
        emit(report.rows(), fmt, ["measure", "value"], title=f"Open-domain report on {open_domain}")
        if errors:
            for item in report.review():
                err.print(line(("review", "yellow"), f" {item}"), highlight=False)
        failing += outside_bounds(report.values(), {n: b for n, b in bounds.items() if n.startswith(OPEN_PREFIX)},
                                  label="value")
    for below in failing:
        err.print(line(("below floor:", "red"), f" {below}"), highlight=False)
    if failing:
        raise typer.Exit(1)


@app.command()
@handle_errors
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="report.html (a self-contained page) or report.md.")],
    since: Annotated[str | None, typer.Option(
        help="YYYY-MM-DD: only articles published on or after it (an undated article counts from the day "
             "it was ingested). Default: the whole database.")] = None,
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out even if it is not a newsfacts report.")
                     ] = False,
) -> None:
    """Write what changed since a date: new facts, new contradictions side by side, entities most in the news."""
    from pipeline.report import check_output, report_format, write_report

    report_format(out)  # a wrong suffix fails before the database is read
    check_output(out, db, force=force)
    with session_for(db) as s:
        data = queries.report_data(s, since=_date(since))
    write_report(data, out)
    if not quiet:
        console.print(line(f"wrote {path_text(out)}: {len(data.articles)} articles, {len(data.new_facts)} new facts, "
                           f"{len(data.contradictions)} contradictions"), highlight=False)


@app.command()
@handle_errors
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(
        help="Address to listen on. The default is this machine only; another address lets other machines read "
             "the database and record verdicts, with no login.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free one; the URL is printed).", min=0, max=65535)] = 8001,
    allow_sql: Annotated[bool, typer.Option("--allow-sql", help="Let pages run arbitrary read-only SQL.")] = False,
) -> None:
    """Browse the database in Datasette and review its contradictions (SQLite only; needs the "serve" extra)."""
    from pipeline.serve.site import LOOPBACK_NAMES, sqlite_file
    from pipeline.serve.site import serve as serve_site

    path = sqlite_file(db)
    if host.strip("[]").lower() not in LOOPBACK_NAMES:
        err.print(line(("warning:", "yellow"), f" listening on {host}: anyone who reaches it can read the database "
                                                "and record verdicts"), highlight=False, soft_wrap=True)

    def ready(url: str) -> None:
        console.print(line(f"serving {path_text(path)} at {url} (review: {url}-/review); Ctrl-C stops"),
                      highlight=False, soft_wrap=True)
        sys.stdout.flush()

    serve_site(path, host=host, port=port, allow_sql=allow_sql, ready=ready)


class RunFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("run")
def run_configured(
    config: Annotated[Path, typer.Option("--config", "-c", help="Sources and fetch settings (TOML).")] = Path(
        "newsfacts.toml"),
    db: Annotated[str | None, typer.Option("--db", help="SQLite file or SQLAlchemy URL (overrides the config).",
                                           envvar="NEWSFACTS_DB")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Only errors on stderr; no progress, no summary.")] = False,
    fmt: Annotated[RunFormat, typer.Option("--format", "-f", help="Summary format.")] = RunFormat.table,
) -> None:
    """The nightly run: every source in the config, incrementally, under a lock.

    Exit 0: done (pages may have failed); 69: done, but a whole source failed; 1: the run failed; 75: another
    run holds the lock.
    """
    from pipeline.nightly import SOURCES_FAILED_EXIT

    try:
        report = _nightly(config, db, quiet, show=not quiet and fmt is RunFormat.table and sys.stderr.isatty())
    except NewsfactsError as exc:
        if fmt is RunFormat.json:
            typer.echo(json.dumps({"error": exc.reason, "where": exc.where, "exit_code": exc.exit_code}, indent=2))
        _run_error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    if fmt is RunFormat.json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    elif not quiet:
        typer.echo(report.line())
        for f in report.page_failures():
            typer.echo(f"  {typer.style('failed', fg='yellow')} {f.source}: {f.reason}")
    if line := report.sources_line():
        _run_error(line)  # even with --quiet: cron mails what a run prints
        raise typer.Exit(SOURCES_FAILED_EXIT)


def _nightly(config: Path, db: str | None, quiet: bool, show: bool) -> RunReport:
    import dataclasses

    from pipeline.nightly import nightly_run
    from pipeline.run import stop_on_sigterm
    from pipeline.settings import load_settings

    settings = load_settings(config)
    if db is not None:
        settings = dataclasses.replace(settings, db=db)
    if not settings.sources:
        raise NewsfactsError("no sources configured ([sources] folders, urls, url_lists, feeds, sitemaps)",
                             where=str(config))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} sources"),
                  TimeElapsedColumn(), console=err, disable=not show, transient=True) as progress:
        task = progress.add_task("run", total=None)
        with stop_on_sigterm():
            return nightly_run(settings,
                               progress=lambda source: progress.update(
                                   task, advance=1, description=escape(printable(source[-50:]))),
                               stderr_level=logging.ERROR if quiet else None)


def _run_error(message: str) -> None:
    """One line on stderr, as written: no markup ("[fetch]" stays), no wrapping at 80 columns for cron mail."""
    typer.echo(f"{typer.style('error:', fg='red')} {printable(message)}", err=True)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NewsfactsError(f"not a date (YYYY-MM-DD): {value!r}") from None


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each article.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
