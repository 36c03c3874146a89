"""Document readers: txt, md, pdf, pptx and docx files in, text page by page out."""

from evidence.ingest.readers.document import (
    SUPPORTED_EXTENSIONS,
    SourceDocument,
    SourcePage,
    read_document,
    read_document_bytes,
)

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "SourceDocument",
    "SourcePage",
    "read_document",
    "read_document_bytes",
]
