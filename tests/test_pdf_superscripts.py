"""PDF: citation numbers set superscript (smaller, and raised by the text matrix, as office
suites write them) are markers with no guess; powers and subscripts stay text."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes
from tests.test_superscripts import cited_authors

OFFICE_PDF = Path(__file__).parent / "data" / "office-pdf"


def test_a_slide_exported_to_pdf_keeps_its_superscript_markers() -> None:
    source = read_document_bytes((OFFICE_PDF / "slides.pdf").read_bytes(), filename="s.pdf")
    lines = source.pages[0].text.split("\n")
    assert lines[1:4] == [
        "The B-cell stimulatory factor was named IL-6⁴",
        "IL-6 raised platelet counts to 106 per mL in monkeys³",  # 10⁶: a power, as text
        "Arterial CO2 did not change",  # a subscript
    ]
    cited = cited_authors(extract_document(source))
    assert cited["The B-cell stimulatory factor was named IL-6"] == ["Hirano"]
    assert cited["IL-6 raised platelet counts to 106 per mL in monkeys"] == ["Hashizume"]


def test_a_manuscript_exported_to_pdf_links_its_superscript_citations() -> None:
    source = read_document_bytes((OFFICE_PDF / "manuscript.pdf").read_bytes(), filename="m.pdf")
    assert cited_authors(extract_document(source)) == {
        "IL-6 drives the anaemia of inflammation in rheumatoid arthritis.": ["Nemeth", "Raj"],
        "Tocilizumab kept platelets above 150×109/L in treated monkeys.": ["Hashizume"],
    }


def test_a_raised_number_after_chinese_text_is_a_marker() -> None:
    """Drawn piece by piece, each at its own place, as PDF writers do."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    drawing = canvas.Canvas(buffer)
    text = drawing.beginText(72, 720)
    x = 72.0
    for words, size, rise in [
        ("正式命名为IL-6", 14, 0),
        ("3", 8, 6),
        ("，并克隆了它的基因", 14, 0),
    ]:
        text.setTextOrigin(x, 720 + rise)
        text.setFont("STSong-Light", size)
        text.textOut(words)
        x += pdfmetrics.stringWidth(words, "STSong-Light", size)
    drawing.drawText(text)
    drawing.showPage()
    drawing.save()
    (page,) = read_document_bytes(buffer.getvalue(), filename="deck.pdf").pages
    assert page.text == "正式命名为IL-6³，并克隆了它的基因"
