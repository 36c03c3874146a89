"""The local PubMed store: papers in the database, written in bulk, read before the network."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from evidence.ingest.citation import ParsedCitation
from evidence.models import Citation, Paper, utc_now
from evidence.pubmed.match import fold
from evidence.pubmed.records import PubMedRecord

PAPER_FIELDS = (
    "pmid", "title", "authors", "authors_complete", "journal", "iso_abbrev", "medline_ta",
    "nlm_unique_id", "year", "month", "pub_date", "volume", "issue", "pages", "first_page",
    "last_page", "elocation", "doi", "pmcid", "abstract", "mesh", "keywords",
    "publication_types", "comments_corrections", "languages", "raw_xml",
)  # fmt: skip
PARSED = (
    "authors", "et_al", "first_author", "title", "journal", "year", "month", "volume", "issue",
    "supplement", "pages", "first_page", "last_page", "article_number", "doi", "pmid", "pmcid",
)  # fmt: skip
CHUNK = 500  # rows per INSERT statement: well under SQLite's and PostgreSQL's parameter limits


def parsed_of(citation: Citation) -> ParsedCitation:
    """Rebuild the parsed fields of a stored citation."""
    return ParsedCitation(
        raw=citation.as_written, **{name: getattr(citation, name) for name in PARSED}
    )


def paper_row(record: PubMedRecord, *, source: str, fetched_at: datetime) -> dict[str, Any]:
    """Turn a record into the column values of its paper row."""
    values = {name: getattr(record, name) for name in PAPER_FIELDS}
    values["first_author"] = fold(record.first_author) or None
    values["source"] = source
    values["fetched_at"] = fetched_at
    return values


def record_of(paper: Paper) -> PubMedRecord:
    """Turn a stored paper back into a record."""
    values = {name: getattr(paper, name) for name in PAPER_FIELDS}
    values["pmid"] = paper.pmid or ""
    return PubMedRecord(**values)


def save_records(
    session: Session, records: Iterable[PubMedRecord], *, source: str = "efetch"
) -> int:
    """Insert or update papers by PMID in batches; return how many rows were written."""
    fetched_at = utc_now()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    written = 0
    batch: dict[str, dict[str, Any]] = {}
    for record in records:
        batch[record.pmid] = paper_row(record, source=source, fetched_at=fetched_at)
        if len(batch) >= CHUNK:
            written += _upsert(session, insert, list(batch.values()))
            batch.clear()
    if batch:
        written += _upsert(session, insert, list(batch.values()))
    return written


def _upsert(session: Session, insert: Any, rows: list[dict[str, Any]]) -> int:
    # One statement, many parameter sets (executemany): compiling a VALUES list of thousands
    # of rows costs more than writing them.
    statement = insert(Paper.__table__)  # type: ignore[attr-defined]
    updated = {name: statement.excluded[name] for name in rows[0] if name != "pmid"}
    statement = statement.on_conflict_do_update(index_elements=["pmid"], set_=updated)
    session.connection().execute(statement, rows)
    return len(rows)


class LocalPubMed:
    """Read papers from the database as PubMed records."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_pmids(self, pmids: Sequence[str]) -> dict[str, PubMedRecord]:
        """Return the stored records among these PMIDs."""
        found: dict[str, PubMedRecord] = {}
        for start in range(0, len(pmids), CHUNK):
            chunk = list(pmids[start : start + CHUNK])
            papers = self.session.exec(select(Paper).where(col(Paper.pmid).in_(chunk))).all()
            found.update({p.pmid: record_of(p) for p in papers if p.pmid})
        return found

    def by_doi(self, doi: str) -> PubMedRecord | None:
        """Return the stored record with this DOI (compared case-insensitively)."""
        paper = self.session.exec(
            select(Paper).where(col(Paper.doi).in_([doi, doi.lower(), doi.upper()]))
        ).first()
        return record_of(paper) if paper else None

    def by_pmcid(self, pmcid: str) -> PubMedRecord | None:
        """Return the stored record with this PMCID."""
        paper = self.session.exec(select(Paper).where(Paper.pmcid == pmcid.upper())).first()
        return record_of(paper) if paper else None

    def candidates(self, citation: ParsedCitation, *, limit: int = 50) -> list[PubMedRecord]:
        """Return stored papers that could be the cited one: same year (±1) and the same first
        page, volume or first author."""
        if not citation.year:
            return []
        keys: list[ColumnElement[bool]] = []
        if citation.first_page or citation.article_number:
            pages = [p for p in (citation.first_page, citation.article_number) if p]
            keys += [col(Paper.first_page).in_(pages), col(Paper.elocation).in_(pages)]
        if citation.volume:
            keys.append(col(Paper.volume) == citation.volume)
        surname = fold(citation.first_author)
        if surname:
            keys.append(col(Paper.first_author) == surname)
        if not keys:
            return []
        years = [citation.year - 1, citation.year, citation.year + 1]
        papers = self.session.exec(
            select(Paper).where(col(Paper.year).in_(years), or_(*keys)).limit(limit)
        ).all()
        return [record_of(p) for p in papers]


def record_fields(record: PubMedRecord) -> dict[str, Any]:
    """Return a record's fields as JSON-able values (without the raw XML)."""
    values = asdict(record)
    values.pop("raw_xml", None)
    values["first_author"] = record.first_author
    return values
