"""fold full width: claims typed with full-width forms are indexed by their ASCII forms

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 04:00:00

A Chinese input method types Latin letters, digits and signs full-width ("ＩＬ－６", "６６例").
The index held no token for them, so `IL-6` or `66例` did not find such a claim.
evidence.ingest.language now reads them as ASCII in every token; this revision indexes again the
own words of the claims whose text or topic holds one (the words of cited papers come from
PubMed, which writes none). Downgrading keeps the new tokens: the index is derived data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evidence.search.index import own_words

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FULL_WIDTH = "[！-～　]"  # U+FF01 to U+FF5E and the ideographic space


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        holds = " OR ".join(f"{column} GLOB '*{FULL_WIDTH}*'" for column in ("text", "topic"))
    else:
        holds = " OR ".join(f"{column} ~ '{FULL_WIDTH}'" for column in ("text", "topic"))
    claims = bind.execute(sa.text(f"SELECT id, text, topic FROM claim WHERE {holds}")).all()
    update = sa.text("UPDATE claim_search SET own = :own WHERE claim_id = :claim_id")
    rows = [{"claim_id": i, "own": own_words(text, topic)} for i, text, topic in claims]
    if rows:  # SQLite's triggers rewrite the FTS5 rows; PostgreSQL recomputes the vectors
        bind.execute(update, rows)


def downgrade() -> None:
    pass
