"""Export: the works cited by every document, one document, a search's claims or one claim, as
BibTeX, RIS or CSL-JSON, downloaded as a file (as `evidence export` writes them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import DocumentFilter, SessionDep, TopicFilter, VerdictFilter
from api.errors import error_responses
from evidence.documents import MAX_ID
from evidence.export import ExportOptions, Policy, select_works
from evidence.export.formats import MEDIA_TYPES, ExportFormat, render

router = APIRouter(prefix="/export", tags=["export"], responses=error_responses(404, 422))

FormatParam = Annotated[
    ExportFormat, Path(description="`bibtex` (.bib), `ris` (.ris) or `csljson` (CSL-JSON).")
]
ClaimFilter = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only the works this claim cites (its id).")
]
# No NUL: PostgreSQL cannot hold it in text (as api.deps.SearchText).
SearchFilter = Annotated[
    str | None,
    Query(max_length=500, pattern=r"^[^\x00]*$", description="Only works cited by the claims "
          "these words find (as `GET /claims?q=`)."),
]  # fmt: skip
# CSL-JSON is JSON (an array of items); the other two are text.
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The works as a file to download (`Content-Disposition: attachment`).",
        "headers": {
            "X-Evidence-Capped": {
                "description": "`true` when the search that chose the works was cut short "
                "(a word held by more papers than search looks in; see `GET /claims`).",
                "schema": {"type": "string"},
            }
        },
        "content": {
            MEDIA_TYPES[ExportFormat.bibtex]: {"schema": {"type": "string"}},
            MEDIA_TYPES[ExportFormat.ris]: {"schema": {"type": "string"}},
            MEDIA_TYPES[ExportFormat.csljson]: {
                "schema": {"type": "array", "items": {"type": "object"}}
            },
        },
    }
}


@router.get(
    "/{format}",
    summary="Export cited works for a reference manager",
    response_class=Response,
    responses=DOWNLOADS,
)
def export_works(
    session: SessionDep,
    format: FormatParam,
    document: DocumentFilter = None,
    q: SearchFilter = None,
    claim: ClaimFilter = None,
    topic: TopicFilter = None,
    verdict: VerdictFilter = None,
    abstracts: Annotated[bool, Query(description="Include PubMed's abstracts.")] = False,
    keywords: Annotated[bool, Query(description="Include PubMed's keywords.")] = False,
    latex: Annotated[
        bool, Query(description='BibTeX only: escape for classic BibTeX (ASCII, `{\\"o}`).')
    ] = False,
    status: Annotated[
        bool, Query(description="Add each work's verdict and when PubMed was last checked.")
    ] = False,
    retracted: Annotated[
        Policy, Query(description="Retracted works: keep, mark (in notes) or exclude.")
    ] = Policy.keep,
    unverified: Annotated[
        Policy,
        Query(description="Works no check confirmed (retracted aside): keep, mark or exclude."),
    ] = Policy.keep,
) -> Response:
    """Write every distinct work cited — by all documents, or only `document`'s, the claims a
    search finds (`q`, `topic`), or one `claim`'s, only with `verdict` if given — once,
    resolved or not, as a file to download."""
    selection = select_works(  # an unknown document or claim is a 404, not an empty file
        session, document_id=document, query=q, claim_id=claim, topic=topic, verdict=verdict
    )
    options = ExportOptions(
        abstracts=abstracts,
        keywords=keywords,
        status=status,
        retracted=retracted,
        unverified=unverified,
    )
    searched = bool((q or "").strip() or (topic or "").strip() or verdict)
    filename = export_filename(format, document=document, claim=claim, searched=searched)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if selection.evidence_capped:  # see GET /claims' evidence_capped
        headers["X-Evidence-Capped"] = "true"
    return Response(
        render(selection.works, format, options, latex=latex),
        media_type=format.media_type,
        headers=headers,
    )


def export_filename(
    format: ExportFormat, *, document: int | None, claim: int | None, searched: bool
) -> str:
    """Name the download after what it holds, in ASCII: `evidence-document-1-search.bib`."""
    parts = ["evidence"]
    if document is not None:
        parts.append(f"document-{document}")
    if claim is not None:
        parts.append(f"claim-{claim}")
    if searched:
        parts.append("search")
    if len(parts) == 1:
        parts.append("all")
    return "-".join(parts) + format.suffix
