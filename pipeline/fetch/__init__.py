"""Fetchers: turn folders, URLs, feeds and sitemaps into Articles. Knows nothing of NLP."""
