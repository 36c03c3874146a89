"""PubMed XML in, records out (real EFetch answers); records in, EFetch XML out."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import socket
import threading
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO

import Bio.Entrez.Parser
import pytest
from Bio import Entrez
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.errors import PubMedError
from evidence.pubmed import entrez_parser, splitter
from evidence.pubmed.parse import (
    Reader,
    iter_pubmed_records,
    open_pubmed_file,
    parse_pubmed_xml,
    split_medline_pages,
)
from evidence.pubmed.records import PubMedRecord
from evidence.pubmed.render import render_pubmed_xml

DATA = Path(__file__).parent / "data" / "pubmed"
EFETCH = DATA / "efetch"
SNAPSHOT = Path(__file__).parents[1] / "evidence" / "data" / "pubmed-seed-snapshot.xml"


def read_record(name: str, pmid: str) -> PubMedRecord:
    """Parse a file of tests/data/pubmed/efetch and return the record with that PMID."""
    records = {r.pmid: r for r in parse_pubmed_xml((EFETCH / name).read_bytes())}
    return records[pmid]


# Expected values read off the XML files themselves.
CASES: list[tuple[str, str, dict[str, Any]]] = [
    # ArticleDate, the day it came out online: the year before its issue's, or none at all.
    ("citing_styles_16.elbert5770.xml", "19734903", {"epub_date": "2009-09-06", "year": 2009}),
    ("retraction_12649271.elbert5770.xml", "12649271", {"epub_date": "2003-03-20"}),
    ("pubmed1.biopython.xml", "12091962", {"epub_date": None}),
    (
        "pubmed1.biopython.xml",
        "12091962",
        {
            "title": "The treatment of AIDS behind the walls of correctional facilities.",
            "authors": ["Olivero JM"],
            "journal": "Social justice (San Francisco, Calif.)",
            "iso_abbrev": "Soc Justice",
            "medline_ta": "Soc Justice",
            "nlm_unique_id": "9891830",
            "issn": "1043-1578",
            "year": 1990,
            "month": None,
            "pub_date": "1990 Spring",
            "volume": "17",
            "issue": "1",
            "pages": "113-25",
            "first_page": "113",
            "last_page": "125",
            "doi": None,
            "keywords": ["Health Care and Public Health", "Legal Approach"],
            "publication_types": ["Journal Article", "Review"],
            "languages": ["eng"],
        },
    ),
    (
        "pubmed1.biopython.xml",
        "9997",
        {
            "doi": "10.1016/0005-2795(76)90109-4",
            "authors": ["Strekas TC"],
            "year": 1976,
            "month": "Sep",
            "pub_date": "1976 Sep 28",
            "pages": "179-91",
            "last_page": "191",
            "journal": "Biochimica et biophysica acta",
        },
    ),
    (
        "pubmed4.biopython.xml",  # pretty-printed; CommentIn among 48 Cites
        "27797938",
        {
            "pmcid": "PMC5442267",
            "doi": "10.1136/gutjnl-2016-312510",
            "month": "06",
            "pub_date": "2017 06",
            "keywords": ["PANCREATIC CANCER"],
            "comments_corrections": [
                {"type": "CommentIn", "pmid": "27920200", "source": "Gut. 2017 Jun;66(6):1"}
            ],
        },
    ),
    (
        "pubmed6.biopython.xml",  # <i> in the title, raw UTF-8
        "30108519",
        {
            "title": 'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and '
            "Maximal Lactate Steady State in Trained Runners. Back to the Old Days?",
            "authors": ["Garcia-Tabar I", "Gorostiaga EM"],
            "pages": "1034",
            "first_page": "1034",
            "last_page": None,
            "doi": "10.3389/fphys.2018.01034",
            "pmcid": "PMC6079548",
            "elocation": None,
        },
    ),
    (
        "title_markup_27933116.hawc.xml",
        "27933116",
        {
            "title": "Phoenix dactylifera mediated green synthesis of Cu2O particles for arsenite "
            "uptake from water.",
            "pmcid": "PMC5127256",
            "doi": "10.1080/14686996.2016.1244472",
            "pages": "760-768",
            "last_page": "768",
            "year": 2016,
        },
    ),
    (
        "collective_author_21860499.hawc.xml",
        "21860499",
        {
            "title": "Nitrofen.",
            "authors": ["National Toxicology Program"],
            "medline_ta": "Rep Carcinog",
            "nlm_unique_id": "101157309",
            "volume": "12",
            "issue": None,
            "pages": "296-7",
            "first_page": "296",
            "last_page": "297",
            "year": 2011,
            "doi": None,
        },
    ),
    (
        "utf8.hawc.xml",
        "16080930",
        {
            "authors": ["González-Reyes S", "Martínez L", "Tovar JA"],
            "pages": "1269-74",
            "last_page": "1274",
            "month": "Aug",
        },
    ),
    (
        "utf8.hawc.xml",
        "23878845",
        {"pub_date": "2013 Nov-Dec", "month": None, "year": 2013, "doi": "10.3290/j.qi.a30176"},
    ),
    (
        "retraction_12649271.elbert5770.xml",
        "12649271",
        {
            "authors": ["Puglielli L", "Ellis BC", "Saunders AJ", "Kovacs DM"],
            "journal": "The Journal of biological chemistry",
            "iso_abbrev": "J Biol Chem",
            "medline_ta": "J Biol Chem",
            "nlm_unique_id": "2985121R",
            "issn": "0021-9258",
            "pub_date": "2003 May 30",
            "pages": "19777-83",
            "first_page": "19777",
            "last_page": "19783",
            "doi": "10.1074/jbc.M300466200",
            "publication_types": [
                "Journal Article",
                "Research Support, Non-U.S. Gov't",
                "Research Support, U.S. Gov't, P.H.S.",
                "Retracted Publication",
            ],
            "comments_corrections": [
                {
                    "type": "RetractionIn",
                    "pmid": "35635926",
                    "source": "J Biol Chem. 2022 Jun;298(6):102052. doi: "
                    "10.1016/j.jbc.2022.102052.",
                }
            ],
        },
    ),
    (
        "expression_of_concern_27165780.elbert5770.xml",
        "27165780",
        {
            "title": "Gain-of-function mutations in protein kinase C\u03b1 (PKC\u03b1) may promote "
            "synaptic defects in Alzheimer's disease.",
            "pages": "ra47",
            "first_page": "ra47",
            "last_page": None,
            "volume": "9",
            "issue": "427",
            "pmcid": "PMC5154619",
            "doi": "10.1126/scisignal.aaf6209",
            "comments_corrections": [
                {
                    "type": "ExpressionOfConcernIn",
                    "pmid": "35727862",
                    "source": "Sci Signal. 2022 Jun 21;15(739):eadd4323. doi: "
                    "10.1126/scisignal.add4323.",
                }
            ],
        },
    ),
    (
        "medline_date_12709467.elbert5770.xml",
        "12709467",
        {
            "journal": "JAMA",
            "year": 2003,
            "month": "Apr",
            "pub_date": "2003 Apr 23-30",
            "pages": "2094-103",
            "first_page": "2094",
            "last_page": "2103",
            "comments_corrections": [
                {"type": "ErratumIn", "pmid": None, "source": "JAMA. 2007 Oct 3;298(13):1516"}
            ],
        },
    ),
    (
        "erratum_35649368.metapub.xml",
        "35649368",
        {
            "elocation": "S2211-1247(22)00645-3",
            "doi": "10.1016/j.celrep.2022.110870",
            "issn": "2211-1247",
            "medline_ta": "Cell Rep",
            "pages": "110870",
            "comments_corrections": [
                {
                    "type": "ErratumIn",
                    "pmid": "35767954",
                    "source": "Cell Rep. 2022 Jun 28;39(13):111044. doi: "
                    "10.1016/j.celrep.2022.111044.",
                }
            ],
        },
    ),
    (
        "book_26468569.hawc.xml",  # a whole book, six collective authors
        "26468569",
        {
            "title": "Application of Modern Toxicology Approaches for Predicting Acute "
            "Toxicity for Chemical Defense",
            "year": 2015,
            "doi": "10.17226/21775",
            "journal": None,
            "publication_types": ["Review"],
        },
    ),
    (
        "book_chapter_20301382.hawc.xml",  # a chapter: its authors, not the book's editors
        "20301382",
        {
            "title": "Single Large-Scale Mitochondrial DNA Deletion Syndromes",
            "authors": ["Goldstein A", "Falk MJ"],
            "year": 1993,
            "languages": ["eng"],
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "pmid", "field", "expected"),
    [(n, p, f, v) for n, p, fields in CASES for f, v in fields.items()],
    ids=[f"{p}-{f}" for _, p, fields in CASES for f in fields],
)
def test_parse_pubmed_xml_reads_fields(name: str, pmid: str, field: str, expected: Any) -> None:
    assert getattr(read_record(name, pmid), field) == expected


@pytest.mark.parametrize(
    ("name", "pmid", "labels"),
    [
        (
            "structured_abstract_21813367.hawc.xml",
            "21813367",
            ["BACKGROUND", "OBJECTIVES", "METHODS", "RESULTS", "CONCLUSIONS"],
        ),
        (
            "utf8.hawc.xml",
            "23878845",
            ["OBJECTIVES", "METHOD AND MATERIALS", "RESULTS", "CONCLUSION"],
        ),
        (
            "book_chapter_20301382.hawc.xml",
            "20301382",
            ["CLINICAL CHARACTERISTICS", "DIAGNOSIS/TESTING", "MANAGEMENT", "GENETIC COUNSELING"],
        ),
        ("pubmed1.biopython.xml", "9997", []),
    ],
)
def test_parse_pubmed_xml_labels_structured_abstracts(
    name: str, pmid: str, labels: list[str]
) -> None:
    paragraphs = (read_record(name, pmid).abstract or "").split("\n\n")
    if not labels:  # one unlabelled AbstractText
        assert len(paragraphs) == 1 and paragraphs[0].startswith("Electron paramagnetic resonance")
        return
    assert [p.split(": ", 1)[0] for p in paragraphs] == labels
    assert all(len(p.split(": ", 1)[1]) > 20 for p in paragraphs)


def test_parse_pubmed_xml_flattens_markup_and_keeps_escaped_text() -> None:
    abstract = read_record("pubmed6.biopython.xml", "30108519").abstract or ""
    assert "[VMLSS 15.0 ± 1.1 km·h-1;" in abstract  # <sub>V</sub>MLSS ... <sup>-1</sup>
    assert "P < 0.001" in abstract  # written <i>P</i> &lt; 0.001
    mathml = read_record("pubmed7.biopython.xml", "29963580")
    assert "inhaled He 3 / Xe 129 MRI ventilation" in (mathml.abstract or "")
    assert "<" not in (mathml.abstract or "")


def test_parse_pubmed_xml_keeps_collective_names_whole() -> None:
    mixed = read_record("pubmed7.biopython.xml", "29963580").authors
    assert mixed[0] == "Guo F" and mixed[-1] == "Canadian Respiratory Research Network"
    book = read_record("book_26468569.hawc.xml", "26468569").authors
    assert len(book) == 6
    assert book[0] == (
        "Committee on Predictive-Toxicology Approaches for Military Assessments of Acute Exposures"
    )


def test_parse_pubmed_xml_reads_mesh_major_flags() -> None:
    mesh = {
        m["descriptor"]: m
        for m in read_record("retraction_12649271.elbert5770.xml", "12649271").mesh
    }
    assert mesh["Amyloid beta-Peptides"] == {
        "descriptor": "Amyloid beta-Peptides",
        "ui": "D016229",
        "major": False,
        "qualifiers": [{"name": "biosynthesis", "ui": "Q000096", "major": True}],
    }
    assert mesh["Humans"]["qualifiers"] == [] and not mesh["Humans"]["major"]
    concern = {
        m["descriptor"]: m
        for m in read_record("expression_of_concern_27165780.elbert5770.xml", "27165780").mesh
    }
    assert concern["Mutation"]["major"] and concern["Mutation"]["ui"] == "D009154"


def test_parse_pubmed_xml_marks_retractions_and_drops_cites() -> None:
    assert read_record("retraction_12649271.elbert5770.xml", "12649271").is_retracted
    assert not read_record("erratum_35649368.metapub.xml", "35649368").is_retracted
    gut = read_record("pubmed4.biopython.xml", "27797938")
    assert [c["type"] for c in gut.comments_corrections] == ["CommentIn"]
    assert (gut.raw_xml or "").count('RefType="Cites"') == 48


@pytest.mark.parametrize(
    "name", sorted(p.name for p in EFETCH.glob("*.xml") if "error" not in p.name)
)
def test_parse_pubmed_xml_keeps_each_article_as_sent(name: str) -> None:
    text = (EFETCH / name).read_text(encoding="utf-8")
    records = parse_pubmed_xml(text.encode())
    assert len(records) == text.count("<PubmedArticle>") + text.count("<PubmedBookArticle>")
    for record in records:
        raw = record.raw_xml or ""
        assert raw.startswith(("<PubmedArticle>", "<PubmedBookArticle>")) and text.count(raw) == 1
        assert f">{record.pmid}</PMID>" in raw


def test_parse_pubmed_xml_reads_an_empty_answer() -> None:
    assert parse_pubmed_xml((EFETCH / "empty_37909814.metapub.xml").read_bytes()) == []


class NetworkUsed(Exception):
    """A test touched the network."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail any DNS lookup, connection or urlopen; return the list of attempts."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise NetworkUsed(repr(args[:2]))

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(Bio.Entrez.Parser, "urlopen", refuse)
    # A fresh Bio.Entrez parser, so that its DTD is read while the network is refused.
    monkeypatch.setattr(entrez_parser, "_THREAD", threading.local())
    return attempts


def future_dtd_xml() -> bytes:
    """Return a real EFetch answer that names a DTD no Biopython ships (pubmed_990101.dtd)."""
    data = (EFETCH / "retraction_12649271.elbert5770.xml").read_bytes()
    assert b"pubmed_250101.dtd" in data
    return data.replace(b"1st January 2025", b"1st January 2099").replace(
        b"pubmed_250101.dtd", b"pubmed_990101.dtd"
    )


@pytest.mark.parametrize("reader", ["fast", "entrez"])
def test_parse_pubmed_xml_reads_unknown_dtd_offline(no_network: list[str], reader: Reader) -> None:
    shipped = Path(Bio.Entrez.Parser.DataHandler.global_dtd_dir)
    assert not (shipped / "pubmed_990101.dtd").exists()
    records = parse_pubmed_xml(future_dtd_xml(), reader=reader)
    assert [r.pmid for r in records] == ["12649271"] and records[0].is_retracted
    assert no_network == []


def test_bio_entrez_alone_downloads_unknown_dtds(no_network: list[str]) -> None:
    # The trap parse.py avoids: the guard above does catch Bio.Entrez's download.
    with pytest.raises(NetworkUsed):
        Entrez.read(io.BytesIO(future_dtd_xml()), validate=False)  # type: ignore[no-untyped-call]
    assert no_network


HEAD = (EFETCH / "empty_37909814.metapub.xml").read_bytes().partition(b"</PubmedArticleSet>")[0]
ARTICLE = (EFETCH / "retraction_12649271.elbert5770.xml").read_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty answer"),
        (b"  \n ", "empty answer"),
        (ARTICLE[: len(ARTICLE) // 2], "truncated inside a <PubmedArticle>"),
        (ARTICLE[: ARTICLE.index(b"</PubmedArticle>") + 16], "ends before </PubmedArticleSet>"),
        (ARTICLE[:60], "truncated inside a tag"),
        (
            (DATA / "recorded" / "efetch_html_page.biopython.html").read_bytes(),
            "HTML page.*PmFetch response",
        ),
        (
            (EFETCH / "esummary_error.biopython.xml").read_bytes(),
            "error: Neither query_key nor id specified",
        ),
        (
            b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Empty id list - '
            b"nothing todo</ERROR>\n</eFetchResult>\n",
            "error: Empty id list",
        ),
        (HEAD + b"<ERROR>Cannot retrieve</ERROR></PubmedArticleSet>", "error: Cannot retrieve"),
        (b"Search Backend failed: Database is not supported\n", "not XML: Search Backend failed"),
        (
            b'<?xml version="1.0"?><eSearchResult><Count>0</Count></eSearchResult>',
            "root is <eSearchResult>",
        ),
        (ARTICLE.replace(b"</ArticleTitle>", b"</ArticleTitl>"), "PMID 12649271.*mismatched tag"),
        (ARTICLE.replace(b"Ceramide", b"Cer\xe9mide"), "not UTF-8"),
        (HEAD + b"stray text</PubmedArticleSet>", "text between records"),
        (HEAD + b"<PubmedArticle></PubmedArticle></PubmedArticleSet>", "has no 'MedlineCitation'"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
@pytest.mark.parametrize("reader", ["fast", "entrez"])
def test_parse_pubmed_xml_refuses_bad_input(data: bytes, message: str, reader: Reader) -> None:
    with pytest.raises(PubMedError, match=message):
        parse_pubmed_xml(data, reader=reader)
    # A failed article does not break the next answer (the parser is per thread).
    assert [r.pmid for r in parse_pubmed_xml(ARTICLE, reader=reader)] == ["12649271"]


def test_parse_pubmed_xml_reports_a_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(ARTICLE)[:-30])
    with open_pubmed_file(path) as stream, pytest.raises(PubMedError, match="cannot read"):
        list(iter_pubmed_records(stream))


class CountingReader(io.RawIOBase):
    """A stream that counts the bytes it has given out."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.given = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.given += len(data)
        return data


def many_articles(count: int) -> bytes:
    """Return a baseline-like file: `count` copies of one real article, then a DeleteCitation."""
    head, _, rest = ARTICLE.partition(b"<PubmedArticle>")
    article = b"<PubmedArticle>" + rest.partition(b"</PubmedArticle>")[0] + b"</PubmedArticle>"
    copies = (
        article.replace(b">12649271</PMID>", f">{90000000 + i}</PMID>".encode(), 1)
        for i in range(count)
    )
    delete = b'<DeleteCitation><PMID Version="1">1</PMID></DeleteCitation>'
    return head + b"\n".join(copies) + delete + b"</PubmedArticleSet>\n"


@pytest.mark.parametrize("suffix", [".xml.gz", ".xml"])
def test_iter_pubmed_records_streams_files_lazily(tmp_path: Path, suffix: str) -> None:
    data = many_articles(400)
    assert len(data) > 2 * splitter.BLOCK
    path = tmp_path / f"pubmed26n0001{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    with open_pubmed_file(path) as stream:
        reader = CountingReader(stream)
        records = iter_pubmed_records(reader)  # type: ignore[arg-type]
        assert reader.given == 0
        first = next(records)
        assert first.pmid == "90000000" and reader.given <= splitter.BLOCK
        assert sum(1 for _ in records) == 399
        assert reader.given == len(data)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("1521-9", ("1521", "1529")),
        ("113-25", ("113", "125")),
        ("2094-103", ("2094", "2103")),
        ("19777-83", ("19777", "19783")),
        ("1-10", ("1", "10")),
        ("S4", ("S4", None)),
        ("e199", ("e199", None)),
        ("S12-9", ("S12", "S19")),
        ("iii-iv", ("iii", "iv")),
        ("112-4, 118", ("112", "114")),
        ("1521-9; discussion 1530", ("1521", "1529")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_medline_pages_writes_the_last_page_out(
    pages: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert split_medline_pages(pages) == expected


def seed_records() -> list[dict[str, Any]]:
    """Return the 14 seed records (copy of shared/pubmed/seed/records.json)."""
    records: list[dict[str, Any]] = json.loads((DATA / "seed-records.json").read_text())["records"]
    return records


def test_seed_snapshot_is_current() -> None:
    # Rebuild: evidence/data/pubmed-seed-snapshot.xml = render_pubmed_xml(seed records).
    assert render_pubmed_xml(seed_records()) == SNAPSHOT.read_bytes()


def test_seed_snapshot_parses_back_to_the_seed_records() -> None:
    seeds = seed_records()
    records = parse_pubmed_xml(SNAPSHOT.read_bytes())
    assert [r.pmid for r in records] == [s["pmid"] for s in seeds] and len(records) == 14
    for seed, record in zip(seeds, records, strict=True):
        for field in ("title", "doi", "pmcid", "journal", "iso_abbrev", "volume", "issue", "pages"):
            assert getattr(record, field) == seed[field], (seed["pmid"], field)
        assert record.authors == seed["authors"]
        assert record.authors_complete == seed["authors_complete"]
        assert record.year == int(seed["year"]) and record.month == seed["month"]
        assert record.medline_ta == seed["iso_abbrev"]
        assert record.publication_types == (seed["publication_types"] or [])
    nishimoto = records[[s["pmid"] for s in seeds].index("17075601")]
    il6 = [m for m in nishimoto.mesh if m["descriptor"] == "Interleukin-6"]
    assert il6 == [
        {
            "descriptor": "Interleukin-6",
            "ui": None,
            "major": False,
            "qualifiers": [
                {"name": "antagonists & inhibitors", "ui": None, "major": True},
                {"name": "physiology", "ui": None, "major": False},
            ],
        }
    ]


def test_render_pubmed_xml_writes_efetch_shape() -> None:
    empty = (EFETCH / "empty_37909814.metapub.xml").read_bytes()
    assert render_pubmed_xml([]) == empty
    record = {"pmid": "1", "title": "Café & <b>", "authors": ["Rose-John S", "WHO"], "doi": None}
    assert render_pubmed_xml([record]) == empty.replace(
        b"</PubmedArticleSet>",
        b'<PubmedArticle><MedlineCitation><PMID Version="1">1</PMID><Article>'
        b"<ArticleTitle>Caf&#xe9; &amp; &lt;b&gt;</ArticleTitle>"
        b'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Rose-John</LastName>'
        b'<Initials>S</Initials></Author><Author ValidYN="Y"><CollectiveName>WHO</CollectiveName>'
        b"</Author></AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList>"
        b'<ArticleId IdType="pubmed">1</ArticleId></ArticleIdList></PubmedData></PubmedArticle>'
        b"</PubmedArticleSet>",
    )


@pytest.mark.parametrize(
    ("name", "pmid"),
    [
        ("retraction_12649271.elbert5770.xml", "12649271"),
        ("medline_date_12709467.elbert5770.xml", "12709467"),
        ("erratum_35649368.metapub.xml", "35649368"),
        ("pubmed1.biopython.xml", "12091962"),
        ("utf8.hawc.xml", "23878845"),
    ],
)
def test_render_pubmed_xml_round_trips_real_records(name: str, pmid: str) -> None:
    record = read_record(name, pmid)
    again = parse_pubmed_xml(render_pubmed_xml([dataclasses.asdict(record)]))[0]
    assert dataclasses.replace(again, raw_xml=None) == dataclasses.replace(record, raw_xml=None)


words = st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=8)
phrases = st.lists(words, min_size=1, max_size=6).map(" ".join)
people = st.builds(
    "{} {}".format,
    st.lists(st.from_regex(r"[A-Z][a-zà-ÿ'-]{0,9}", fullmatch=True), min_size=1, max_size=2).map(
        " ".join
    ),
    st.from_regex(r"[A-Z]{1,3}", fullmatch=True),
)
synthetic_records = st.fixed_dictionaries(
    {
        "pmid": st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True),
        "title": phrases,
        "authors": st.lists(people | phrases, max_size=5),
        "volume": st.none() | st.from_regex(r"[0-9A-Za-z]{1,4}( Suppl [0-9])?", fullmatch=True),
        "issue": st.none() | st.from_regex(r"[0-9]{1,3}(-[0-9]{1,2})?", fullmatch=True),
        "pages": st.none()
        | st.from_regex(r"[1-9][0-9]{0,4}(-[0-9]{1,5})?|[eS][0-9]{1,4}", fullmatch=True),
        "doi": st.none() | st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9.()_-]{1,20}", fullmatch=True),
        "year": st.none() | st.integers(1800, 2030).map(str),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(synthetic_records, min_size=1, max_size=3))
def test_render_then_parse_keeps_the_fields(records: list[dict[str, Any]]) -> None:
    parsed = parse_pubmed_xml(render_pubmed_xml(records))
    assert len(parsed) == len(records)
    for record, back in zip(records, parsed, strict=True):
        assert back.pmid == record["pmid"]
        assert back.title == record["title"]
        assert back.authors == record["authors"]
        assert (back.volume, back.issue, back.pages) == (
            record["volume"],
            record["issue"],
            record["pages"],
        )
        assert back.doi == record["doi"]
        assert back.year == (int(record["year"]) if record["year"] else None)
