"""The shapes of a verification report: what `evidence verify --format json` prints and the API
serves. Field names are a contract; add, never rename."""

from __future__ import annotations

from pydantic import BaseModel


class FieldCheck(BaseModel):
    """A field whose written value differs from PubMed's (names as in the citation JSON)."""

    field: str
    written: str
    pubmed: str


class CitationCheck(BaseModel):
    """A citation's verdict."""

    id: int
    document: int
    page: int
    label: str | None
    as_written: str
    pmid: str | None
    verdict: str
    fields: list[FieldCheck]
    notes: list[str]
    candidates: list[str]
    evidence_kind: str | None


class NumberCheck(BaseModel):
    """A number a claim states, looked up in the abstracts of the papers it cites."""

    kind: str
    value: str
    as_written: str
    status: str  # "found", "not_found", "not_checkable"
    pmids: list[str]  # where it was found, or where it was looked for
    reason: str


class CitedEvidence(BaseModel):
    """A paper a claim rests on, with the kind of evidence it is."""

    citation_id: int
    pmid: str | None
    verdict: str
    evidence_kind: str | None
    year: int | None


class ClaimCheck(BaseModel):
    """What verification says of one claim."""

    id: int
    document: int
    page: int
    topic: str | None
    text: str
    citation_ids: list[int]
    unreferenced: bool
    evidence: list[CitedEvidence]
    numbers: list[NumberCheck]
    notices: list[str]  # retractions, expressions of concern, errata of the papers it rests on
    published_after_document: list[str]  # PMIDs of cited papers newer than the document


class DanglingMarker(BaseModel):
    """A citation marker that names no reference on its page."""

    claim_id: int
    document: int
    page: int
    label: str
    text: str


class UnreferencedClaim(BaseModel):
    """A claim that cites nothing."""

    claim_id: int
    document: int
    page: int
    text: str


class UncitedReference(BaseModel):
    """A reference that no claim cites."""

    citation_id: int
    document: int
    page: int
    label: str | None
    as_written: str


class VerificationReport(BaseModel):
    """Everything verification found, in one object."""

    citations: list[CitationCheck]
    claims: list[ClaimCheck]
    dangling: list[DanglingMarker]
    unreferenced: list[UnreferencedClaim]
    uncited_references: list[UncitedReference]

    def findings(self) -> dict[str, int]:
        """Count the findings a team can gate publication on (`--fail-on`)."""
        counts = {verdict: 0 for verdict in ("mismatch", "retracted", "not_found", "ambiguous")}
        for citation in self.citations:
            if citation.verdict in counts:
                counts[citation.verdict] += 1
        counts["unreferenced"] = len(self.unreferenced)
        counts["dangling"] = len(self.dangling)
        counts["uncited"] = len(self.uncited_references)
        counts["concern"] = sum(1 for c in self.citations if c.notes and c.verdict != "retracted")
        return counts
