"""Read Word (.docx): paragraphs and tables in order, with python-docx.

Explicit page breaks (`<w:br w:type="page"/>` and paragraphs with "page break before") split
pages; Word's own layout is not known, so a document without them is one page. Paragraphs are
separated by blank lines so that the claim extractor sees them; list paragraphs get "• ".
Footnotes and endnotes are read (`docx_notes`), and text boxes after the paragraph they are
anchored in. Of headers and footers only references are kept (`docx_headers`): with the notes
that cite, they make the numbered reference list that ends the last page. Tracked changes read
as the document now reads (`docx_runs`); comments are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, partial
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from evidence.ingest.readers.docx_headers import (
    RunningReference,
    find_running_references,
    header_footer_roots,
    number_references,
)
from evidence.ingest.readers.docx_notes import (
    NOTE_KINDS,
    REFERENCES_HEADING,
    DocumentNotes,
    read_notes,
)
from evidence.ingest.readers.docx_numbering import BULLET, ListNumbers
from evidence.ingest.readers.docx_runs import (
    FALLBACK,
    is_superscript,
    is_symbol_font,
    run_words,
    runs_read,
    showing_placeholder,
    superscript_styles,
    symbol_text,
    words_read,
    words_read_in,
)
from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, describe_exception
from evidence.ingest.readers.superscripts import joined
from evidence.ingest.reference_lines import NUMBERED, numbered_label, reads_as_listed_reference

_PAGE_BREAK = "\f"  # stands for <w:br w:type="page"/> inside one paragraph's text
# What a superscript run holding only words may hold besides them (its formatting).
_RUN_WORDS = frozenset(
    {qn("w:t"), qn("w:rPr"), qn("w:sym"), qn("w:lastRenderedPageBreak")}  # where a page began
)
# w:ptab is the positional tab that lays out Word's header and footer (left, centre, right).
_RUN_TEXT = {
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
_LABEL_ONLY = re.compile(r"\s*(?:\[\d{1,3}\]|\d{1,3}\s*[.、)）])\s*")  # "3." before a tab
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


@dataclass(frozen=True)
class _Context:
    """What reading a paragraph needs of the whole document."""

    notes: DocumentNotes
    raised_styles: frozenset[str]  # the character styles that set text superscript


def _document_pages(document: WordDocument) -> list[str]:
    """Walk the body's paragraphs and tables, starting a new page at each explicit break; the
    notes the body refers to and the references of headers and footers end the last page."""
    body = document.element.body
    notes = DocumentNotes(read_notes(document))
    style_of = cache(partial(document.styles.get_by_id, style_type=WD_STYLE_TYPE.PARAGRAPH))
    context = _Context(notes, superscript_styles(document))
    texts = [words_read(p) for p in body.iter(qn("w:p"))]
    own_list = [i for i, text in enumerate(texts) if REFERENCE_LIST.fullmatch(text)]
    notes.as_references = not own_list
    roots = header_footer_roots(document)
    running = find_running_references(
        _header_footer_lines([r for r in roots if r.tag == qn("w:hdr")], context),
        _header_footer_lines([r for r in roots if r.tag == qn("w:ftr")], context),
    )
    numbers = ListNumbers(document)
    pages: list[list[str]] = [[]]
    labelled: list[str] = []  # each body paragraph's text as read, its list label first
    page_started = False  # a "page break before" at the top of a page adds no page
    for block in _blocks(body):
        if block.tag == qn("w:tbl"):
            pages[-1].append(_table_text(block, context))
            page_started = True
            continue
        paragraph = Paragraph(block, document)
        style = style_of(block.style)  # python-docx finds the default style anew each time
        if _breaks_page_before(paragraph, style) and page_started:
            pages.append([])
        pieces = _paragraph_text(block, context).split(_PAGE_BREAK)
        label = numbers.label(block, style) if pieces[0].strip() else ""  # counts the list
        if label in ("", BULLET) or not reads_as_listed_reference(pieces[0]):
            label = BULLET if _is_list(block, style) else ""  # a number shown only on references
        labelled.append(label + pieces[0])
        for index, piece in enumerate(pieces):
            if index > 0:
                pages.append([])
            if piece.strip():
                pages[-1].append(label + piece if index == 0 else piece)
        pages[-1] += [text for text in _text_box_paragraphs(block, context) if text.strip()]
        page_started = True
    listed = None
    if own_list:
        # The body's list is the list: a footer that repeats one of its references adds nothing,
        # and the others continue it after its last number.
        held = " ".join(" ".join(texts).split())
        running = [reference for reference in running if reference.text not in held]
        headings = [i for i, text in enumerate(labelled) if REFERENCE_LIST.fullmatch(text)]
        listed = _numbers(labelled[headings[-1] :] if headings else [])
    closing = _closing_text(notes, running, listed=listed)
    if closing:
        pages[-1].append(closing)
    return ["\n\n".join(paragraphs) for paragraphs in pages]


def _blocks(parent: Any) -> Iterator[Any]:
    """Yield the paragraphs and tables under `parent` in document order, through content
    controls (`w:sdt`, unless showing their placeholder) and custom XML at any depth."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt") and not showing_placeholder(child):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif child.tag == qn("w:customXml"):
            yield from _blocks(child)


def _header_footer_lines(roots: list[Any], context: _Context) -> list[str]:
    """Return the lines of these headers or footers, tables and text boxes included; tabs
    separate what Word sets left, centre and right, so they end a line too."""
    return [
        line
        for root in roots
        for p in root.iter(qn("w:p"))
        if not any(ancestor.tag == FALLBACK for ancestor in p.iterancestors())
        for line in _label_joined(re.split(r"[\t\n\f]", _paragraph_text(p, context)))
        if line.strip()
    ]


def _label_joined(pieces: list[str]) -> list[str]:
    """Join a piece that is only a list number ("3.", "[3]") to the text after it: Word sets a
    numbered line as number, tab, text."""
    joined: list[str] = []
    for piece in pieces:
        if joined and _LABEL_ONLY.fullmatch(joined[-1]):
            joined[-1] = f"{joined[-1].strip()} {piece}"
        else:
            joined.append(piece)
    return joined


def _numbers(paragraphs: list[str]) -> set[int]:
    """Return the numbers of the numbered lines among paragraphs."""
    found = (NUMBERED.match(text) for text in paragraphs)
    return {int(numbered_label(m)) for m in found if m is not None}


def _closing_text(
    notes: DocumentNotes, running: list[RunningReference], *, listed: set[int] | None
) -> str:
    """Return the plain notes, then the numbered references of notes and of headers and footers,
    for the end of the last page: under a heading, or after the numbers `listed` in the body's
    own reference list (None when it has none)."""
    cited = {n: notes.texts[key] for key, n in notes.numbers.items() if n}
    lines = [*cited.items(), *number_references(running, taken=(listed or set()) | set(cited))]
    blocks = list(notes.plain)
    if lines:
        numbered = "\n".join(f"{n}. {text}" for n, text in sorted(lines))
        blocks.append(numbered if listed is not None else f"{REFERENCES_HEADING}\n{numbered}")
    return "\n\n".join(blocks)


def _paragraph_text(p: Any, context: _Context) -> str:
    """Return a w:p element's text, with a form feed where it has a page break and citation
    numbers set superscript as Unicode superscripts (evidence.ingest.readers.superscripts)."""
    pieces: list[tuple[str, bool]] = []
    for run in runs_read(p):
        if is_superscript(run, context.raised_styles) and all(
            child.tag in _RUN_WORDS for child in run.iterchildren()
        ):
            pieces.append((words_read_in(run), True))
            continue
        symbol = is_symbol_font(run)
        for child in run.iterchildren():
            if child.tag == qn("w:t"):
                text = run_words(child.text, symbol=symbol)
            elif child.tag == qn("w:br"):
                text = _PAGE_BREAK if child.get(qn("w:type")) == "page" else "\n"
            elif child.tag in NOTE_KINDS:
                text = context.notes.marker(child)
            elif child.tag == qn("w:sym"):
                text = symbol_text(child)
            else:
                text = _RUN_TEXT.get(child.tag, "")
            pieces.append((text, False))
    return joined(pieces)


def _text_box_paragraphs(p: Any, context: _Context) -> list[str]:
    """Return the paragraphs of the text boxes anchored in a paragraph (callouts), once: Word
    writes each box twice, as DrawingML and as a VML fallback for old readers."""
    return [
        _paragraph_text(inner, context).replace(_PAGE_BREAK, " ")
        for box in p.iter(qn("w:txbxContent"))
        if not any(ancestor.tag == FALLBACK for ancestor in box.iterancestors())
        for inner in box.iter(qn("w:p"))
    ]


def _table_text(tbl: Any, context: _Context) -> str:
    """Return a table as one line per row, its non-empty cells joined by " | "."""
    rows = []
    for tr in tbl.xpath("./w:tr"):
        cells = []
        for tc in tr.xpath("./w:tc"):
            if _continues_vertical_merge(tc):
                continue
            texts = [_paragraph_text(p, context) for p in tc.xpath(".//w:p")]
            cells.append(" ".join(" ".join(texts).split()))  # split() also drops form feeds
        line = " | ".join(cell for cell in cells if cell)
        if line:
            rows.append(line)
    return "\n".join(rows)


def _continues_vertical_merge(tc: Any) -> bool:
    """Tell whether a cell is the lower part of a vertically merged cell (its text is above)."""
    merges = tc.xpath("./w:tcPr/w:vMerge")
    return bool(merges) and bool(merges[0].get(qn("w:val")) != "restart")


def _breaks_page_before(paragraph: Paragraph, style: Any) -> bool:
    """Resolve "page break before" from the paragraph, then its style and that style's bases."""
    direct = paragraph.paragraph_format.page_break_before
    if direct is not None:
        return bool(direct)
    while isinstance(style, ParagraphStyle):
        inherited = style.paragraph_format.page_break_before
        if inherited is not None:
            return bool(inherited)
        style = style.base_style
    return False


def _is_list(paragraph: Any, style: Any) -> bool:
    """Tell whether a paragraph is a list item: a "List" style or its own numbering."""
    if style is not None and style.name is not None and _LIST_STYLE_MARK in style.name:
        return True
    numbering = paragraph.xpath("./w:pPr/w:numPr/w:numId")
    return bool(numbering) and bool(numbering[0].get(qn("w:val")) != "0")
