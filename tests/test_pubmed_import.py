"""`import_files`: real PubMed XML into the papers table, parsed here or in a second process."""

from __future__ import annotations

import dataclasses
import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evidence.errors import PubMedError
from evidence.models import Paper
from evidence.pubmed import importer
from evidence.pubmed.importer import import_files
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.store import record_of

EFETCH = Path(__file__).parent / "data" / "pubmed" / "efetch"
SOURCES = [
    "retraction_12649271.elbert5770.xml",
    "pubmed7.biopython.xml",  # MathML, collective names
    "utf8.hawc.xml",
    "erratum_35649368.metapub.xml",
    "structured_abstract_21813367.hawc.xml",
]
ARTICLE = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.S)
OWN_PMID = re.compile(rb'(<MedlineCitation[^>]*>\s*<PMID Version="\d+">)(\d+)')


def articles() -> list[bytes]:
    """Return the PubmedArticle elements of a few real EFetch answers."""
    return [a for name in SOURCES for a in ARTICLE.findall((EFETCH / name).read_bytes())]


def baseline_like(count: int, *, first: int = 90_000_000, broken_at: int | None = None) -> bytes:
    """Return a PubmedArticleSet of `count` real articles, each with a PMID of its own."""
    head = (EFETCH / SOURCES[0]).read_bytes().partition(b"<PubmedArticle>")[0]
    sources = articles()
    body = []
    for number in range(count):
        pmid = f"{first + number}".encode()
        own = sources[number % len(sources)]
        article = OWN_PMID.sub(lambda m, pmid=pmid: m.group(1) + pmid, own, 1)
        if number == broken_at:
            article = article.replace(b"</ArticleTitle>", b"</ArticleTitl>", 1)
        body.append(article)
    return head + b"\n".join(body) + b"\n</PubmedArticleSet>\n"


def stored(engine: Engine) -> dict[str, PubMedRecord]:
    """Return every stored paper as a record, by PMID."""
    with Session(engine) as session:
        return {p.pmid or "": record_of(p) for p in session.exec(select(Paper)).all()}


def paper_count(engine: Engine) -> int:
    """Return how many papers are stored."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Paper)).one()


@pytest.mark.parametrize("parallel", [True, False], ids=["second-process", "in-process"])
def test_import_files_stores_exactly_the_parsed_records(
    engine: Engine, tmp_path: Path, parallel: bool
) -> None:
    data = baseline_like(importer.BATCH * 2 + 37)  # three batches, the last one short
    path = tmp_path / "pubmed26n0001.xml.gz"
    path.write_bytes(gzip.compress(data))
    seen: list[int] = []
    report = import_files(engine, [path], parallel=parallel, progress=seen.append)
    assert report.records == sum(seen) == importer.BATCH * 2 + 37 and report.files == 1
    expected = {r.pmid: dataclasses.replace(r, issn=None) for r in parse_pubmed_xml(data)}
    assert stored(engine) == expected  # JSON columns, raw_xml and order of batches included


def test_import_files_again_updates_and_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "set.xml"
    path.write_bytes(baseline_like(importer.BATCH + 1))
    import_files(engine, [path], parallel=True)
    path.write_bytes(path.read_bytes().replace(b"<ArticleTitle>", b"<ArticleTitle>Revised: "))
    import_files(engine, [path], parallel=True)
    papers = stored(engine)
    assert len(papers) == paper_count(engine) == importer.BATCH + 1
    assert all((p.title or "").startswith("Revised: ") for p in papers.values())
    assert all("Revised: " in (p.raw_xml or "") for p in papers.values())


@pytest.mark.parametrize("parallel", [True, False], ids=["second-process", "in-process"])
def test_import_files_writes_nothing_of_a_file_that_breaks(
    engine: Engine, tmp_path: Path, parallel: bool
) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(baseline_like(3))
    broken_at = importer.BATCH * 2 + 1
    bad.write_bytes(baseline_like(broken_at + 4, first=80_000_000, broken_at=broken_at))
    failing = f"PMID {80_000_000 + broken_at}, is not readable: mismatched tag"
    with pytest.raises(PubMedError, match=failing):
        import_files(engine, [good, bad], parallel=parallel)
    # One transaction per file: the good file stays, none of the bad one's earlier batches.
    assert sorted(stored(engine)) == ["90000000", "90000001", "90000002"]


def test_import_files_parses_large_files_in_a_second_process(tmp_path: Path) -> None:
    small, large = tmp_path / "small.xml", tmp_path / "large.xml.gz"
    small.write_bytes(baseline_like(2))
    large.write_bytes(b"\x1f\x8b" + bytes(importer.PARALLEL_FROM))
    assert not importer._worth_a_process(small)
    assert importer._worth_a_process(large) == ((importer.os.cpu_count() or 1) > 1)
