"""Ingest a document: read it, extract its claims and references, store them in one transaction.

Reading and extraction happen before anything is written, so a bad file writes nothing; the
same content is stored once (a unique content hash), so re-runs and concurrent runs are no-ops.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evidence.db import session_scope
from evidence.documents import DocumentCounts, document_counts
from evidence.ingest.citation import work_key
from evidence.ingest.extract import extract_document
from evidence.ingest.language import detect_language
from evidence.ingest.readers import SourceDocument, read_document
from evidence.ingest.structure import ExtractedDocument
from evidence.models import Citation, Claim, ClaimCitation, Document, Marker, Page
from evidence.search import index_claims


class IngestReport(DocumentCounts):
    """What one ingest did: the document's counts, and whether it was a no-op."""

    document_id: int
    source_name: str
    created: bool


def ingest_file(engine: Engine, path: Path) -> IngestReport:
    """Read, extract and store one file; a file already stored is reported, not stored again."""
    source = read_document(path)
    return ingest_source(engine, source)


def ingest_source(engine: Engine, source: SourceDocument) -> IngestReport:
    """Extract and store a document already read; one transaction, all or nothing."""
    with Session(engine) as session:
        existing = _find_by_hash(session, source.content_hash)
        if existing is not None:
            return report_for(session, existing, created=False)
    extracted = extract_document(source)
    try:
        with session_scope(engine) as session:
            document = store_document(session, source, extracted)
            report = report_for(session, document, created=True)
    except IntegrityError:
        # Another ingest stored the same content between our check and our write.
        with Session(engine) as session:
            existing = _find_by_hash(session, source.content_hash)
            if existing is None:
                raise
            return report_for(session, existing, created=False)
    return report


def _find_by_hash(session: Session, content_hash: str) -> Document | None:
    return session.exec(select(Document).where(Document.content_hash == content_hash)).first()


def store_document(
    session: Session, source: SourceDocument, extracted: ExtractedDocument
) -> Document:
    """Add a document with its pages, claims, citations, links and markers; flush, no commit."""
    document = Document(
        content_hash=source.content_hash,
        format=source.format,
        kind=extracted.kind,
        title=source.title or _first_line(source),
        source_name=source.source_name,
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    pages: dict[int, Page] = {}
    for extracted_page in extracted.pages:
        page = Page(
            document_id=document.id,
            number=extracted_page.number,
            heading=extracted_page.heading,
            topic=extracted_page.topic,
        )
        session.add(page)
        pages[extracted_page.number] = page
    session.flush()
    citations = []
    for position, reference in enumerate(extracted.references, start=1):
        parsed = reference.parsed
        citation = Citation(
            document_id=document.id,
            page_id=_id(pages[reference.page_number]),
            position=position,
            label=reference.label,
            as_written=reference.as_written,
            authors=list(parsed.authors),
            et_al=parsed.et_al,
            first_author=parsed.first_author,
            title=parsed.title,
            journal=parsed.journal,
            year=parsed.year,
            month=parsed.month,
            volume=parsed.volume,
            issue=parsed.issue,
            supplement=parsed.supplement,
            pages=parsed.pages,
            first_page=parsed.first_page,
            last_page=parsed.last_page,
            article_number=parsed.article_number,
            doi=parsed.doi,
            pmid=parsed.pmid,
            pmcid=parsed.pmcid,
            work_key=work_key(parsed),
        )
        session.add(citation)
        citations.append(citation)
    session.flush()
    claims = []
    for position, extracted_claim in enumerate(extracted.claims, start=1):
        page = pages[extracted_claim.page_number]
        claim = Claim(
            document_id=document.id,
            page_id=_id(page),
            position=position,
            kind=extracted_claim.kind,
            text=extracted_claim.text,
            as_written=extracted_claim.as_written,
            language=detect_language(extracted_claim.text),
            topic=page.topic,
        )
        session.add(claim)
        claims.append(claim)
    session.flush()  # one batched INSERT for all claims
    for claim, extracted_claim in zip(claims, extracted.claims, strict=True):
        for index, method in extracted_claim.cites.items():
            session.add(
                ClaimCitation(claim_id=_id(claim), citation_id=_id(citations[index]), method=method)
            )
        for marker in extracted_claim.markers:
            target = _id(citations[marker.reference]) if marker.reference is not None else None
            session.add(
                Marker(
                    claim_id=_id(claim),
                    position=marker.position,
                    label=marker.label,
                    citation_id=target,
                )
            )
    session.flush()
    index_claims(session, [_id(claim) for claim in claims])
    return document


def _id(row: Page | Citation | Claim) -> int:
    """Return the id of a flushed row."""
    assert row.id is not None, "flush before reading ids"
    return row.id


def _first_line(source: SourceDocument) -> str | None:
    for page in source.pages:
        for line in page.text.split("\n"):
            if line.strip():
                return line.strip()[:200]
    return None


def report_for(session: Session, document: Document, *, created: bool) -> IngestReport:
    """Count what is stored for a document."""
    counts = document_counts(session, document_id=document.id or 0)
    return IngestReport(
        document_id=document.id or 0,
        source_name=document.source_name,
        created=created,
        **counts.model_dump(),
    )
