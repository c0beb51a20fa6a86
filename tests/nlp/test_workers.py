"""Extraction in worker processes gives what extraction in this process gives, in input order."""

from __future__ import annotations

import pytest

from pipeline.fetch.folder import fetch_folder
from pipeline.nlp.extract import Extractor
from pipeline.types import Article
from tests.conftest import CORPUS, SEED


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [2])
def test_worker_processes_extract_the_same_in_order(extractor, n_process):
    articles = [a for folder in (SEED, CORPUS / "perturbed") for a in fetch_folder(folder)
                if isinstance(a, Article)] * 3  # more articles than one chunk
    here = list(extractor.extract_many(articles))
    pooled = list(Extractor(n_process=n_process).extract_many(iter(articles)))
    assert [a.source for a, _ in pooled] == [a.source for a in articles]
    assert [e for _, e in pooled] == [e for _, e in here]
