"""Choose how to read a document's pages: as a manuscript or as a slide deck."""

from __future__ import annotations

from evidence.ingest.manuscript import extract_manuscript
from evidence.ingest.readers import SourceDocument
from evidence.ingest.slides import extract_slides
from evidence.ingest.structure import ExtractedDocument


def extract_document(source: SourceDocument) -> ExtractedDocument:
    """Extract claims, references and links from a document read from a file."""
    texts = [page.text for page in source.pages]
    return extract_manuscript(texts) or extract_slides(texts)
