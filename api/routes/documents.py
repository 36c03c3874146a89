"""Documents: list, one with its pages, claims and verdicts; upload one; enrich and verify one."""

from __future__ import annotations

from contextlib import nullcontext
from functools import partial
from typing import Annotated

import anyio
from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from api.deps import (
    Cursor,
    EngineDep,
    EnrichSlots,
    Id,
    Limit,
    PubMedSettings,
    SessionDep,
    WriteAccess,
)
from api.errors import UploadTooLargeError, error_responses
from evidence.browse import DocumentPage, documents_page
from evidence.config import Settings
from evidence.db import session_scope
from evidence.documents import (
    DocumentDetail,
    VerdictSummary,
    get_document_detail,
    summarize_verdicts,
)
from evidence.ingest.pipeline import IngestReport, ingest_source
from evidence.ingest.readers import SUPPORTED_EXTENSIONS, SourceDocument, read_document_bytes
from evidence.pubmed.client import EUtilsClient
from evidence.pubmed.enrich import EnrichReport, enrich_citations
from evidence.verify import verify
from evidence.views import get_document

router = APIRouter(prefix="/documents", tags=["documents"], responses=error_responses(404, 422))
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a 500-slide deck as PDF is ~20 MB
WRITE_ERRORS = error_responses(401, 403)


class IngestResult(BaseModel):
    """What an upload did, in a sentence and in counts."""

    message: str
    report: IngestReport


class EnrichResult(BaseModel):
    """What enrichment did, and where the document's evidence stands after verification."""

    enrichment: EnrichReport
    summary: VerdictSummary


@router.get("")
def read_documents(session: SessionDep, limit: Limit = 20, cursor: Cursor = None) -> DocumentPage:
    """List the documents with their counts, oldest first; one page at a time."""
    return documents_page(session, limit=limit, cursor=cursor)


@router.get("/{document_id}")
def read_document(session: SessionDep, document_id: Id) -> DocumentDetail:
    """Return a document with its pages, claims and a summary of its citations' verdicts."""
    return get_document_detail(session, document_id=document_id)


@router.post(
    "",
    status_code=201,
    dependencies=[WriteAccess],
    responses={
        200: {"model": IngestResult, "description": "The same content is already stored."},
        **WRITE_ERRORS,
        **error_responses(400, 413, 415),  # 400: a body that is not multipart
    },
)
def upload_document(
    engine: EngineDep,
    response: Response,
    file: Annotated[UploadFile, File(description=f"One of {', '.join(SUPPORTED_EXTENSIONS)}.")],
) -> IngestResult:
    """Store an uploaded document's claims and citations; the same content again is a no-op."""
    source = read_upload(file)
    report = ingest_source(engine, source)
    if report.created:
        response.headers["Location"] = f"/documents/{report.document_id}"
    else:
        response.status_code = 200
    return IngestResult(message=describe_ingest(source.source_name, report), report=report)


@router.post(
    "/{document_id}/enrich",
    dependencies=[WriteAccess],
    responses={**WRITE_ERRORS, **error_responses(502, 503)},
)
async def enrich_document(
    engine: EngineDep, slots: EnrichSlots, pubmed: PubMedSettings, document_id: Id
) -> EnrichResult:
    """Resolve the document's citations to PubMed (`offline`: from the local store only), then
    verify them; PubMed's failures answer 502."""
    return await enrich_and_verify(engine, slots, pubmed, document_id)


def read_upload(file: UploadFile) -> SourceDocument:
    """Read an uploaded file as a document (UploadTooLargeError past MAX_UPLOAD_BYTES)."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLargeError(f"{file.filename}: larger than {MAX_UPLOAD_BYTES} bytes")
    return read_document_bytes(data, filename=file.filename or "upload")


async def enrich_and_verify(
    engine: Engine, slots: CapacityLimiter, pubmed: Settings | None, document_id: int
) -> EnrichResult:
    """Resolve a document's citations through E-utilities reached with these settings (None:
    from the local store only), then verify them: in a worker thread, with an event loop of its
    own, at most `slots` at once (the others wait their turn). Enrichment reads and writes the
    database between its requests to PubMed (seconds for a few hundred citations), and in the
    server's event loop that work held up every other request of the process meanwhile. The
    transaction commits whole or not at all, and runs to its end even when the client goes
    away."""
    enrich = partial(_enrich_and_verify, engine, pubmed, document_id)
    return await to_thread.run_sync(anyio.run, enrich, limiter=slots)


async def _enrich_and_verify(
    engine: Engine, pubmed: Settings | None, document_id: int
) -> EnrichResult:
    async with EUtilsClient(pubmed) if pubmed else nullcontext() as client:
        with session_scope(engine) as session:
            get_document(session, document_id)
            report = await enrich_citations(session, client=client, document_id=document_id)
            verify(session, document_id=document_id)
            summary = summarize_verdicts(session, document_id=document_id)
    return EnrichResult(enrichment=report, summary=summary)


def describe_ingest(name: str, report: IngestReport) -> str:
    """Say in one line what the upload of file `name` did."""
    if not report.created:
        return (
            f"{name}: the same content already exists as document {report.document_id} "
            f"({report.source_name}); nothing changed"
        )
    return (
        f"{name}: stored as document {report.document_id}: {report.claims} claims, "
        f"{report.citations} citations of {report.works} works, "
        f"{report.dangling_markers} dangling markers"
    )
