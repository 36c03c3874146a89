"""Word documents that cite in the page footer: the footer's references join the reference list
and the body's markers resolve to them; running headers and page numbers become nothing."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evidence.claim_views import list_claims
from evidence.ingest.extract import extract_document
from evidence.ingest.pipeline import ingest_source
from evidence.ingest.readers import read_document_bytes

SMOLEN = (
    "Smolen JS, Beaulieu A, Rubbert-Roth A, et al. Effect of interleukin-6 receptor inhibition"
    " with tocilizumab in patients with rheumatoid arthritis. Lancet. 2008;371(9617):987-997."
)
NISHIMOTO = "Nishimoto N, Hashimoto J, Miyasaka N, et al. Ann Rheum Dis. 2007;66(9):1162-1167."
RUNNING_TITLE = "Clinical Study Report WA17822: tocilizumab in rheumatoid arthritis, confidential."
TRIAL = "Tocilizumab improved the signs and symptoms of rheumatoid arthritis in a large trial [1]."
FIVE_YEARS = "Long-term treatment kept most patients in low disease activity for five years."
PAGE_FIELD = '<w:fldSimple %s w:instr=" PAGE "><w:r><w:t>%d</w:t></w:r></w:fldSimple>'
# Page 2 of 7, as Word writes it: complex fields, the tab the footer lays out with, a content control.
PAGE_OF_PAGES = """<w:sdt %s><w:sdtContent><w:p>
 <w:r><w:t xml:space="preserve">Page </w:t></w:r>
 <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
 <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>
 <w:r><w:fldChar w:fldCharType="end"/></w:r>
 <w:r><w:t xml:space="preserve"> of </w:t></w:r>
 <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>NUMPAGES</w:instrText></w:r>
 <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>
 <w:r><w:fldChar w:fldCharType="end"/></w:r>
</w:p></w:sdtContent></w:sdt>"""


def save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def page_texts(data: bytes) -> list[str]:
    return [page.text for page in read_document_bytes(data, filename="report.docx").pages]


def make_footer_cited_document() -> bytes:
    """Write a report whose footer holds its one reference, beside a page number field."""
    document = docx.Document()
    document.add_paragraph(TRIAL)
    document.add_paragraph(FIVE_YEARS)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = f"1. {SMOLEN}\t"
    footer._p.append(parse_xml(PAGE_FIELD % (nsdecls("w"), 1)))
    return save(document)


def test_read_docx_footer_reference_ends_the_text_as_a_reference_list() -> None:
    assert page_texts(make_footer_cited_document()) == [
        f"{TRIAL}\n\n{FIVE_YEARS}\n\nReferences\n1. {SMOLEN}"
    ]


def test_footer_reference_is_what_the_body_marker_cites(engine: Engine) -> None:
    source = read_document_bytes(make_footer_cited_document(), filename="report.docx")
    report = ingest_source(engine, source)
    assert report.citations == 1 and report.dangling_markers == 0
    with Session(engine) as session:
        claims = {c.text: c for c in list_claims(session, document_id=report.document_id)}
    trial = claims[TRIAL.removesuffix(" [1].") + "."]
    assert [(m.label, m.citation_id is not None) for m in trial.markers] == [("1", True)]
    assert [c.fields["first_author"] for c in trial.citations] == ["Smolen"]
    assert trial.citations[0].link == "marker"
    assert claims[FIVE_YEARS].citations == []


def make_three_sections() -> bytes:
    """Write three sections with one running header and one cited source in the footer: the
    second section's are linked to the first's, the third's are its own but identical."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = RUNNING_TITLE
    document.sections[0].footer.paragraphs[0].text = f"Source: {NISHIMOTO}"
    document.add_paragraph(FIVE_YEARS)
    document.add_section(WD_SECTION.NEW_PAGE)  # header and footer linked to the previous
    document.add_paragraph("Serum IL-6 fell within two weeks of the first infusion in most.")
    third = document.add_section(WD_SECTION.NEW_PAGE)
    third.header.is_linked_to_previous = False
    third.header.paragraphs[0].text = RUNNING_TITLE
    third.footer.is_linked_to_previous = False
    third.footer.paragraphs[0].text = f"Source: {NISHIMOTO}"
    document.add_paragraph("Haemoglobin rose in patients who had been anaemic at baseline.")
    return save(document)


def test_read_docx_repeated_header_and_footer_are_read_once() -> None:
    (page,) = page_texts(make_three_sections())
    assert RUNNING_TITLE not in page
    assert page.count(NISHIMOTO) == 1
    assert page.endswith(f"References\n1. {NISHIMOTO}")


def test_running_header_becomes_no_claim_and_the_footer_one_citation(engine: Engine) -> None:
    source = read_document_bytes(make_three_sections(), filename="sections.docx")
    report = ingest_source(engine, source)
    assert report.citations == 1 and report.claims == 3
    with Session(engine) as session:
        claims = list_claims(session, document_id=report.document_id)
    assert all("Clinical Study Report" not in claim.text for claim in claims)


@pytest.mark.parametrize(
    "footer",
    [
        "3",
        "- 3 -",
        "Page 3",
        "Page 3 of 10",
        "p. 3/10",
        "第 3 页 共 10 页",
        "",
        PAGE_FIELD,
        PAGE_OF_PAGES,
    ],
    ids=["3", "dashes", "page", "page-of", "p-slash", "zh", "empty", "field", "complex-fields"],
)
def test_read_docx_page_number_footer_adds_nothing(footer: str) -> None:
    document = docx.Document()
    document.add_paragraph(FIVE_YEARS)
    paragraph = document.sections[0].footer.paragraphs[0]
    if footer == PAGE_FIELD:
        paragraph._p.append(parse_xml(PAGE_FIELD % (nsdecls("w"), 3)))
    elif footer == PAGE_OF_PAGES:
        paragraph._p.addnext(parse_xml(PAGE_OF_PAGES % nsdecls("w")))
    else:
        paragraph.text = footer
    assert page_texts(save(document)) == [FIVE_YEARS]


@pytest.mark.parametrize("in_use", [True, False])
def test_read_docx_first_and_even_page_footers_only_when_shown(in_use: bool) -> None:
    document = docx.Document()
    document.add_paragraph(FIVE_YEARS)
    section = document.sections[0]
    section.first_page_footer.paragraphs[0].text = f"Source: {SMOLEN}"
    section.even_page_footer.paragraphs[0].text = f"Source: {NISHIMOTO}"
    section.different_first_page_header_footer = in_use
    document.settings.odd_and_even_pages_header_footer = in_use
    expected = f"{FIVE_YEARS}\n\nReferences\n1. {SMOLEN}\n2. {NISHIMOTO}"
    assert page_texts(save(document)) == [expected if in_use else FIVE_YEARS]


def test_read_docx_footer_table_reference_continues_the_body_list() -> None:
    document = docx.Document()
    document.add_paragraph(TRIAL)
    document.add_paragraph("References")
    document.add_paragraph(f"1. {SMOLEN}")
    footer = document.sections[0].footer
    table = footer.add_table(rows=1, cols=2, width=docx.shared.Inches(6))
    table.cell(0, 0).text = SMOLEN  # the body's reference 1 again: nothing new
    table.cell(0, 1).text = f"Source: {NISHIMOTO}"
    extracted = extract_document(read_document_bytes(save(document), filename="list.docx"))
    assert extracted.kind == "manuscript"
    assert [(r.label, r.parsed.first_author) for r in extracted.references] == [
        ("1", "Smolen"),
        ("2", "Nishimoto"),
    ]


def footer_document(*lines: str, body: str = TRIAL) -> bytes:
    """Write a one-paragraph document whose footer has these lines, one paragraph each."""
    document = docx.Document()
    document.add_paragraph(body)
    footer = document.sections[0].footer
    footer.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        footer.add_paragraph(line)
    return save(document)


def test_read_docx_footer_numbers_set_with_a_tab_are_kept() -> None:
    # Word sets a numbered line as number, tab, text: the number is the reference's label.
    (text,) = page_texts(footer_document(f"3.\t{SMOLEN}", f"[7]\t{NISHIMOTO}"))
    assert text.endswith(f"References\n3. {SMOLEN}\n7. {NISHIMOTO}")


def test_read_docx_numbered_references_run_together_in_one_footer_line() -> None:
    (text,) = page_texts(footer_document(f"Sources: 1. {SMOLEN} 2. {NISHIMOTO}"))
    assert text.endswith(f"References\n1. {SMOLEN}\n2. {NISHIMOTO}")


def test_read_docx_source_after_a_notice_is_a_reference_and_the_notice_is_not() -> None:
    (text,) = page_texts(footer_document(f"Confidential | Source: {NISHIMOTO}"))
    assert text.endswith(f"References\n1. {NISHIMOTO}")
    assert "Confidential" not in text


def test_read_docx_a_citation_alone_in_the_header_is_the_running_head_not_a_reference() -> None:
    document = docx.Document()
    document.add_paragraph(FIVE_YEARS)
    document.sections[0].header.paragraphs[0].text = NISHIMOTO  # the article's own running head
    assert page_texts(save(document)) == [FIVE_YEARS]


def test_footer_lists_that_start_again_in_each_section_link_no_marker_wrongly(
    engine: Engine,
) -> None:
    document = docx.Document()
    document.add_paragraph(TRIAL)  # its [1] is section 1's footer's 1: Smolen
    document.sections[0].footer.paragraphs[0].text = f"1. {SMOLEN}"
    second = document.add_section(WD_SECTION.NEW_PAGE)
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = f"1. {NISHIMOTO}"
    document.add_paragraph("Five-year data showed sustained responses in most patients [1].")
    source = read_document_bytes(save(document), filename="report.docx")
    report = ingest_source(engine, source)
    # Which 1 a marker means is not known: both are left unresolved (verification says so), and
    # neither is linked to the other section's reference.
    assert report.citations == 2 and report.dangling_markers == 2
    with Session(engine) as session:
        claims = list_claims(session, document_id=report.document_id)
    assert all(claim.citations == [] for claim in claims)
