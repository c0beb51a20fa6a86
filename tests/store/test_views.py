"""The SQL views as a sqlite3 user meets them: every example query in the README runs and shows what it says."""

from __future__ import annotations

import re
import sqlite3

import pytest

from pipeline.store.views import VIEWS
from tests.conftest import REPO


def readme_examples() -> list[tuple[str, str]]:
    """(query, documented output) for each ```sql block of the README's "SQL views" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## SQL views\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```\n```text\n(.*?)```", section, flags=re.S)


EXAMPLES = readme_examples()


def test_the_readme_has_examples_for_every_view():
    assert len(EXAMPLES) >= 3
    assert {name for name in VIEWS if any(name in q for q, _ in EXAMPLES)} == set(VIEWS)


@pytest.mark.parametrize(("query", "shown"), EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_readme_example_runs_and_matches_its_output(query, shown, seed_db, perturbed_db):
    db = perturbed_db if "corpus/perturbed" in query else seed_db
    with sqlite3.connect(db) as conn:
        rows = conn.execute(query).fetchall()
    assert rows, "an example that returns nothing teaches nothing"
    shown_cells = " ".join(shown.split())
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                assert " ".join(cell.split()) in shown_cells, f"{cell!r} is not in the README's output"
            elif isinstance(cell, float):
                assert repr(cell) in shown_cells


def test_views_are_plain_sql_for_any_client(seed_db):
    with sqlite3.connect(seed_db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        assert set(VIEWS) <= names
        facts = conn.execute("SELECT COUNT(*) FROM facts WHERE kind <> 'figure'").fetchone()[0]
        assert conn.execute("SELECT COUNT(*) FROM v_facts").fetchone()[0] == facts
