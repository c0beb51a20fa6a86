"""Render a ReportData as a self-contained HTML page or a Markdown file, with Jinja2 templates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.errors import NewsfactsError
from pipeline.store.queries import ReportData

ReportFormat = Literal["html", "md"]
FORMATS: dict[str, ReportFormat] = {".html": "html", ".htm": "html", ".md": "md"}
TEMPLATES: dict[ReportFormat, str] = {"html": "report.html.j2", "md": "report.md.j2"}

# Markdown syntax that article text could trigger anywhere in a line (emphasis, links, code,
# raw HTML, table cells, entities); escaped with a backslash, which CommonMark allows for any
# ASCII punctuation.
MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# ... and what only matters at the start of a line or list item: headings, quotes, list markers.
MD_BLOCK_START = re.compile(r"^(\s*\d*)([#>+\-=.)])")


def report_format(out: Path) -> ReportFormat:
    """The format the file name asks for; anything but .html/.htm/.md is an error before any work."""
    try:
        return FORMATS[out.suffix.lower()]
    except KeyError:
        raise NewsfactsError(f"cannot tell the report format from {out.suffix or 'no suffix'!r}: "
                             "use .html, .htm or .md", where=str(out)) from None


def md_escape(value: object) -> str:
    text = re.sub(r"\s+", " ", str(value))  # a newline would end a table row or list item
    text = MD_INLINE.sub(r"\\\1", text)
    return MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def http_url(url: str | None) -> str | None:
    """A URL safe to link to (http/https only: no javascript: or data: from article metadata)."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _environment(fmt: ReportFormat) -> Environment:
    # article text is untrusted: HTML autoescapes everything, Markdown escapes by filter
    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=fmt == "html",
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["http_url"] = http_url
    return env


def render_report(data: ReportData, fmt: ReportFormat, generated: datetime | None = None) -> str:
    template = _environment(fmt).get_template(TEMPLATES[fmt])
    return template.render(report=data, generated=(generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"))


def write_report(data: ReportData, out: Path) -> ReportFormat:
    fmt = report_format(out)
    text = render_report(data, fmt)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewsfactsError(f"cannot write the report: {exc.strerror or exc}", where=str(out)) from exc
    return fmt
