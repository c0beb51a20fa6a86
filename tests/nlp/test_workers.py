"""Extraction in worker processes gives what extraction in this process gives, in input order."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.fetch.folder import fetch_folder
from pipeline.nlp.extract import Extractor
from pipeline.types import Article
from tests.conftest import CORPUS, REPO, SEED


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [2])
def test_worker_processes_extract_the_same_in_order(extractor, n_process):
    articles = [a for folder in (SEED, CORPUS / "perturbed") for a in fetch_folder(folder)
                if isinstance(a, Article)] * 3  # more articles than one chunk
    here = list(extractor.extract_many(articles))
    pooled = list(Extractor(n_process=n_process).extract_many(iter(articles)))
    assert [a.source for a, _ in pooled] == [a.source for a in articles]
    assert [e for _, e in pooled] == [e for _, e in here]


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [2])
def test_the_caller_of_worker_processes_does_not_load_the_pipeline(n_process):
    # a fresh interpreter: this test session has loaded the pipeline already
    code = ("import sys; from pathlib import Path; from pipeline.fetch.folder import fetch_folder; "
            "from pipeline.nlp.extract import Extractor; from pipeline.nlp.build import SPACY_MODEL, build_pipeline; "
            "from pipeline.types import Article; "
            f"articles = [a for a in fetch_folder(Path({str(SEED)!r})) if isinstance(a, Article)][:2]; "
            f"done = list(Extractor(n_process={n_process}).extract_many(articles)); "
            "print(len(done), build_pipeline.cache_info().currsize, SPACY_MODEL in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split() == ["2", "0", "False"]
