"""Read a document file, or uploaded bytes, into pages; the extension picks the reader."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evidence.errors import DocumentReadError, UnsupportedFormatError
from evidence.ingest.readers.docx import read_docx
from evidence.ingest.readers.extraction import (
    ExtractedText,
    ReadProblem,
    tidy_page_text,
    tidy_title,
)
from evidence.ingest.readers.markdown import read_markdown
from evidence.ingest.readers.pdf import read_pdf
from evidence.ingest.readers.pptx import read_pptx
from evidence.ingest.readers.text import read_text

Reader = Callable[[bytes], ExtractedText]

_FORMATS: dict[str, tuple[str, Reader]] = {
    ".txt": ("txt", read_text),
    ".md": ("md", read_markdown),
    ".markdown": ("md", read_markdown),
    ".pdf": ("pdf", read_pdf),
    ".pptx": ("pptx", read_pptx),
    ".docx": ("docx", read_docx),
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_FORMATS)
# Old binary Office formats: say how to get a file we can read.
_CONVERT_HINTS = {".doc": "save it as .docx", ".ppt": "save it as .pptx"}


@dataclass(frozen=True)
class SourcePage:
    """One slide or page of a document."""

    number: int  # 1-based slide/page number in the source; empty pages are left out
    text: str  # lines separated by "\n", paragraphs by a blank line


@dataclass(frozen=True)
class SourceDocument:
    """A document's text, page by page, and what identifies the file."""

    source_name: str  # the file name as given (basename)
    format: str  # "txt" | "md" | "pdf" | "pptx" | "docx"
    title: str | None  # from document metadata when there is one, else None
    content_hash: str  # sha256 hex of the file's bytes
    pages: list[SourcePage]


def read_document(path: Path) -> SourceDocument:
    """Read the document file at path, or raise DocumentReadError naming it."""
    path = Path(path)
    try:
        if path.is_dir():
            raise DocumentReadError(path, "is a directory, not a document file")
        if not path.exists():
            raise DocumentReadError(path, "no such file")
        _format_of(path.name, label=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentReadError(path, f"cannot read file ({exc.strerror or exc})") from exc
    return _read(data, name=path.name, label=str(path))


def read_document_bytes(data: bytes, *, filename: str) -> SourceDocument:
    """Read uploaded bytes as a document; the extension of filename picks the reader."""
    # Some browsers send the client's full path; keep only the last part, "/" or "\" separated.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return _read(data, name=name, label=filename)


def _read(data: bytes, *, name: str, label: str) -> SourceDocument:
    """Run the reader for name's extension and number the non-empty pages."""
    format_name, reader = _format_of(name, label=label)
    if not data.strip():
        raise DocumentReadError(label, "empty file" if not data else "empty file (only whitespace)")
    try:
        extracted = reader(data)
    except ReadProblem as exc:
        raise DocumentReadError(label, str(exc)) from exc
    pages = [
        SourcePage(number=number, text=text)
        for number, raw in enumerate(extracted.pages, start=1)
        if (text := tidy_page_text(raw))
    ]
    if not pages:
        raise DocumentReadError(label, "no text found")
    return SourceDocument(
        source_name=name,
        format=format_name,
        title=tidy_title(extracted.title),
        content_hash=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


def _format_of(name: str, *, label: str) -> tuple[str, Reader]:
    """Return the format name and reader for a file name, or raise UnsupportedFormatError."""
    extension = Path(name).suffix.lower()
    if extension in _FORMATS:
        return _FORMATS[extension]
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    if not extension:
        problem = f"no file extension, so the format is unknown (supported: {supported})"
    elif extension in _CONVERT_HINTS:
        problem = f"unsupported format {extension}: {_CONVERT_HINTS[extension]}"
    else:
        problem = f"unsupported format {extension} (supported: {supported})"
    raise UnsupportedFormatError(label, problem)
