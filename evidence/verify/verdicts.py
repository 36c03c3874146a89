"""A verdict for a citation: does the paper it names exist, is it cited correctly, does it
still stand? Pure: the citation, how it resolved, and PubMed's record in; the verdict out."""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.ingest.citation import ParsedCitation
from evidence.pubmed.records import PubMedRecord
from evidence.verify.fields import FieldDifference, compare_fields

VERDICTS = (
    "verified",  # PubMed has it, and every field written agrees
    "mismatch",  # PubMed has it, and some field written differs (`fields` says which)
    "retracted",  # PubMed marks it retracted
    "ambiguous",  # several records fit; `candidates` lists them
    "not_found",  # looked up in PubMed, and not there
    "not_in_pubmed",  # a kind of reference PubMed does not hold (data on file, a book, ...)
    "unchecked",  # not looked up yet, or only offline: not checkable, not failed
)
# CommentsCorrections types that a reviewer must see, and how to say them.
NOTICES = {
    "RetractionIn": "retracted",
    "RetractionOf": "a retraction notice",
    "ExpressionOfConcernIn": "expression of concern",
    "ErratumIn": "erratum",
    "UpdateIn": "updated",
}


@dataclass(frozen=True)
class Verdict:
    """What verification says of one citation."""

    verdict: str
    fields: list[FieldDifference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def notices_of(record: PubMedRecord) -> list[str]:
    """Return the retraction, concern and erratum notices PubMed attaches to a record."""
    notes = []
    if "Retracted Publication" in record.publication_types:
        notes.append("retracted (PubMed publication type: Retracted Publication)")
    for entry in record.comments_corrections:
        kind = NOTICES.get(str(entry.get("type")))
        if kind:
            where = entry.get("source") or ""
            pmid = entry.get("pmid")
            notes.append(f"{kind}: {where}" + (f" (PMID {pmid})" if pmid else ""))
    return notes


def judge_citation(
    citation: ParsedCitation, *, status: str | None, record: PubMedRecord | None
) -> Verdict:
    """Return the verdict for a citation given its resolution status and its record."""
    if record is None:
        if status in ("ambiguous", "not_found", "not_in_pubmed"):
            return Verdict(status)
        return Verdict("unchecked")
    differences = compare_fields(citation, record)
    notes = notices_of(record)
    if record.is_retracted:
        return Verdict("retracted", differences, notes)
    return Verdict("mismatch" if differences else "verified", differences, notes)
