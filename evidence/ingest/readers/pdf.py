"""Read PDF: one page of text per PDF page, with pypdf.

Citation numbers set superscript (smaller than the text before them on their line, and raised
above it) are written as Unicode superscripts (evidence.ingest.readers.superscripts), which the
marker finder reads with no guess: `IL-6` + raised `3` reads `IL-6³`, not `IL-63`. pypdf reports
each piece of text it extracts with its place and size; where the pieces do not add up to its
text, or a superscript was raised by the text rise operator alone (`Ts`, which the pieces do not
carry), the page's text is pypdf's as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO

from pypdf import PageObject, PdfReader, mult

from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, describe_exception
from evidence.ingest.readers.superscripts import joined


def read_pdf(data: bytes) -> ExtractedText:
    """Extract each PDF page's text and the document-information title."""
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader)
        pages = [_page_text(page) for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except ReadProblem:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files; none may escape
        raise ReadProblem(f"corrupt or unreadable PDF ({describe_exception(exc)})") from exc
    if not any(page.strip() for page in pages):
        raise ReadProblem(
            "PDF has no extractable text (it may be a scanned image; run OCR on it first)"
        )
    return ExtractedText(pages=pages, title=title)


def _decrypt(reader: PdfReader) -> None:
    """Open a PDF encrypted with an empty user password, as viewers do, or refuse it."""
    try:
        opened = bool(reader.decrypt(""))
    except Exception as exc:  # e.g. AES without the optional cryptography package
        problem = f"encrypted PDF that cannot be opened ({describe_exception(exc)})"
        raise ReadProblem(problem) from exc
    if not opened:
        raise ReadProblem("PDF is password-protected")


def _page_text(page: PageObject) -> str:
    """Return a page's text as pypdf extracts it, citation numbers set superscript written as
    Unicode superscripts."""
    pieces: list[_Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        matrix = mult(tm, cm)
        scale = math.hypot(matrix[2], matrix[3]) or 1.0
        pieces.append(_Piece(text, matrix[5], size * scale))

    extracted = page.extract_text(visitor_text=visit) or ""
    if "".join(piece.text for piece in pieces) != extracted:
        return extracted
    marked: list[tuple[str, bool]] = []
    line: _Piece | None = None  # the last piece of ordinary text on the current line
    for piece in pieces:
        raised = line is not None and bool(piece.text.strip()) and _raised(piece, above=line)
        if piece.text.strip() and not raised:
            line = piece
        if "\n" in piece.text:
            line = None
        marked.append((piece.text, raised))
    return joined(marked)


@dataclass(frozen=True)
class _Piece:
    text: str
    baseline: float  # its height on the page
    size: float  # its font size on the page


def _raised(piece: _Piece, *, above: _Piece) -> bool:
    """Tell whether a piece is set superscript to the text before it: smaller, and its baseline
    raised by at least a sixth of that text's size but less than a whole line."""
    rise = piece.baseline - above.baseline
    return piece.size < 0.85 * above.size and above.size / 6 <= rise < above.size
