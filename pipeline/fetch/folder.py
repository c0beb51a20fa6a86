"""A folder of saved pages -> Articles (or failures), walked recursively without following links."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
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
from pipeline.types import Article, FailedSource, SkippedSource
from pipeline.untrusted import path_text

SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES
# Saved pages are often stored compressed ("page.html.gz"): read like the page, decompressed under the same cap.
GZIP_SUFFIX = ".gz"
MB = 1024 * 1024


def check_input(path: Path) -> None:
    """A path given to read must be a folder or a regular file: a FIFO or device is refused before any work."""
    where = path_text(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FetchError("no such file or folder", where=where) from None
    except OSError as exc:
        raise FetchError(f"cannot read: {exc.strerror or exc}", where=where) from exc
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise FetchError("not a file or folder (a FIFO, socket or device cannot be ingested)", where=where)


def article_suffix(name: str) -> str | None:
    """The suffix that says how to read a file (".html" for "a.html.gz"), None for other files."""
    name = name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name.removesuffix(GZIP_SUFFIX)
    suffix = Path(name).suffix
    return suffix if suffix in SUFFIXES else None


def iter_paths(root: Path) -> Iterator[Path | SkippedSource | FailedSource]:
    """Article files under root in a stable order, and every other entry as skipped or failed, never silently.

    Symlinked folders are not followed (no loops); hidden files and folders and files of other types are
    listed as skipped; a folder that cannot be listed is a failure.
    """
    if not root.is_dir():
        yield root
        return
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        yield from _unlisted(errors)
        here = Path(dirpath)
        for name in sorted(dirnames):
            if name.startswith("."):
                yield SkippedSource(path_text(here / name), "hidden folder, not read")
            elif (here / name).is_symlink():
                yield SkippedSource(path_text(here / name), "link to a folder, not followed")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                yield SkippedSource(path_text(path), "hidden file, not read")
            elif article_suffix(name) is None:
                yield SkippedSource(path_text(path), f"not an article file ({Path(name).suffix or 'no suffix'}): "
                                                     f"read are {', '.join(sorted(SUFFIXES))}, also gzipped")
            else:
                yield path
    yield from _unlisted(errors)


def _unlisted(errors: list[OSError]) -> Iterator[FailedSource]:
    for exc in errors:
        yield FailedSource(path_text(exc.filename or "?"), f"cannot list folder: {exc.strerror or exc}")
    errors.clear()


def read_file(path: Path) -> Article:
    where = path_text(path)
    try:
        data = read_capped(path)
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise FetchError("broken symbolic link (its target does not exist)", where=where) from exc
        raise FetchError("file disappeared before it could be read", where=where) from exc
    except OSError as exc:
        raise FetchError(f"cannot read file: {exc.strerror or exc}", where=where) from exc
    text = decode(data, where)
    if article_suffix(path.name) in HTML_SUFFIXES:
        return parse_html(text, where)
    return parse_text(text, where)


def read_capped(path: Path) -> bytes:
    """The file's bytes, reading at most MAX_DOCUMENT_BYTES + 1 of them whatever stat said; a .gz file
    decompressed, at most MAX_DOCUMENT_BYTES + 1 bytes of it (a small file may inflate to gigabytes)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for regular files
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device named .html would block or never end
            raise FetchError("not a regular file", where=path_text(path))
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise _too_large(path, f"{info.st_size / MB:.1f} MB")
        if path.name.lower().endswith(GZIP_SUFFIX):
            try:
                data = gzip.GzipFile(fileobj=f).read(MAX_DOCUMENT_BYTES + 1)
            except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
                raise FetchError(f"not a valid gzip file: {exc}", where=path_text(path)) from exc
        else:
            data = f.read(MAX_DOCUMENT_BYTES + 1)  # the file may have grown since fstat
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(path, "more")
    return data


def _too_large(path: Path, size: str) -> FetchError:
    return FetchError(f"file too large ({size} > {MAX_DOCUMENT_BYTES / MB:.0f} MB cap)", where=path_text(path))


def fetch_folder(root: Path) -> Iterator[Article | FailedSource | SkippedSource]:
    check_input(root)
    for path in iter_paths(root):
        if not isinstance(path, Path):
            yield path
            continue
        try:
            yield read_file(path)
        except FetchError as exc:
            yield FailedSource(path_text(path), exc.reason)
