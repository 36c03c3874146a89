"""Read Word (.docx): paragraphs and tables in order, with python-docx.

Explicit page breaks (`<w:br w:type="page"/>` and paragraphs with "page break before") split
pages; Word's own layout is not known, so a document without them is one page. Paragraphs are
separated by blank lines so that the claim extractor sees them; list paragraphs get "• ".
Footnotes and endnotes are read (`docx_notes`), and text boxes after the paragraph they are
anchored in; headers, footers and comments are not.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from evidence.ingest.readers.docx_notes import NOTE_KINDS, DocumentNotes, read_notes
from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, describe_exception

# Block-level content, including content controls (w:sdt), in document order.
_BLOCKS = "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/w:p | ./w:sdt/w:sdtContent/w:tbl"
# Runs that are part of the paragraph's own text; runs inside drawings (text boxes) are not.
_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
    " | ./w:sdt/w:sdtContent/w:r"
)
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PAGE_BREAK = "\f"  # stands for <w:br w:type="page"/> inside one paragraph's text
_RUN_TEXT = {qn("w:tab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_LIST_STYLE_MARK = "List"  # Word's "List Paragraph", "List Bullet 2", "List Number", ...
# A reference list of the body's own: then notes are not made into one.
REFERENCE_LIST = re.compile(r"\s*(?:references?|bibliography|参考文献)\s*[:：]?\s*", re.I)


def read_docx(data: bytes) -> ExtractedText:
    """Extract the pages, split at explicit page breaks, and the core-properties title."""
    try:
        document = Document(BytesIO(data))
        pages = _document_pages(document)
        title = document.core_properties.title
    except Exception as exc:  # python-docx raises zip, XML, key and value errors on damaged files
        raise ReadProblem(f"corrupt or not a .docx file ({describe_exception(exc)})") from exc
    if not any(page.strip() for page in pages):
        raise ReadProblem("document has no text")
    return ExtractedText(pages=pages, title=title)


def _document_pages(document: WordDocument) -> list[str]:
    """Walk the body's paragraphs and tables, starting a new page at each explicit break; the
    notes the body refers to end the last page."""
    body = document.element.body
    notes = DocumentNotes(read_notes(document))
    if notes.texts:
        paragraphs = (
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
        )
        notes.as_references = not any(REFERENCE_LIST.fullmatch(text) for text in paragraphs)
    pages: list[list[str]] = [[]]
    page_started = False  # a "page break before" at the top of a page adds no page
    for block in body.xpath(_BLOCKS):
        if block.tag == qn("w:tbl"):
            pages[-1].append(_table_text(block, notes))
            page_started = True
            continue
        paragraph = Paragraph(block, document)
        if _breaks_page_before(paragraph) and page_started:
            pages.append([])
        pieces = _paragraph_text(block, notes).split(_PAGE_BREAK)
        bullet = "• " if _is_list(paragraph) else ""
        for index, piece in enumerate(pieces):
            if index > 0:
                pages.append([])
            if piece.strip():
                pages[-1].append(bullet + piece if index == 0 else piece)
        pages[-1] += [text for text in _text_box_paragraphs(block, notes) if text.strip()]
        page_started = True
    closing = notes.closing_text()
    if closing:
        pages[-1].append(closing)
    return ["\n\n".join(paragraphs) for paragraphs in pages]


def _paragraph_text(p: Any, notes: DocumentNotes) -> str:
    """Return a w:p element's text, with a form feed where it has a page break."""
    parts: list[str] = []
    for run in p.xpath(_RUNS):
        for child in run.iterchildren():
            if child.tag == qn("w:t"):
                parts.append(child.text or "")
            elif child.tag == qn("w:br"):
                parts.append(_PAGE_BREAK if child.get(qn("w:type")) == "page" else "\n")
            elif child.tag in NOTE_KINDS:
                parts.append(notes.marker(child))
            else:
                parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)


def _text_box_paragraphs(p: Any, notes: DocumentNotes) -> list[str]:
    """Return the paragraphs of the text boxes anchored in a paragraph (callouts), once: Word
    writes each box twice, as DrawingML and as a VML fallback for old readers."""
    return [
        _paragraph_text(inner, notes).replace(_PAGE_BREAK, " ")
        for box in p.iter(qn("w:txbxContent"))
        if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors())
        for inner in box.iter(qn("w:p"))
    ]


def _table_text(tbl: Any, notes: DocumentNotes) -> str:
    """Return a table as one line per row, its non-empty cells joined by " | "."""
    rows = []
    for tr in tbl.xpath("./w:tr"):
        cells = []
        for tc in tr.xpath("./w:tc"):
            if _continues_vertical_merge(tc):
                continue
            texts = [_paragraph_text(p, notes) for p in tc.xpath(".//w:p")]
            cells.append(" ".join(" ".join(texts).split()))  # split() also drops form feeds
        line = " | ".join(cell for cell in cells if cell)
        if line:
            rows.append(line)
    return "\n".join(rows)


def _continues_vertical_merge(tc: Any) -> bool:
    """Tell whether a cell is the lower part of a vertically merged cell (its text is above)."""
    merges = tc.xpath("./w:tcPr/w:vMerge")
    return bool(merges) and bool(merges[0].get(qn("w:val")) != "restart")


def _breaks_page_before(paragraph: Paragraph) -> bool:
    """Resolve "page break before" from the paragraph, then its style and that style's bases."""
    direct = paragraph.paragraph_format.page_break_before
    if direct is not None:
        return bool(direct)
    style = paragraph.style
    while isinstance(style, ParagraphStyle):
        inherited = style.paragraph_format.page_break_before
        if inherited is not None:
            return bool(inherited)
        style = style.base_style
    return False


def _is_list(paragraph: Paragraph) -> bool:
    """Tell whether a paragraph is a list item: a "List" style or its own numbering."""
    style = paragraph.style
    if style is not None and style.name is not None and _LIST_STYLE_MARK in style.name:
        return True
    numbering = paragraph._p.xpath("./w:pPr/w:numPr/w:numId")
    return bool(numbering) and bool(numbering[0].get(qn("w:val")) != "0")
