"""A folder of saved pages -> Articles (or failures), walked recursively without following links."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import FetchError
from pipeline.fetch.documents import (
    HTML_SUFFIXES,
    MAX_DOCUMENT_BYTES,
    TEXT_SUFFIXES,
    decode,
    parse_html,
    parse_text,
)
from pipeline.types import Article, FailedSource

SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def iter_paths(root: Path) -> Iterator[Path]:
    """Article files under root in a stable order; symlinked folders are not followed (no loops)."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(dirpath) / name


def read_file(path: Path) -> Article:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise FetchError(
                f"file too large ({size / 1e6:.1f} MB > {MAX_DOCUMENT_BYTES / 1e6:.0f} MB cap)",
                where=where)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise FetchError("file disappeared before it could be read", where=where) from exc
    except OSError as exc:
        raise FetchError(f"cannot read file: {exc.strerror or exc}", where=where) from exc
    text = decode(data, where)
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html(text, where)
    return parse_text(text, where)


def fetch_folder(root: Path) -> Iterator[Article | FailedSource]:
    if not root.exists():
        raise FetchError("no such file or folder", where=str(root))
    for path in iter_paths(root):
        try:
            yield read_file(path)
        except FetchError as exc:
            yield FailedSource(str(path), exc.reason)
