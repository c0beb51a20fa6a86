"""A folder of saved pages -> Articles (or failures), walked recursively without following links."""

from __future__ import annotations

import os
import stat
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
MB = 1024 * 1024


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
        data = read_capped(path)
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise FetchError("broken symbolic link (its target does not exist)", where=where) from exc
        raise FetchError("file disappeared before it could be read", where=where) from exc
    except OSError as exc:
        raise FetchError(f"cannot read file: {exc.strerror or exc}", where=where) from exc
    text = decode(data, where)
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html(text, where)
    return parse_text(text, where)


def read_capped(path: Path) -> bytes:
    """The file's bytes, reading at most MAX_DOCUMENT_BYTES + 1 of them whatever stat said."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for regular files
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device named .html would block or never end
            raise FetchError("not a regular file", where=str(path))
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise _too_large(path, f"{info.st_size / MB:.1f} MB")
        data = f.read(MAX_DOCUMENT_BYTES + 1)  # the file may have grown since fstat
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(path, "more")
    return data


def _too_large(path: Path, size: str) -> FetchError:
    return FetchError(f"file too large ({size} > {MAX_DOCUMENT_BYTES / MB:.0f} MB cap)", where=str(path))


def fetch_folder(root: Path) -> Iterator[Article | FailedSource]:
    if not root.exists():
        raise FetchError("no such file or folder", where=str(root))
    for path in iter_paths(root):
        try:
            yield read_file(path)
        except FetchError as exc:
            yield FailedSource(str(path), exc.reason)
