"""Read PDF: one page of text per PDF page, with pypdf."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, describe_exception


def read_pdf(data: bytes) -> ExtractedText:
    """Extract each PDF page's text and the document-information title."""
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader)
        pages = [page.extract_text() or "" for page in reader.pages]
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
