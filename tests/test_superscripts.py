"""Citation numbers set superscript in Word and PowerPoint are markers, read with no guess; a
superscript that is a power (10⁶, m², I²) is not."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx
import pptx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from pptx.util import Inches

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes
from evidence.ingest.readers.superscripts import joined, superscript_citation
from evidence.ingest.structure import ExtractedDocument

REFERENCES = [
    "Nemeth E, Rivera S, Gabayan V, et al. IL-6 mediates hypoferremia of inflammation by"
    " inducing the synthesis of the iron regulatory hormone hepcidin. J Clin Invest."
    " 2004;113(9):1271-1276.",
    "Raj DS. Role of interleukin-6 in the anemia of chronic disease. Semin Arthritis Rheum."
    " 2009;38(5):382-388.",
    "Hashizume M, Uchiyama Y, Horai N, et al. Tocilizumab, a humanized anti-interleukin-6"
    " receptor antibody, improved anemia in monkey arthritis by suppressing IL-6-induced"
    " hepcidin production. Rheumatol Int. 2010;30(7):917-923.",
    "Hirano T, Yasukawa K, Harada H, et al. Complementary DNA for a novel human interleukin"
    " (BSF-2) that induces B lymphocytes to produce immunoglobulin. Nature."
    " 1986;324(6092):73-76.",
]


def test_joined_writes_each_run_of_raised_pieces_once() -> None:
    """Superscript pieces next to each other are one superscript ("1", ",", "2" is ¹,²), read
    against all the text before it; a power stays as the file has it."""
    pieces = [("IL-6 drives hepcidin", False), ("1", True), (",", True), ("2", True),
              (" at 10", False), ("6", True), (" cells", False)]  # fmt: skip
    assert joined(pieces) == "IL-6 drives hepcidin¹,² at 106 cells"


@pytest.mark.parametrize(
    ("raised", "before", "read"),
    [
        ("3", "正式命名为IL-6", "³"),
        ("12", "in RA.", "¹²"),  # AMA style: after the full stop
        ("1,2", "outcomes", "¹,²"),
        ("1–3, 5", "outcomes", "¹⁻³,⁵"),
        ("4", "in 2019.", "⁴"),  # a year, then punctuation: a citation
        ("5", "approved in 2010", "⁵"),  # a number, but not ten: a citation
        ("3", "n = 120", "³"),
        ("12", "reported in", "¹²"),
        (".12", "in RA", ".¹²"),  # marks the superscript carries along
        ("®1", "Actemra", "®¹"),
        ("1,2 ", "synthesis", "¹,² "),  # the space after it is kept
        ("6", "cells per mL: 10", None),  # a power of ten
        ("9", "150×10", None),
        ("5", "p<10", None),
        ("2", "1.73 m", None),  # a unit's power
        ("2", "mL/min/1.73m", None),
        ("2", "kg/m", None),
        ("2", "heterogeneity (I", None),  # a variable's
        ("2", "χ", None),
        ("2", "tau", None),
        ("2+", "Ca", None),  # not numbers
        ("a", "Table 1", None),
    ],
)
def test_superscript_citation_tells_citations_from_powers(
    raised: str, before: str, read: str | None
) -> None:
    assert superscript_citation(raised, before) == read


Runs = list[tuple[str, bool | str]]  # (text, superscript: True, False, or a character style)


def word_manuscript(body: list[Runs], document: docx.document.Document | None = None) -> Any:
    """A Word manuscript: paragraphs of runs, then "References" and REFERENCES numbered."""
    document = document or docx.Document()
    for runs in body:
        paragraph = document.add_paragraph()
        for text, raised in runs:
            run = paragraph.add_run(text)
            if isinstance(raised, str):
                run.style = document.styles[raised]
            else:
                run.font.superscript = raised
    document.add_paragraph("References")
    for number, reference in enumerate(REFERENCES, 1):
        document.add_paragraph(f"{number}. {reference}")
    return document


def saved(document: docx.document.Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ama_manuscript() -> bytes:
    """A manuscript citing as AMA and most medical journals do: superscript numbers."""
    body: list[Runs] = [
        [("IL-6 drives the anaemia of inflammation in rheumatoid arthritis.", False),
         ("1,2", True), (" Tocilizumab reverses it in most patients.", False), ("3", True)],
        [("The dose was 8 mg/kg for a body surface area of 1.73 m", False), ("2", True),
         (" in adults given infusions.", False), ("1–3", True)],
        [("Platelet counts stayed above 150×10", False), ("9", True),
         ("/L in the treated group.", False), ("4", True)],
    ]  # fmt: skip
    document = word_manuscript(body)
    # Word marks where it last laid out a page inside the run that began there.
    document.paragraphs[len(body) - 1].runs[-1]._r.insert(1, OxmlElement("w:lastRenderedPageBreak"))
    return saved(document)


def cited_authors(extracted: ExtractedDocument) -> dict[str, list[str]]:
    return {
        claim.text: [
            extracted.references[i].parsed.first_author or "?" for i in sorted(claim.cites)
        ]
        for claim in extracted.claims
    }


def test_a_manuscript_citing_with_superscripts_links_each_sentence() -> None:
    source = read_document_bytes(ama_manuscript(), filename="ama.docx")
    assert source.pages[0].text.startswith(
        "IL-6 drives the anaemia of inflammation in rheumatoid arthritis.¹,² Tocilizumab"
    )
    assert "1.73 m2 in adults" in source.pages[0].text and "150×109/L" in source.pages[0].text
    assert cited_authors(extract_document(source)) == {
        "IL-6 drives the anaemia of inflammation in rheumatoid arthritis.": ["Nemeth", "Raj"],
        "Tocilizumab reverses it in most patients.": ["Hashizume"],
        "The dose was 8 mg/kg for a body surface area of 1.73 m2 in adults given infusions.": [
            "Nemeth", "Raj", "Hashizume",
        ],
        "Platelet counts stayed above 150×109/L in the treated group.": ["Hirano"],
    }  # fmt: skip


def test_a_slide_marker_set_superscript_is_read_with_no_guess() -> None:
    """`IL-6` never stands alone on this deck, so as plain text `IL-63` would stay a name."""
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "IL-6的发现"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1)).text_frame
    box.text = "1986年该因子被正式命名为IL-6"
    box.paragraphs[0].add_run().text = "4"
    box.paragraphs[0].runs[-1].font._rPr.set("baseline", "30000")
    footer = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(1)).text_frame
    footer.text = "\n".join(f"{n}. {reference}" for n, reference in enumerate(REFERENCES, 1))
    buffer = BytesIO()
    presentation.save(buffer)
    source = read_document_bytes(buffer.getvalue(), filename="deck.pptx")
    assert "正式命名为IL-6⁴" in source.pages[0].text
    assert cited_authors(extract_document(source))["1986年该因子被正式命名为IL-6"] == ["Hirano"]


def test_a_slide_reference_list_numbered_in_superscript_is_read_as_one() -> None:
    """Decks often number their footer's references as they mark the claims: superscript."""
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "IL-6与贫血"
    body = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1)).text_frame
    for paragraph, (claim, number) in zip(
        [body.paragraphs[0], body.add_paragraph()],
        [("IL-6诱导肝细胞合成铁调素", "1"), ("托珠单抗改善猴关节炎模型的贫血", "3")],
        strict=True,
    ):
        paragraph.text = claim
        paragraph.add_run().text = number
        paragraph.runs[-1].font._rPr.set("baseline", "30000")
    footer = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(1)).text_frame
    for index, reference in enumerate(REFERENCES[:3]):
        paragraph = footer.paragraphs[0] if index == 0 else footer.add_paragraph()
        paragraph.text = str(index + 1)
        paragraph.runs[0].font._rPr.set("baseline", "30000")
        paragraph.add_run().text = reference
    buffer = BytesIO()
    presentation.save(buffer)
    source = read_document_bytes(buffer.getvalue(), filename="deck.pptx")
    assert "\n³Hashizume M" in source.pages[0].text
    extracted = extract_document(source)
    assert [reference.label for reference in extracted.references] == ["1", "2", "3"]
    assert cited_authors(extracted) == {
        "IL-6诱导肝细胞合成铁调素": ["Nemeth"],
        "托珠单抗改善猴关节炎模型的贫血": ["Hashizume"],
    }


TITLE_PAGE: list[Runs] = [
    [("Interleukin-6 blockade in the anaemia of rheumatoid arthritis", False)],
    [("John Smith", False), ("1", True), (", Mary Jones", False), ("1,2", True),
     (" and Wei Li", False), ("2", True)],
    [("1", True), ("Department of Rheumatology, Mayo Clinic College of Medicine and Science,"
                   " Rochester, Minnesota, United States", False)],
    [("2", True), ("Division of Immunology, Osaka University Graduate School of Medicine,"
                   " Suita, Osaka, Japan", False)],
    [("Recombinant human IL-6 was bought from R&D Systems Inc., Minneapolis, MN, and used as"
      " described by the supplier.", False), ("3", True)],
    [("A citation set by a journal template's character style counts as well.", False),
     ("4", "Citation")],
]  # fmt: skip


def test_a_title_page_numbers_affiliations_not_citations() -> None:
    """Authors' and affiliations' superscripts are not citations; a company's "Inc.," ends no
    sentence; a citation set by a character style (a journal template's) is one."""
    document = docx.Document()
    citation = document.styles.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    citation.font.superscript = True
    data = saved(word_manuscript(TITLE_PAGE, document))
    extracted = extract_document(read_document_bytes(data, filename="paper.docx"))
    assert cited_authors(extracted) == {
        "Recombinant human IL-6 was bought from R&D Systems Inc., Minneapolis, MN, and used as"
        " described by the supplier.": ["Hashizume"],
        "A citation set by a journal template's character style counts as well.": ["Hirano"],
    }


def test_a_slide_bullet_led_by_its_marker_stays_a_claim() -> None:
    """A claim that starts with its superscript marker and names a study is not a reference."""
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    frame = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(2)).text_frame
    frame.text = "1"
    frame.paragraphs[0].runs[0].font._rPr.set("baseline", "30000")
    frame.paragraphs[0].add_run().text = "IL-6 is raised in RA patients, Smith et al. 2019"
    frame.add_paragraph().text = f"1. {REFERENCES[0]}"
    buffer = BytesIO()
    presentation.save(buffer)
    extracted = extract_document(read_document_bytes(buffer.getvalue(), filename="d.pptx"))
    assert cited_authors(extracted) == {
        "IL-6 is raised in RA patients, Smith et al. 2019": ["Nemeth"]
    }


def test_list_items_that_cite_stay_claims_where_author_lines_do_not() -> None:
    """Lines without a full stop: superscripts after names (an author line, Chinese too) number
    affiliations; after a lower-case word or a Chinese phrase they cite."""
    lines: list[Runs] = [
        [("张三", False), ("1", True), ("，李四", False), ("2", True)],
        [("Increased hepcidin", False), ("1", True), (" and reduced iron absorption", False),
         ("2", True)],
        [("铁调素升高", False), ("1", True), ("，小肠铁吸收降低", False), ("3", True)],
        [("Anaemia improves within two weeks of tocilizumab", False), ("3", True)],
    ]  # fmt: skip
    data = saved(word_manuscript(lines))
    extracted = extract_document(read_document_bytes(data, filename="items.docx"))
    assert cited_authors(extracted) == {
        "Increased hepcidin and reduced iron absorption": ["Nemeth", "Raj"],
        "铁调素升高，小肠铁吸收降低": ["Nemeth", "Hashizume"],
        "Anaemia improves within two weeks of tocilizumab": ["Hashizume"],
    }
