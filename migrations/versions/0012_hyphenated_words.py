"""hyphenated words: "amyloid" finds "amyloid-positive", "Alzheimer's" finds "Alzheimer"

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 06:30:00

evidence.ingest.language now indexes a hyphenated word's parts beside the word
("amyloid-positive": amyloidposit, amyloid, posit; "anti-IL-6": antiil6, anti, il6) and leaves
a possessive's "'s" out ("Alzheimer's" held a token "s" that every query for it asked for), and
evidence.search.index leaves MeSH's check tags ("Humans", "Male") out of a paper's words.
This revision indexes again the own words of every claim and the words of every indexed paper.
Downgrading keeps the new tokens: the index is derived data.
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from evidence.search.index import evidence_words, own_words, words_of_paper

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    claims = sa.text("SELECT id, text, topic FROM claim WHERE id > :after ORDER BY id LIMIT :batch")
    update_claims = sa.text("UPDATE claim_search SET own = :own WHERE claim_id = :claim_id")
    after = 0
    while rows := bind.execute(claims, {"after": after, "batch": BATCH}).all():
        bind.execute(
            update_claims,
            [{"claim_id": i, "own": own_words(text, topic)} for i, text, topic in rows],
        )
        after = rows[-1][0]
    papers = sa.text(
        "SELECT paper.id, title, abstract, mesh, keywords FROM paper"
        " JOIN paper_search ON paper_search.paper_id = paper.id"
        " WHERE paper.id > :after ORDER BY paper.id LIMIT :batch"
    )
    update_papers = sa.text("UPDATE paper_search SET words = :words WHERE paper_id = :paper_id")
    after = 0
    while rows := bind.execute(papers, {"after": after, "batch": BATCH}).all():
        bind.execute(
            update_papers,
            [{"paper_id": row[0], "words": evidence_words(_paper_words(*row[1:]))} for row in rows],
        )
        after = rows[-1][0]


def _paper_words(title: str | None, abstract: str | None, mesh: Any, keywords: Any) -> str:
    """What evidence.search.index.paper_words reads of a paper, from the columns as stored."""
    mesh = json.loads(mesh) if isinstance(mesh, str) else mesh or []
    keywords = json.loads(keywords) if isinstance(keywords, str) else keywords or []
    return words_of_paper(title, abstract, mesh, keywords)


def downgrade() -> None:
    pass
