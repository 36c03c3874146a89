"""Claims as users see them: the JSON shapes of the CLI and the API, each claim with where it
stands, the citations it makes and its markers.

Field names here are a contract that users' scripts rely on; add, never rename.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from evidence.id_lists import among
from evidence.models import Citation, Claim, ClaimCitation, Marker, Page, Paper
from evidence.views import PARSED_FIELDS, get_document


class ClaimCitationPublic(BaseModel):
    """A citation as seen from a claim that cites it, with how the link was made."""

    id: int
    label: str | None
    as_written: str
    link: str
    fields: dict[str, Any]
    pmid: str | None  # the resolved PMID, once enrichment found it
    resolution: str | None  # the resolution status, once enrichment ran
    verdict: str | None  # the verification verdict, once verification ran


class MarkerPublic(BaseModel):
    """A marker in a claim; `citation_id` is None when the marker is dangling."""

    label: str
    position: int
    citation_id: int | None


class ClaimPublic(BaseModel):
    """A claim with where it stands and what it cites."""

    id: int
    document: int
    page: int
    position: int
    kind: str
    topic: str | None
    language: str
    text: str
    as_written: str
    citations: list[ClaimCitationPublic]
    markers: list[MarkerPublic]


Shaped = TypeVar("Shaped", bound=ClaimPublic)  # ClaimPublic, or a model adding fields to it


def list_claims(session: Session, *, document_id: int | None = None) -> list[ClaimPublic]:
    """Return claims in document order, each with its citations and markers."""
    query = select(Claim, Page.number).join(Page, col(Page.id) == col(Claim.page_id))
    if document_id is not None:
        get_document(session, document_id)
        query = query.where(Claim.document_id == document_id)
    rows = session.exec(query.order_by(col(Claim.document_id), col(Claim.position))).all()
    return claims_public(session, list(rows), ClaimPublic)


def claims_by_ids(session: Session, claim_ids: list[int]) -> list[ClaimPublic]:
    """Return these claims, in the order given."""
    return claims_shaped(session, claim_ids, ClaimPublic)


def claims_shaped(
    session: Session,
    claim_ids: list[int],
    shape: type[Shaped],
    more: Callable[[ClaimColumns], dict[str, Any]] | None = None,
) -> list[Shaped]:
    """Return these claims, in the order given, as `shape` (ClaimPublic or a model adding
    fields to it), with the fields `more` gives for each (a search's score and snippet)."""
    order = {claim_id: index for index, claim_id in enumerate(claim_ids)}
    connection = session.connection()
    statement = _claims_by_ids_query(connection.dialect.name)
    found = connection.execute(statement, {"claim_ids": claim_ids}).all()
    rows: list[Any] = sorted(found, key=lambda row: order[row.id])
    return claims_public(session, [(row, row.number) for row in rows], shape, more)


class ClaimColumns(Protocol):
    """What claims_public reads of a claim: a `Claim`, or a row of CLAIM_COLUMNS."""

    id: int | None
    document_id: int
    position: int
    kind: str
    topic: str | None
    language: str
    text: str
    as_written: str


CLAIM_COLUMNS = tuple(
    Claim.__table__.c[name]  # type: ignore[attr-defined]
    for name in ClaimColumns.__annotations__
)
CITED_COLUMNS = (
    col(ClaimCitation.claim_id), col(ClaimCitation.method), col(Citation.id), col(Citation.label),
    col(Citation.as_written), col(Citation.resolution_status), col(Citation.verdict),
    col(Paper.pmid), *(Citation.__table__.c[name] for name in PARSED_FIELDS),  # type: ignore[attr-defined]
)  # fmt: skip

# The statements of a page of claims, built once for each backend (building one cost as much as
# running it), the ids bound as one list (evidence.id_lists): the claims (rows of plain columns,
# named as Claim's attributes, no ORM objects to build), their citations and their markers.


@lru_cache(maxsize=8)
def _claims_by_ids_query(dialect: str) -> Any:
    return (
        sql_select(*CLAIM_COLUMNS, col(Page.number))
        .join(Page, col(Page.id) == col(Claim.page_id))
        .where(among(col(Claim.id), "claim_ids", dialect))
    )


@lru_cache(maxsize=8)
def _cited_by_claims(dialect: str) -> Any:
    return (
        sql_select(*CITED_COLUMNS)
        .join(Citation, col(Citation.id) == col(ClaimCitation.citation_id))
        .outerjoin(Paper, col(Paper.id) == col(Citation.paper_id))
        .where(among(col(ClaimCitation.claim_id), "claim_ids", dialect))
        .order_by(col(Citation.position))
    )


@lru_cache(maxsize=8)
def _markers_of_claims(dialect: str) -> Any:
    return (
        sql_select(
            col(Marker.claim_id), col(Marker.label), col(Marker.position), col(Marker.citation_id)
        )
        .where(among(col(Marker.claim_id), "claim_ids", dialect))
        .order_by(col(Marker.position), col(Marker.id))
    )


def claims_public(
    session: Session,
    rows: Sequence[tuple[ClaimColumns, int]],
    shape: type[Shaped],
    more: Callable[[ClaimColumns], dict[str, Any]] | None = None,
) -> list[Shaped]:
    """Shape claims (with their page numbers) for users, as `shape`: citations and markers
    included, and the fields `more` gives for each claim.

    Two queries for the whole page, read as plain rows, and models built without validating
    again what the database's types already are (a search page is served many times a second).
    """
    claim_ids = [claim.id for claim, _ in rows]
    connection = session.connection()
    cited: dict[int, list[ClaimCitationPublic]] = defaultdict(list)
    dialect = connection.dialect.name
    for row in connection.execute(_cited_by_claims(dialect), {"claim_ids": claim_ids}).all():
        claim_id, method, citation_id, label, as_written, resolution, verdict, pmid = row[:8]
        cited[claim_id].append(
            ClaimCitationPublic.model_construct(
                id=citation_id,
                label=label,
                as_written=as_written,
                link=method,
                fields=dict(zip(PARSED_FIELDS, row[8:], strict=True)),
                pmid=pmid,
                resolution=resolution,
                verdict=verdict,
            )
        )
    markers: dict[int, list[MarkerPublic]] = defaultdict(list)
    marker_rows = connection.execute(_markers_of_claims(dialect), {"claim_ids": claim_ids}).all()
    for claim_id, label, position, citation_id in marker_rows:
        markers[claim_id].append(
            MarkerPublic.model_construct(label=label, position=position, citation_id=citation_id)
        )
    return [
        shape.model_construct(
            id=claim.id or 0,
            document=claim.document_id,
            page=page_number,
            position=claim.position,
            kind=claim.kind,
            topic=claim.topic,
            language=claim.language,
            text=claim.text,
            as_written=claim.as_written,
            citations=cited[claim.id or 0],
            markers=markers[claim.id or 0],
            **(more(claim) if more else {}),
        )
        for claim, page_number in rows
    ]
