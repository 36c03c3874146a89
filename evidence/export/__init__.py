"""Cited works for reference managers: one `ExportWork` per distinct work, written by
`bibtex`, `ris` and `csljson` (pure writers: works in, text out).

A citation resolved to PubMed exports its paper (one entry per PMID, however often it is cited);
an unresolved one exports the fields parsed from it (one entry per `work_key`), marked
unresolved and never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from evidence.db import dialect_of
from evidence.errors import NotFoundError
from evidence.export.citekeys import assign_citekeys
from evidence.export.journals import journal_title
from evidence.greek import LETTER_NAMED
from evidence.id_lists import among
from evidence.models import Citation, Claim, ClaimCitation, Paper
from evidence.pubmed.classify import NOT_IN_PUBMED
from evidence.pubmed.store import record_of
from evidence.search import claim_ids_found
from evidence.search.filters import citation_verdict_is, filters_for
from evidence.views import get_document

# From worst to best: a work cited several times shows its worst verdict.
VERDICT_ORDER = (
    "retracted", "mismatch", "ambiguous", "not_found", "not_in_pubmed", "unchecked", "verified",
)  # fmt: skip


class Policy(StrEnum):
    """What to do with a retracted or an unverified work."""

    keep = "keep"
    mark = "mark"  # keep it, saying so in `note` and `keywords`
    exclude = "exclude"


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class ExportWork:
    """One cited work as reference managers want it: PubMed's fields, or the parsed ones."""

    key: str  # the citekey, unique in one export
    resolved: bool
    authors: list[str] = field(default_factory=list)  # "Surname Initials"; collective names whole
    authors_complete: bool = True  # False: PubMed's list is cut short, or the citation says et al.
    title: str | None = None
    journal: str | None = None
    iso_abbrev: str | None = None
    year: int | None = None
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    article_number: str | None = None  # an e-locator (e199) when there are no pages
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    as_written: str | None = None  # the first citation's text, for an unresolved work
    # What PubMed cannot hold, as enrichment classified it: "data_on_file", "book",
    # "prescribing_information", "congress_abstract", "web_page", "chinese_journal"; or None.
    kind: str | None = None
    verdict: str | None = None  # the worst verdict of its citations; None until verified
    checked_at: datetime | None = None  # when PubMed's record was last fetched
    retracted: bool = False
    citation_ids: list[int] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        """Return the work's PubMed page, else its DOI's resolver address."""
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pages(self) -> str | None:
        """Return the page range with a full last page (`1521--1529`), or the e-locator."""
        if self.first_page and self.last_page and self.last_page != self.first_page:
            return f"{self.first_page}--{self.last_page}"
        return self.first_page or self.article_number

    @property
    def month_number(self) -> int | None:
        """Return the month, 1 to 12, as PubMed or the citation writes it ("Jun", "06"), if any."""
        name = (self.month or "").strip()[:3].lower()
        if name in MONTHS:
            return MONTHS.index(name) + 1
        return int(name) if name.isdigit() and 1 <= int(name) <= 12 else None

    @property
    def unverified(self) -> bool:
        """Tell whether no check confirmed the work against PubMed."""
        return self.verdict != "verified"


@dataclass(frozen=True)
class ExportOptions:
    """What an export includes, for every format."""

    abstracts: bool = False
    keywords: bool = False
    status: bool = False  # the verdict and the date PubMed was last checked, in notes
    retracted: Policy = Policy.keep
    unverified: Policy = Policy.keep


def selected(works: Iterable[ExportWork], options: ExportOptions) -> list[ExportWork]:
    """Leave out the works the options exclude (retracted, unverified)."""
    return [
        w
        for w in works
        if not (w.retracted and options.retracted is Policy.exclude)
        and not (w.unverified and not w.retracted and options.unverified is Policy.exclude)
    ]


def work_notes(work: ExportWork, options: ExportOptions) -> list[str]:
    """Return the notes every format carries: marks, unresolved text, verification status."""
    notes = []
    if work.retracted and options.retracted is Policy.mark:
        notes.append("RETRACTED")
    elif work.unverified and options.unverified is Policy.mark:
        notes.append(f"Unverified ({work.verdict or 'unchecked'})")
    if not work.resolved:
        notes.append(f"Not resolved to PubMed; as written: {work.as_written}")
    if options.status:
        checked = work.checked_at.date().isoformat() if work.checked_at else "never"
        notes.append(f"Verification: {work.verdict or 'unchecked'}; PubMed checked: {checked}")
    return notes


@dataclass(frozen=True)
class WorkSelection:
    """The works an export holds, and whether the search that chose them was cut short (see
    evidence.search: a word held by more papers than it looks in)."""

    works: list[ExportWork]
    evidence_capped: bool = False


def select_works(
    session: Session,
    *,
    document_id: int | None = None,
    query: str | None = None,
    claim_id: int | None = None,
    topic: str | None = None,
    verdict: str | None = None,
) -> WorkSelection:
    """Select the distinct works cited — by a document, the claims a search finds (its words
    and topic), one claim, with a verdict; given together, every condition holds — in order of
    first citation, each with its citekey; and say whether the search was cut short."""
    query = query if query and query.strip() else None  # blank: no search
    topic = topic if topic and topic.strip() else None
    statement = select(Citation)
    if document_id is not None:
        get_document(session, document_id)
        statement = statement.where(Citation.document_id == document_id)
    if claim_id is not None and session.get(Claim, claim_id) is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    if verdict is not None:
        statement = statement.where(citation_verdict_is(verdict))
    claim_ids: list[int] | None = None  # the claims a search found; None: no search
    capped = False
    if query is not None:
        claim_ids, capped = claim_ids_found(session, query, topic=topic, document_id=document_id)
        if claim_id is not None:  # the one claim, if the search finds it
            claim_ids = [claim_id] if claim_id in claim_ids else []
    links = select(ClaimCitation.citation_id)  # the links of the claims chosen otherwise
    if query is None and topic is not None:
        claim_is_topical = filters_for(session, topic=topic).conditions()
        links = links.join(Claim, col(Claim.id) == col(ClaimCitation.claim_id))
        links = links.where(*claim_is_topical)
    if claim_id is not None:  # and the search or topic, when given too, finds it
        links = links.where(col(ClaimCitation.claim_id) == claim_id)
    if claim_id is not None or (query is None and topic is not None):
        statement = statement.where(col(Citation.id).in_(links))
    citations = _citations_of(session, statement, claim_ids)
    paper_ids = sorted({c.paper_id for c in citations if c.paper_id is not None})
    of_papers = select(Paper).where(among(col(Paper.id), "paper_ids", dialect_of(session)))
    found = session.exec(of_papers, params={"paper_ids": paper_ids})
    papers: dict[int | None, Paper] = {paper.id: paper for paper in found}
    return WorkSelection(assign_citekeys(group_works(citations, papers)), capped)


def _citations_of(
    session: Session, statement: SelectOfScalar[Citation], claim_ids: list[int] | None
) -> list[Citation]:
    """Return the citations `statement` selects (of these claims, when given: a list of any
    length, bound as one parameter) in document order."""
    in_order = (col(Citation.document_id), col(Citation.position))
    if claim_ids is None:
        return list(session.exec(statement.order_by(*in_order)))
    of_claims = among(col(ClaimCitation.claim_id), "claim_ids", dialect_of(session))
    cited = select(ClaimCitation.citation_id).where(of_claims)
    statement = statement.where(col(Citation.id).in_(cited)).order_by(*in_order)
    return list(session.exec(statement, params={"claim_ids": sorted(set(claim_ids))}))


def group_works(citations: Sequence[Citation], papers: dict[int | None, Paper]) -> list[ExportWork]:
    """Group citations into works: by PMID when resolved, else by `work_key`."""
    paper_of_key = {c.work_key: papers[c.paper_id] for c in citations if c.paper_id in papers}
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        paper = papers.get(citation.paper_id) or paper_of_key.get(citation.work_key)
        name = f"pmid:{paper.pmid or paper.id}" if paper else f"work:{citation.work_key}"
        groups.setdefault(name, []).append(citation)
    works = []
    for group in groups.values():
        paper = papers.get(group[0].paper_id) or paper_of_key.get(group[0].work_key)
        work = _from_paper(paper) if paper else _from_citation(group[0])
        verdicts = [c.verdict or "unchecked" for c in group]
        verdict = min(verdicts, key=_rank) if any(c.verdict for c in group) else None
        works.append(
            replace(
                work,
                verdict=verdict,
                retracted=work.retracted or verdict == "retracted",
                citation_ids=[c.id or 0 for c in group],
            )
        )
    return works


def _rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER)


def _from_paper(paper: Paper) -> ExportWork:
    record = record_of(paper)
    return ExportWork(
        key="", resolved=True, authors=list(paper.authors),
        authors_complete=paper.authors_complete, title=_title(paper.title),
        journal=journal_title(paper.journal), iso_abbrev=paper.iso_abbrev, year=paper.year,
        month=paper.month,
        volume=paper.volume, issue=paper.issue, first_page=paper.first_page,
        last_page=paper.last_page, article_number=paper.elocation, doi=paper.doi,
        pmid=paper.pmid, pmcid=paper.pmcid, abstract=_greek(paper.abstract),
        keywords=list(paper.keywords), checked_at=paper.fetched_at,
        retracted=record.is_retracted,
    )  # fmt: skip


def _from_citation(citation: Citation) -> ExportWork:
    return ExportWork(
        key="", resolved=False, authors=list(citation.authors),
        authors_complete=not citation.et_al, title=citation.title,
        journal=citation.journal, year=citation.year, month=citation.month,
        volume=citation.volume, issue=citation.issue, first_page=citation.first_page,
        last_page=citation.last_page, article_number=citation.article_number,
        doi=citation.doi, pmid=citation.pmid, pmcid=citation.pmcid,
        as_written=_without_label(citation),
        kind=citation.resolution_reason if citation.resolution_status == NOT_IN_PUBMED else None,
    )  # fmt: skip


def _title(title: str | None) -> str | None:
    # PubMed ends titles with a period; citation styles add their own.
    title = _greek(title)
    if title and title.endswith(".") and not title.endswith(".."):
        return title[:-1]
    return title


# MEDLINE's old way to write a Greek letter in a title or abstract: "A{beta}", "TNF-{alpha}".
_BRACED_GREEK = re.compile(r"\{(" + "|".join(LETTER_NAMED) + r")\}", re.IGNORECASE)


def _greek(text: str | None) -> str | None:
    """Write MEDLINE's braced Greek letters as the letters: "A{beta}" is "Aβ", "{Delta}" "Δ"."""
    if not text or "{" not in text:
        return text
    return _BRACED_GREEK.sub(_greek_letter, text)


def _greek_letter(match: re.Match[str]) -> str:
    name = match.group(1)
    letter = LETTER_NAMED[name.lower()]
    return letter.upper() if name[0].isupper() else letter


def _without_label(citation: Citation) -> str:
    text = citation.as_written.strip()
    if citation.label and text.startswith(citation.label):
        rest = text[len(citation.label) :]
        if rest[:1] in (".", ")", "]", " "):
            return rest.lstrip(".)] ").strip()
    return text
