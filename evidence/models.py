"""Every table of evidence. Created only through Alembic migrations (`migrations/`).

No `from __future__ import annotations` here: SQLModel relationships break under it.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, MetaData, Text, UniqueConstraint, true
from sqlmodel import Field, SQLModel

# Stable constraint names, so migrations can name what they alter on both backends.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class Document(SQLModel, table=True):
    """One ingested file. The same content is stored once (`content_hash` is unique)."""

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True)
    format: str = Field(max_length=16)
    kind: str = Field(max_length=16)  # "slides" or "manuscript"
    title: str | None = None
    source_name: str
    ingested_at: datetime = Field(default_factory=utc_now)


class Page(SQLModel, table=True):
    """A slide or page of a document."""

    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    number: int
    heading: str | None = None
    topic: str | None = None


class Paper(SQLModel, table=True):
    """A PubMed record, to which one or more citations resolve."""

    __table_args__ = (Index("ix_paper_year_first_page", "year", "first_page"),)

    id: int | None = Field(default=None, primary_key=True)
    pmid: str | None = Field(default=None, max_length=16, unique=True)
    doi: str | None = Field(default=None, index=True)
    pmcid: str | None = Field(default=None, max_length=16)
    title: str | None = Field(default=None, sa_column=Column(Text))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    authors_complete: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    first_author: str | None = Field(default=None, index=True)  # folded surname: "rosejohn"
    journal: str | None = None
    iso_abbrev: str | None = None
    medline_ta: str | None = None
    nlm_unique_id: str | None = None
    year: int | None = None
    month: str | None = None
    pub_date: str | None = None
    epub_date: str | None = Field(default=None, max_length=10)  # ArticleDate: "2004-11-12"
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    elocation: str | None = None
    abstract: str | None = Field(default=None, sa_column=Column(Text))
    mesh: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    publication_types: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    comments_corrections: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    languages: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    raw_xml: str | None = Field(default=None, sa_column=Column(Text))
    fetched_at: datetime | None = None
    source: str = Field(  # "efetch" or "import"
        default="efetch", max_length=16, sa_column_kwargs={"server_default": "efetch"}
    )


class Claim(SQLModel, table=True):
    """A statement of a document, with where it stands."""

    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    page_id: int = Field(foreign_key="page.id", index=True, ondelete="CASCADE")
    position: int  # order of the claim in its document, from 1
    kind: str = Field(max_length=16)  # "headline", "bullet", "label", "sentence"
    text: str = Field(sa_column=Column(Text, nullable=False))  # markers taken out
    as_written: str = Field(sa_column=Column(Text, nullable=False))  # markers left in
    language: str = Field(max_length=8)
    # Indexed so that the distinct topics are listed by skipping from one to the next (the web
    # search page), not by reading every claim.
    topic: str | None = Field(default=None, index=True)


class Citation(SQLModel, table=True):
    """A reference exactly as written on a page, with the fields parsed from it."""

    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        Index("ix_citation_work_key", "work_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    page_id: int = Field(foreign_key="page.id", index=True, ondelete="CASCADE")
    position: int  # order of the reference in its document, from 1
    label: str | None = Field(default=None, max_length=16)  # "1" in "1. Garbers C ..."
    as_written: str = Field(sa_column=Column(Text, nullable=False))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    et_al: bool = False
    first_author: str | None = None
    title: str | None = Field(default=None, sa_column=Column(Text))
    journal: str | None = None
    year: int | None = None
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    article_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    work_key: str  # the same for every citation of one work, however written
    paper_id: int | None = Field(default=None, foreign_key="paper.id", index=True)
    # How the citation was resolved to PubMed (evidence.pubmed.resolve.Resolution).
    resolution_status: str | None = Field(default=None, max_length=24)
    resolution_method: str | None = Field(default=None, max_length=24)
    resolution_confidence: float | None = None
    resolution_reason: str | None = Field(default=None, sa_column=Column(Text))
    resolution_candidates: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    resolved_at: datetime | None = None
    # What verification found (evidence.verify): verdict, differing fields, notices.
    verdict: str | None = Field(default=None, max_length=16, index=True)
    verdict_fields: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    verdict_notes: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    verified_at: datetime | None = None


class ClaimCitation(SQLModel, table=True):
    """A claim cites a reference; `method` says how the link was made."""

    __tablename__ = "claim_citation"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True, ondelete="CASCADE")
    citation_id: int = Field(foreign_key="citation.id", primary_key=True, ondelete="CASCADE")
    method: str = Field(max_length=24)  # "marker", "sole_reference", "reference_list"


class Marker(SQLModel, table=True):
    """A citation marker as found in a claim; `citation_id` is None when it is dangling."""

    __table_args__ = (UniqueConstraint("claim_id", "position", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True, ondelete="CASCADE")
    position: int  # character offset of the marker in the claim's `as_written`
    label: str = Field(max_length=120)  # "12", or "Smith et al., 2019" (ingest.author_year)
    citation_id: int | None = Field(
        default=None, foreign_key="citation.id", index=True, ondelete="CASCADE"
    )


class JournalLookup(SQLModel, table=True):
    """A journal name as citations write it, and what NLM's catalog says it is (cached).

    `found` False caches a name the catalog does not know, so it is not asked again.
    """

    __tablename__ = "journal_lookup"

    id: int | None = Field(default=None, primary_key=True)
    query_key: str = Field(unique=True)  # the written name, folded: "nature reviews drug discovery"
    found: bool
    title: str | None = None
    iso_abbrev: str | None = None
    medline_ta: str | None = None
    nlm_unique_id: str | None = None
    looked_up_at: datetime = Field(default_factory=utc_now)


class ClaimSearch(SQLModel, table=True):
    """What search matches a claim by on its own: its text and its slide's topic, as index tokens
    (evidence.ingest.language.index_tokens). Kept by evidence.search.index_claims.

    SQLite mirrors it into the FTS5 table `claim_fts` by triggers; PostgreSQL derives the
    column `search_vector` (tsvector, GIN-indexed) from it (migration 0005).
    """

    __tablename__ = "claim_search"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True, ondelete="CASCADE")
    own: str = Field(sa_column=Column(Text, nullable=False))  # the claim's text and topic


class PaperSearch(SQLModel, table=True):
    """The words a claim citing this paper is found by (title, abstract, MeSH, keywords), as
    index tokens, once per paper. `paper_fts` (SQLite) and `search_vector` (PostgreSQL) as for
    ClaimSearch."""

    __tablename__ = "paper_search"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    words: str = Field(sa_column=Column(Text, nullable=False))


class ClaimPaper(SQLModel, table=True):
    """A claim rests on a paper (claim → citation → paper, flattened for search): which claims
    a paper's words find. Kept by evidence.search.index_claims."""

    __tablename__ = "claim_paper"
    __table_args__ = (Index("ix_claim_paper_paper_id_claim_id", "paper_id", "claim_id"),)

    claim_id: int = Field(foreign_key="claim.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
