"""The upload page: a reviewer gives a document and an API key, and lands on its review page,
its citations looked up in PubMed (or in the local store only) and verified."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import EngineDep, EnrichSlots, SettingsDep, is_valid_key
from api.errors import InvalidApiKeyError, MissingApiKeyError, WritesDisabledError
from api.routes.documents import enrich_and_verify, read_upload
from api.web.rendering import HtmlRoute, error_page, render_page
from evidence.errors import ExternalServiceError
from evidence.ingest.pipeline import ingest_source
from evidence.ingest.readers import SUPPORTED_EXTENSIONS

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


@router.get("/web/upload")
def upload_form(request: Request, settings: SettingsDep) -> Response:
    """Show the form: a file, the API key, and whether to look the citations up in PubMed."""
    return render_page(
        request, "upload.html.j2", writable=bool(settings.api_keys), formats=SUPPORTED_EXTENSIONS
    )


@router.post("/web/upload")
async def upload_document(
    request: Request,
    settings: SettingsDep,
    engine: EngineDep,
    slots: EnrichSlots,
    file: Annotated[UploadFile, File()],
    key: Annotated[str, Form(max_length=500)] = "",
    lookup: Annotated[bool, Form()] = False,
) -> Response:
    """Ingest the file, resolve and verify its citations, and show its review page."""
    if not settings.api_keys:
        raise WritesDisabledError("uploads are disabled on this server: no EVIDENCE_API_KEYS set")
    if not key:
        raise MissingApiKeyError("an upload needs one of this server's API keys")
    if not is_valid_key(settings, key):
        raise InvalidApiKeyError("the key given is not one of this server's API keys")
    source = await run_in_threadpool(read_upload, file)
    report = await run_in_threadpool(ingest_source, engine, source)
    pubmed = settings if lookup else None
    review = f"/web/documents/{report.document_id}"
    try:
        await enrich_and_verify(engine, slots, pubmed, report.document_id)
    except ExternalServiceError as error:  # the document is stored: say so, and lead to it
        stored = ExternalServiceError(
            f"{source.source_name} is stored as document {report.document_id}, but its"
            f" citations could not be looked up in PubMed: {error.message}"
        )
        return error_page(request, stored, link=(review, "Its review page"))
    return RedirectResponse(review, status_code=303)
