"""Tests for evidence.ingest.readers, on small real files written with the same libraries."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import docx
import pptx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from evidence.errors import DocumentReadError, UnsupportedFormatError
from evidence.ingest.readers import (
    SUPPORTED_EXTENSIONS,
    SourceDocument,
    read_document,
    read_document_bytes,
)

SEED_DECK = Path(__file__).parent / "data" / "il6-tocilizumab-ra-deck.txt"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def texts(document: SourceDocument) -> list[str]:
    """Return the page texts of a document."""
    return [page.text for page in document.pages]


def numbers(document: SourceDocument) -> list[int]:
    """Return the page numbers of a document."""
    return [page.number for page in document.pages]


# --- plain text and Markdown -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("one\ftwo\fthree", ["one", "two", "three"]),
        ("p1 line\n\np1 second paragraph\n\n\np2", ["p1 line\n\np1 second paragraph", "p2"]),
        ("a\n\n\n\n\nb", ["a", "b"]),
        ("a\n  \n\t\nb", ["a", "b"]),  # whitespace-only lines are blank lines
        ("  indented\n    deeper   \n\n\nnext  ", ["  indented\n    deeper", "next"]),
        ("with\n\n\n\nruns\fform feed wins", ["with\n\n\n\nruns", "form feed wins"]),
        ("line\r\n\r\n\r\nwindows\rold mac", ["line", "windows\nold mac"]),
        ("\n\n\n\n first\n\n\n\n", [" first"]),
    ],
)
def test_read_text_splits_pages(text: str, pages: list[str]) -> None:
    assert texts(read_document_bytes(text.encode(), filename="notes.txt")) == pages


def test_read_text_keeps_source_numbers_when_a_form_feed_page_is_empty() -> None:
    document = read_document_bytes(b"first\f  \n\f\fthird\f", filename="export.txt")
    assert numbers(document) == [1, 4]
    assert texts(document) == ["first", "third"]


def test_read_document_fills_every_field(tmp_path: Path) -> None:
    data = b"# Title line\n\nBody.\n"
    path = tmp_path / "Notes.MARKDOWN"
    path.write_bytes(data)
    document = read_document(path)
    assert document.source_name == "Notes.MARKDOWN"
    assert document.format == "md"
    assert document.title == "Title line"  # Markdown's first level-1 heading
    assert document.content_hash == hashlib.sha256(data).hexdigest()
    assert texts(document) == ["Title line\n\nBody."]
    assert SUPPORTED_EXTENSIONS == (".txt", ".md", ".markdown", ".pdf", ".pptx", ".docx")


def test_read_document_bytes_keeps_only_the_base_name() -> None:
    document = read_document_bytes(b"text", filename="C:\\Users\\me\\deck notes.txt")
    assert document.source_name == "deck notes.txt"


def test_read_seed_deck_splits_slides_and_keeps_leading_spaces() -> None:
    document = read_document(SEED_DECK)
    assert len(document.pages) == 22
    assert numbers(document) == list(range(1, 23))
    assert document.pages[0].text.startswith(" IL-6的发现历程\n\n1984\n• 日本学者")
    assert document.pages[-1].text.startswith("总  结\n • IL-6信号通路")
    assert all(line == line.rstrip() for page in texts(document) for line in page.split("\n"))


def test_read_gb18030_seed_deck_equals_utf8(tmp_path: Path) -> None:
    path = tmp_path / "deck-gb18030.txt"
    path.write_bytes(SEED_DECK.read_text(encoding="utf-8").encode("gb18030"))
    assert read_document(path).pages == read_document(SEED_DECK).pages


def test_read_gbk_paragraph_is_detected() -> None:
    text = (
        "托珠单抗可全面改善RA的症状体征\n\n"
        "总结：IL-6信号通路在免疫系统及多种组织器官中发挥着重要的作用"
    )
    assert texts(read_document_bytes(text.encode("gbk"), filename="gbk.txt")) == [text]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff托珠单抗\n\n\nIL-6".encode("utf-16-le"),
        "\ufeff托珠单抗\n\n\nIL-6".encode("utf-16-be"),
        "\ufeff托珠单抗\n\n\nIL-6".encode(),
        "\ufeff托珠单抗\n\n\nIL-6".encode("utf-32-le"),
    ],
    ids=["utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-32-bom"],
)
def test_read_text_decodes_bom_encodings(data: bytes) -> None:
    assert texts(read_document_bytes(data, filename="export.txt")) == ["托珠单抗", "IL-6"]


# --- PDF ---------------------------------------------------------------------------------------


def make_pdf(*pages: list[str], title: str | None = None) -> bytes:
    """Write a PDF with one page per list of lines; lines with CJK use STSong-Light."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    drawing = canvas.Canvas(buffer)
    if title is not None:
        drawing.setTitle(title)
    for lines in pages:
        for row, line in enumerate(lines):
            font = "Helvetica" if line.isascii() else "STSong-Light"
            drawing.setFont(font, 12)
            drawing.drawString(72, 720 - 20 * row, line)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_read_pdf_gives_one_page_per_pdf_page_including_cid_chinese(tmp_path: Path) -> None:
    path = tmp_path / "review.pdf"
    path.write_bytes(
        make_pdf(
            ["Tocilizumab blocks the IL-6 receptor.", "Second line."],
            ["托珠单抗可全面改善RA的症状体征"],
            [],
            ["Last page."],
            title="IL-6 review",
        )
    )
    document = read_document(path)
    assert document.format == "pdf"
    assert document.title == "IL-6 review"
    assert numbers(document) == [1, 2, 4]  # the blank third page is left out
    assert texts(document) == [
        "Tocilizumab blocks the IL-6 receptor.\nSecond line.",
        "托珠单抗可全面改善RA的症状体征",
        "Last page.",
    ]


def protected(pdf: bytes, *, algorithm: str, user_password: str = "") -> bytes:
    """Encrypt a PDF as Acrobat's "restrict editing and printing" does: an owner password, and
    a user password only when opening it must be asked for."""
    writer = PdfWriter(clone_from=BytesIO(pdf))
    writer.encrypt(user_password, "owner-secret", algorithm=algorithm)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_read_pdf_restricted_by_its_owner_opens_as_viewers_open_it(algorithm: str) -> None:
    pdf = protected(make_pdf(["托珠单抗可全面改善RA的症状体征"]), algorithm=algorithm)
    assert PdfReader(BytesIO(pdf)).is_encrypted
    document = read_document_bytes(pdf, filename="deck.pdf")
    assert texts(document) == ["托珠单抗可全面改善RA的症状体征"]


def test_read_pdf_that_asks_for_a_password_says_so() -> None:
    pdf = protected(make_pdf(["Secret."]), algorithm="AES-256", user_password="open-me")
    with pytest.raises(DocumentReadError, match=r"^deck\.pdf: PDF is password-protected$"):
        read_document_bytes(pdf, filename="deck.pdf")


# --- PPTX --------------------------------------------------------------------------------------


def set_no_bullet(paragraph: object) -> None:
    """Give a python-pptx paragraph an explicit <a:buNone/>."""
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    etree.SubElement(p_pr, f"{{{A_NS}}}buNone")


def make_pptx(path: Path) -> None:
    """Write a five-slide deck: title slide, bullets, group and table, empty, title only."""
    deck = pptx.Presentation()
    deck.core_properties.title = "IL-6 deck"
    layouts = deck.slide_layouts

    first = deck.slides.add_slide(layouts[0])
    first.shapes.title.text = "IL-6 and RA"
    first.placeholders[1].text = "A review"

    second = deck.slides.add_slide(layouts[1])
    second.shapes.add_textbox(Inches(6), Inches(6), Inches(2), Inches(1)).text = "right box"
    second.shapes.add_textbox(Inches(1), Inches(6), Inches(2), Inches(1)).text = "left box"
    second.shapes.add_textbox(Inches(1), Inches(0), Inches(8), Inches(1)).text = "Top banner"
    second.shapes.title.text = "Mechanism"
    body = second.placeholders[1].text_frame
    body.text = "Tocilizumab blocks IL-6R"
    body.add_paragraph().text = "• Already marked"
    plain = body.add_paragraph()
    plain.text = "Not a bullet"
    set_no_bullet(plain)
    second.shapes.clone_placeholder(layouts[1].placeholders.get(idx=11))
    second.placeholders[11].text = "Company confidential"
    second.notes_slide.notes_text_frame.text = "Say: this is the key slide."

    third = deck.slides.add_slide(layouts[6])
    table = third.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
    for (row, col), value in {(0, 0): "Drug", (0, 1): "Target", (1, 0): "TCZ"}.items():
        table.cell(row, col).text = value
    group = third.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(5), Inches(1), Inches(2), Inches(1)).text = "group right"
    group.shapes.add_textbox(Inches(1), Inches(1), Inches(2), Inches(1)).text = "group left"

    deck.slides.add_slide(layouts[6])
    deck.slides.add_slide(layouts[5]).shapes.title.text = "Summary"
    deck.save(str(path))


def test_read_pptx_orders_slide_text(tmp_path: Path) -> None:
    path = tmp_path / "deck.pptx"
    make_pptx(path)
    document = read_document(path)
    assert document.format == "pptx"
    assert document.title == "IL-6 deck"
    assert numbers(document) == [1, 2, 3, 5]  # slide 4 has no text
    assert texts(document) == [
        "IL-6 and RA\n\nA review",  # a subtitle is not a bullet list
        "Mechanism\n\nTop banner\n\n"
        "• Tocilizumab blocks IL-6R\n• Already marked\nNot a bullet\n\n"
        "left box\n\nright box\n\nCompany confidential\n\nSay: this is the key slide.",
        "group left\n\ngroup right\n\nDrug | Target\nTCZ",
        "Summary",
    ]


def test_read_pptx_charts_as_title_and_one_line_per_series(tmp_path: Path) -> None:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "疗效"
    data = CategoryChartData()
    data.categories = ["托珠单抗", "安慰剂"]
    data.add_series("ACR20 (%)", (59.0, 26.5))
    data.add_series("ACR50 (%)", (44.0, None))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data
    )
    frame.chart.has_title = True
    frame.chart.chart_title.text_frame.text = "托珠单抗组ACR20应答率显著高于安慰剂组"
    path = tmp_path / "chart.pptx"
    deck.save(str(path))
    assert texts(read_document(path)) == [
        "疗效\n\n托珠单抗组ACR20应答率显著高于安慰剂组\n"
        "ACR20 (%) | 托珠单抗: 59 | 安慰剂: 26.5\n"
        "ACR50 (%) | 托珠单抗: 44"
    ]


# --- DOCX --------------------------------------------------------------------------------------


def make_docx(path: Path) -> None:
    """Write a document with a list, a table, a soft break and four kinds of page break."""
    document = docx.Document()
    document.core_properties.title = "Tocilizumab notes"
    chapter = document.styles.add_style("Chapter", WD_STYLE_TYPE.PARAGRAPH)
    chapter.base_style = document.styles["Normal"]
    chapter.paragraph_format.page_break_before = True

    document.add_paragraph("Intro paragraph.").paragraph_format.page_break_before = True
    document.add_paragraph("")
    document.add_paragraph("IL-6 drives CRP", style="List Bullet")
    soft = document.add_paragraph("first line")
    soft.add_run().add_break(WD_BREAK.LINE)
    soft.add_run("second line")
    table = document.add_table(rows=2, cols=2)
    for row, values in enumerate([("Drug", "Dose"), ("TCZ", "8 mg/kg")]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    document.add_page_break()  # type: ignore[no-untyped-call]
    document.add_paragraph("Page two.")
    document.add_paragraph("Page three.").paragraph_format.page_break_before = True
    split = document.add_paragraph("end of three")
    split.add_run().add_break(WD_BREAK.PAGE)
    split.add_run("start of four")
    document.add_paragraph("Page five.", style="Chapter")
    document.save(str(path))


def test_read_docx_splits_on_explicit_page_breaks(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    make_docx(path)
    document = read_document(path)
    assert document.format == "docx"
    assert document.title == "Tocilizumab notes"
    assert numbers(document) == [1, 2, 3, 4, 5]
    assert texts(document) == [
        "Intro paragraph.\n\n• IL-6 drives CRP\n\nfirst line\nsecond line\n\n"
        "Drug | Dose\nTCZ | 8 mg/kg",
        "Page two.",
        "Page three.\n\nend of three",
        "start of four",
        "Page five.",
    ]


TEXT_BOX_RUN = """<w:r %s
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml">
 <mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData
   uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>
   <w:txbxContent><w:p><w:r><w:t>IL-6 drives hepcidin</w:t></w:r></w:p>
   <w:p><w:r><w:t>and so anaemia</w:t></w:r></w:p></w:txbxContent>
  </wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
   <w:p><w:r><w:t>IL-6 drives hepcidin</w:t></w:r></w:p>
   <w:p><w:r><w:t>and so anaemia</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>
  </mc:Fallback>
 </mc:AlternateContent>
</w:r>"""


def test_read_docx_text_boxes_once_after_their_paragraph() -> None:
    document = docx.Document()
    anchor = document.add_paragraph("Figure 2 shows the pathway.")
    anchor._p.append(parse_xml(TEXT_BOX_RUN % nsdecls("w", "wp", "a")))
    document.add_paragraph("Next paragraph.")
    buffer = BytesIO()
    document.save(buffer)
    assert texts(read_document_bytes(buffer.getvalue(), filename="box.docx")) == [
        "Figure 2 shows the pathway.\n\nIL-6 drives hepcidin\n\nand so anaemia\n\nNext paragraph."
    ]


def test_read_docx_without_breaks_is_one_page(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("One.")
    document.add_paragraph("Two.")
    buffer = BytesIO()
    document.save(buffer)
    assert texts(read_document_bytes(buffer.getvalue(), filename="a.docx")) == ["One.\n\nTwo."]


# --- bad input ---------------------------------------------------------------------------------


def office_bytes(kind: str) -> bytes:
    """Return the bytes of a small valid .pptx or .docx."""
    buffer = BytesIO()
    if kind == "pptx":
        deck = pptx.Presentation()
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "Slide"
        deck.save(buffer)
    else:
        document = docx.Document()
        document.add_paragraph("Text.")
        document.save(buffer)
    return buffer.getvalue()


NOISE = random.Random(7).randbytes(3000)
PDF = make_pdf(["Some text."], ["More text."])
BAD_BYTES = [
    ("empty.txt", b"", DocumentReadError, "empty file"),
    ("empty.pdf", b"", DocumentReadError, "empty file"),
    ("blank.txt", b"  \n\t\r\n ", DocumentReadError, "empty file"),
    ("blank16.txt", "\ufeff \n \n".encode("utf-16-le"), DocumentReadError, "empty file"),
    ("blank.docx", b"\n\n", DocumentReadError, "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DocumentReadError, "binary"),
    ("controls.txt", bytes(range(1, 9)) * 40 + b"text", DocumentReadError, "binary"),
    ("mojibake.txt", bytes(range(0x80, 0x100)) * 8, DocumentReadError, "cannot decode"),
    ("table.xls", b"data", UnsupportedFormatError, "unsupported format .xls"),
    ("letter.rtf", b"{\\rtf1 hi}", UnsupportedFormatError, "unsupported format .rtf"),
    ("old.ppt", b"data", UnsupportedFormatError, "save it as .pptx"),
    ("README", b"text", UnsupportedFormatError, "no file extension"),
    ("noise.pdf", NOISE, DocumentReadError, "corrupt or unreadable PDF"),
    ("cut.pdf", PDF[: len(PDF) // 2], DocumentReadError, "corrupt or unreadable PDF"),
    ("scan.pdf", make_pdf([], []), DocumentReadError, "scanned image"),
    ("noise.pptx", NOISE, DocumentReadError, "corrupt or not a .pptx"),
    ("cut.pptx", office_bytes("pptx")[:4000], DocumentReadError, "corrupt or not a .pptx"),
    ("word.pptx", office_bytes("docx"), DocumentReadError, "corrupt or not a .pptx"),
    ("noise.docx", NOISE, DocumentReadError, "corrupt or not a .docx"),
    ("cut.docx", office_bytes("docx")[:4000], DocumentReadError, "corrupt or not a .docx"),
]


@pytest.mark.parametrize(("filename", "data", "error", "phrase"), BAD_BYTES)
def test_read_bad_input_raises_one_line_error_naming_the_file(
    tmp_path: Path, filename: str, data: bytes, error: type[Exception], phrase: str
) -> None:
    path = tmp_path / filename
    path.write_bytes(data)
    reads: list[Callable[[], SourceDocument]] = [
        lambda: read_document(path),
        lambda: read_document_bytes(data, filename=filename),
    ]
    for read in reads:
        with pytest.raises(DocumentReadError) as caught:
            read()
        assert type(caught.value) is error
        message = str(caught.value)
        assert filename in message
        assert phrase in message
        assert "\n" not in message


def test_read_pptx_without_text_says_so(tmp_path: Path) -> None:
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])
    path = tmp_path / "pictures.pptx"
    deck.save(str(path))
    with pytest.raises(DocumentReadError, match=r"pictures\.pptx: presentation has no text"):
        read_document(path)


def test_read_document_refuses_a_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(DocumentReadError) as caught:
        read_document(path)
    assert type(caught.value) is DocumentReadError
    assert str(caught.value) == f"{path}: no such file"


def test_read_document_refuses_a_directory(tmp_path: Path) -> None:
    path = tmp_path / "folder.txt"
    path.mkdir()
    with pytest.raises(DocumentReadError) as caught:
        read_document(path)
    assert type(caught.value) is DocumentReadError
    assert str(caught.value) == f"{path}: is a directory, not a document file"
