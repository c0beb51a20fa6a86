"""`newsfacts ingest` for tests/test_hostile.py: one file deleted after the folder walk listed it, file permissions
binding as for any user."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from pipeline.fetch import folder
from tests.conftest import VANISHING, without_root_file_access

_iter_paths = folder.iter_paths


def iter_paths_losing_one(root: Path) -> Iterator:
    """The folder's files, VANISHING deleted once listed: a file removed while the run goes on."""
    for path in _iter_paths(root):
        if isinstance(path, Path) and path.name == VANISHING:
            path.unlink()
        yield path


if __name__ == "__main__":
    from pipeline.cli import app

    folder.iter_paths = iter_paths_losing_one
    with without_root_file_access():  # the locked subfolder stays locked, as it would for any user
        app(sys.argv[1:], prog_name="newsfacts")
