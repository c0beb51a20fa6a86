"""newsfacts: news articles in, a database of facts and their contradictions out."""

__version__ = "0.1.0"
