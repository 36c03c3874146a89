"""Manuscripts: sentences with bracketed markers linked to the numbered reference list, checked
against the citing sentences that the articles' own JATS sources record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evidence.ingest.extract import extract_document
from evidence.ingest.manuscript import split_sentences
from evidence.ingest.readers import read_document
from tests.conftest import DATA

ARTICLES = sorted((DATA / "manuscripts").glob("*.txt"))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_manuscript_citing_sentences_link_to_their_references(article: Path) -> None:
    document = extract_document(read_document(article))
    gold = json.loads(article.with_suffix("").with_suffix(".refs.json").read_text())
    assert document.kind == "manuscript"
    assert len(document.references) == len(gold["reference_ids_by_number"])
    labels = {r.index: int(r.label or 0) for r in document.references}
    claims = {normalise(c.as_written): c for c in document.claims}
    right = wrong = 0
    for sentence in gold["citing_sentences"]:
        claim = claims.get(normalise(sentence["sentence"]))
        if claim is None:
            continue  # sentence split differently; counted below
        found = sorted(labels[i] for i in claim.cites)
        if found == sorted(set(sentence["ref_numbers"])):
            right += 1
        else:
            wrong += 1
    assert wrong == 0
    assert right >= 0.85 * len(gold["citing_sentences"])
    assert not document.dangling_markers


def test_sentences_keep_abbreviations_whole() -> None:
    paragraph = (
        "M. tuberculosis stores lipids, as Garton et al. showed [2]. "
        "B. subtilis does not (e.g. in Fig. 2). It grows [3]."
    )
    assert split_sentences(paragraph) == [
        "M. tuberculosis stores lipids, as Garton et al. showed [2].",
        "B. subtilis does not (e.g. in Fig. 2).",
        "It grows [3].",
    ]
