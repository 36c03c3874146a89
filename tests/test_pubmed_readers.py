"""The fast (lxml) reader gives exactly the records of the Bio.Entrez reader, the reference."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.pubmed.fast_reader import read_fast_article
from evidence.pubmed.parse import (
    iter_pubmed_articles,
    iter_pubmed_records,
    open_pubmed_file,
    parse_pubmed_xml,
)
from evidence.pubmed.records import PubMedRecord

DATA = Path(__file__).parent / "data" / "pubmed"
SNAPSHOT = Path(__file__).parents[1] / "evidence" / "data" / "pubmed-seed-snapshot.xml"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "pubmed" / "records"
NOT_ARTICLES = ("error", "html", "esearch", "ecitmatch", "nlmcatalog")
FILES = sorted(
    path
    for path in [*(DATA / "efetch").glob("*.xml"), *(DATA / "recorded").glob("*.xml"), SNAPSHOT]
    if not any(word in path.name for word in NOT_ARTICLES) and "empty" not in path.name
)
# Real EFetch answers and baseline-like sets beside the project, when the checkout has them
# (medline16n0902 is a MedlineCitationSet, not an EFetch answer).
SHARED_FILES = sorted(
    path
    for path in SHARED.glob("**/*.xml*")
    if path.name.endswith((".xml", ".xml.gz")) and "medline16n" not in path.name
)
ARTICLE = (DATA / "efetch" / "retraction_12649271.elbert5770.xml").read_bytes()


def read_both(data: bytes) -> tuple[list[PubMedRecord], list[PubMedRecord]]:
    """Return the records of a PubmedArticleSet by the fast reader and by Bio.Entrez."""
    return parse_pubmed_xml(data), parse_pubmed_xml(data, reader="entrez")


def assert_same_records(fast: list[PubMedRecord], entrez: list[PubMedRecord]) -> None:
    """Compare two readers' records field by field, naming the first field that differs."""
    assert [r.pmid for r in fast] == [r.pmid for r in entrez]
    for ours, reference in zip(fast, entrez, strict=True):
        for field in dataclasses.fields(PubMedRecord):
            mine, theirs = getattr(ours, field.name), getattr(reference, field.name)
            assert mine == theirs, (reference.pmid, field.name)


def assert_read_fast(data: bytes) -> None:
    """Check that lxml itself read every article (no fallback to Bio.Entrez)."""
    for _, (name, element) in iter_pubmed_articles(io.BytesIO(data)):
        assert read_fast_article(name.decode(), element, "") is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_reader_matches_bio_entrez_on_test_data(path: Path) -> None:
    data = path.read_bytes()
    fast, entrez = read_both(data)
    assert fast, "a file without records compares nothing"
    assert_same_records(fast, entrez)
    assert_read_fast(data)


@pytest.mark.skipif(not SHARED_FILES, reason="../shared/pubmed/records is not checked out")
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_fast_reader_matches_bio_entrez_on_shared_records(path: Path) -> None:
    with open_pubmed_file(path) as stream:
        data = stream.read()
    fast, entrez = read_both(data)
    assert_same_records(fast, entrez)
    assert_read_fast(data)


def test_article_lxml_cannot_read_alone_is_read_by_bio_entrez() -> None:
    # Named entities come from the DTD (MathML's, ISO Greek): only Bio.Entrez has it.
    data = ARTICLE.replace(b"Ceramide", b"&alpha;-Ceramide&InvisibleTimes;", 1)
    _, (name, element) = next(iter_pubmed_articles(io.BytesIO(data)))
    assert read_fast_article(name.decode(), element, "") is None
    fast, entrez = read_both(data)
    assert fast == entrez and (fast[0].title or "").startswith("\u03b1-Ceramide\u2062 ")


def with_title(title: bytes, abstract: bytes) -> bytes:
    """Return the real test article with its title and (one, labelled) abstract replaced."""
    data = re.sub(rb"<ArticleTitle>.*?</ArticleTitle>", lambda _: title, ARTICLE, flags=re.S)
    return re.sub(rb"<Abstract>.*?</Abstract>", lambda _: abstract, data, count=1, flags=re.S)


MARKUP = [
    b"<ArticleTitle>CD4<sup>+</sup> T cells in <i>Mus musculus</i></ArticleTitle>",
    b"<ArticleTitle>H<sub>2</sub>O &amp; CO<sub>2</sub>: P &lt; 0.05 &gt; 1</ArticleTitle>",
    b"<ArticleTitle>  spaced\n\tout   <b> bold </b>text  </ArticleTitle>",
    b"<ArticleTitle>a<!-- a comment -->b<u>c</u>d<![CDATA[ <x> & ]]>e</ArticleTitle>",
    b"<ArticleTitle>&#x3b1;-synuclein &#946; &#x2009;thin</ArticleTitle>",
    b"<ArticleTitle><i><b>nested</b> in</i> italics<sup><i>2</i></sup></ArticleTitle>",
    b"<ArticleTitle></ArticleTitle>",
    b'<ArticleTitle>x <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">'
    b"<mml:msup><mml:mi>He</mml:mi>\n <mml:mn>3</mml:mn></mml:msup></mml:math> MRI</ArticleTitle>",
]


@pytest.mark.parametrize("title", MARKUP)
def test_fast_reader_flattens_markup_like_bio_entrez(title: bytes) -> None:
    abstract = (
        b'<Abstract><AbstractText Label="AIM">' + title[14:-15] + b"</AbstractText></Abstract>"
    )
    data = with_title(title, abstract)
    fast, entrez = read_both(data)
    assert_same_records(fast, entrez)
    assert_read_fast(data)


text_pieces = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Cn", "Co"]), max_size=6
    ).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()),
    st.sampled_from([b" ", b"\n  ", b"\t", b"&amp;", b"&lt;", b"&#x3b2;", b"<!-- c -->"]),
)
inline = st.recursive(
    text_pieces,
    lambda inner: st.builds(
        lambda tag, parts: b"<%s>%s</%s>" % (tag, b"".join(parts), tag),
        st.sampled_from([b"i", b"b", b"sup", b"sub", b"u"]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(inline, max_size=5), st.lists(inline, max_size=5))
def test_fast_reader_matches_bio_entrez_on_any_inline_markup(
    title: list[bytes], abstract: list[bytes]
) -> None:
    data = with_title(
        b"<ArticleTitle>" + b"".join(title) + b"</ArticleTitle>",
        b'<Abstract><AbstractText Label="X">' + b"".join(abstract) + b"</AbstractText></Abstract>",
    )
    fast, entrez = read_both(data)
    assert_same_records(fast, entrez)
    assert_read_fast(data)


def test_both_readers_stream_the_same_records_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "set.xml"
    path.write_bytes(SNAPSHOT.read_bytes())
    with open_pubmed_file(path) as fast, open_pubmed_file(path) as entrez:
        records = list(iter_pubmed_records(fast))
        assert records == list(iter_pubmed_records(entrez, reader="entrez"))
    assert len(records) == 14


def _dated(year: str, month: str, day: str, *, date_type: str = "Electronic") -> bytes:
    return (
        f'<ArticleDate DateType="{date_type}"><Year>{year}</Year><Month>{month}</Month>'
        f"<Day>{day}</Day></ArticleDate>"
    ).encode()


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([_dated("2003", "03", "20")], "2003-03-20"),
        ([_dated("2003", "3", "7")], "2003-03-07"),
        ([_dated("2004", "02", "31")], None),  # no such day
        ([_dated("2004", "1²", "02")], None),  # not ASCII digits: not a crash either
        ([_dated("２００４", "11", "12")], None),
        ([_dated("2004", "Nov", "12")], None),
        ([_dated("2004", "1²", "02"), _dated("2004", "11", "12")], "2004-11-12"),  # the next
    ],
)
def test_both_readers_read_an_article_date_alike(dates: list[bytes], expected: str | None) -> None:
    """The ArticleDate (published online), from the real article with its own replaced."""
    data = re.sub(rb"<ArticleDate.*?</ArticleDate>", lambda _: b"".join(dates), ARTICLE, flags=re.S)
    fast, entrez = read_both(data)
    assert_same_records(fast, entrez)
    assert fast[0].epub_date == expected


def test_the_article_date_of_stored_xml_is_what_the_readers_read() -> None:
    """epub_date_of (migration 0013's reader) gives each record's epub_date from its raw_xml."""
    from evidence.pubmed.fast_reader import epub_date_of

    records = [r for path in FILES for r in parse_pubmed_xml(path.read_bytes())]
    assert sum(bool(r.epub_date) for r in records) >= 5
    assert [epub_date_of(r.raw_xml or "") for r in records] == [r.epub_date for r in records]
