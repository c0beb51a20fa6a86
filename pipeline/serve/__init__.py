"""`newsfacts serve`: Datasette over one newsfacts SQLite file, with a page to review contradictions."""
