"""PowerPoint's automatic numbers (`a:buAutoNum`) are read as if typed: a footer's reference list
numbered by PowerPoint is the slide's reference list, and the markers on the slide resolve."""

from __future__ import annotations

from io import BytesIO

import pptx
from lxml import etree
from pptx.util import Inches

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes
from evidence.ingest.readers.pptx_bullets import AutoNumbers
from tests.test_superscripts import REFERENCES, cited_authors

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def auto_numbered(frame: object, lines: list[tuple[str, int, str]]) -> None:
    """Fill a text frame with paragraphs (text, level, scheme) numbered by PowerPoint."""
    for index, (text, level, scheme) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        paragraph.text, paragraph.level = text, level
        number = etree.SubElement(paragraph._p.get_or_add_pPr(), f"{{{A}}}buAutoNum")
        number.set("type", scheme)


def deck(lines: list[tuple[str, int, str]]) -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    body = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(2)).text_frame
    body.text = "IL-6诱导肝细胞合成铁调素1"
    body.add_paragraph().text = "托珠单抗改善猴关节炎模型的贫血3"
    footer = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(1)).text_frame
    auto_numbered(footer, lines)
    buffer = BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def test_a_footer_numbered_by_powerpoint_is_the_slides_reference_list() -> None:
    source = read_document_bytes(
        deck([(reference, 0, "arabicPeriod") for reference in REFERENCES]), filename="d.pptx"
    )
    assert "\n3. Hashizume M" in source.pages[0].text
    extracted = extract_document(source)
    assert [reference.label for reference in extracted.references] == ["1", "2", "3", "4"]
    assert cited_authors(extracted) == {
        "IL-6诱导肝细胞合成铁调素": ["Nemeth"],
        "托珠单抗改善猴关节炎模型的贫血": ["Hashizume"],
    }


def auto_number(scheme: str, start: int | None = None) -> etree._Element:
    number = etree.Element(f"{{{A}}}buAutoNum", type=scheme)
    if start is not None:
        number.set("startAt", str(start))
    return number


def test_automatic_numbers_count_by_level_and_restart_as_powerpoint_does() -> None:
    """Sub-levels start again under each item; an unnumbered paragraph, a change of scheme or
    of start begins the count again; a scheme not known here counts in digits."""
    numbers = AutoNumbers()
    paragraphs = [
        (auto_number("arabicParenR"), 0, "one"), (auto_number("alphaLcPeriod"), 1, "its part"),
        (auto_number("alphaLcPeriod"), 1, "its other part"), (auto_number("arabicParenR"), 0, "two"),
        (auto_number("romanUcPeriod"), 1, "a new part"), (None, 0, "plain"),
        (auto_number("arabicParenR"), 0, "counted again"), (auto_number("alphaUcParenBoth"), 0, "B"),
        (auto_number("arabicPeriod", 7), 0, "seventh"), (auto_number("arabicPeriod", 7), 0, "eighth"),
        (auto_number("arabicPeriod", 1), 0, "restarted"), (auto_number("circleNumDbPlain"), 0, "x"),
    ]  # fmt: skip
    assert [numbers.label(bullet, level) + text for bullet, level, text in paragraphs] == [
        "1) one", "a. its part", "b. its other part", "2) two", "I. a new part", "plain",
        "1) counted again", "(A) B", "7. seventh", "8. eighth", "1. restarted", "1. x",
    ]  # fmt: skip


def test_numbered_claims_citing_by_author_and_year_stay_claims() -> None:
    claims = [
        ("Tocilizumab improved ACR20 responses at week 24 (Smolen et al., 2008)", 0, "arabicPeriod"),
        ("Haemoglobin rose in anaemic patients (Hashizume et al., 2010)", 0, "arabicPeriod"),
    ]  # fmt: skip
    (page,) = read_document_bytes(deck(claims), filename="d.pptx").pages
    assert page.text.split("\n\n")[1].split("\n") == [f"• {claim}" for claim, _, _ in claims]
