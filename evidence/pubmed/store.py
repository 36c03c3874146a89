"""The local PubMed store: papers in the database, written in bulk, read before the network."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Text, bindparam, cast, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from evidence.db import dialect_of
from evidence.ingest.citation import ParsedCitation
from evidence.models import Citation, Paper, utc_now
from evidence.pubmed.names import fold
from evidence.pubmed.records import PubMedRecord

PAPER_FIELDS = (
    "pmid", "title", "authors", "authors_complete", "journal", "iso_abbrev", "medline_ta",
    "nlm_unique_id", "year", "month", "pub_date", "epub_date", "volume", "issue", "pages",
    "first_page", "last_page", "elocation", "doi", "pmcid", "abstract", "mesh", "keywords",
    "publication_types", "comments_corrections", "languages", "raw_xml",
)  # fmt: skip
PARSED = (
    "authors", "et_al", "first_author", "title", "journal", "year", "month", "volume", "issue",
    "supplement", "pages", "first_page", "last_page", "article_number", "doi", "pmid", "pmcid",
)  # fmt: skip
JSON_FIELDS = (
    "authors", "mesh", "keywords", "publication_types", "comments_corrections", "languages"
)  # fmt: skip
EXTRA_FIELDS = ("first_author", "source", "fetched_at")  # columns a row has beyond the record's
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


def encoded_row(record: PubMedRecord, *, source: str, fetched_at: datetime) -> dict[str, Any]:
    """Turn a record into its paper row with the JSON columns already serialised, as
    `save_rows` takes them (so that a parsing process can do it, and send only strings)."""
    values = paper_row(record, source=source, fetched_at=fetched_at)
    for name in JSON_FIELDS:
        values[name] = json.dumps(values[name])  # what SQLAlchemy's JSON type would store
    return values


def save_records(
    session: Session, records: Iterable[PubMedRecord], *, source: str = "efetch"
) -> int:
    """Insert or update papers by PMID in batches; return how many rows were written."""
    fetched_at = utc_now()
    return save_rows(
        session, (encoded_row(r, source=source, fetched_at=fetched_at) for r in records)
    )


def save_rows(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Insert or update `encoded_row`s by PMID, CHUNK rows per statement; return how many."""
    statement = _upsert(dialect_of(session))
    written = 0
    batch: dict[str, dict[str, Any]] = {}  # by PMID: the last of a PMID wins
    for row in rows:
        batch[row["pmid"]] = row
        if len(batch) >= CHUNK:
            written += _execute(session, statement, batch)
    if batch:
        written += _execute(session, statement, batch)
    return written


def _upsert(dialect: str) -> Any:
    """Return the INSERT ... ON CONFLICT (pmid) DO UPDATE of every column, JSON bound as text."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    json_values = {
        # PostgreSQL's json columns take text through a cast; SQLite keeps JSON as text anyway.
        name: cast(bindparam(_json_key(name), type_=Text), JSON)
        if dialect == "postgresql"
        else bindparam(_json_key(name), type_=Text)
        for name in JSON_FIELDS
    }
    statement = insert(Paper.__table__).values(json_values)  # type: ignore[attr-defined]
    updated = {name: statement.excluded[name] for name in (*PAPER_FIELDS, *EXTRA_FIELDS)}
    del updated["pmid"]
    return statement.on_conflict_do_update(index_elements=["pmid"], set_=updated)


def _execute(session: Session, statement: Any, batch: dict[str, dict[str, Any]]) -> int:
    """Run the upsert once with many parameter sets (executemany), and empty the batch.

    Compiling a VALUES list of thousands of rows costs more than writing them."""
    json_names = set(JSON_FIELDS)
    parameters = [
        {(_json_key(k) if k in json_names else k): v for k, v in row.items()}
        for row in batch.values()
    ]
    session.connection().execute(statement, parameters)
    batch.clear()
    return len(parameters)


def _json_key(name: str) -> str:
    """Return the parameter name of a JSON column (SQLAlchemy reserves the column's own)."""
    return f"{name}_json"


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
