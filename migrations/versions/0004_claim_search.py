"""claim search: the index table, SQLite FTS5 with sync triggers, PostgreSQL tsvector + GIN

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# FTS5 over the index table as external content (sqlite-utils' pattern): the triggers keep it
# in step. The tokens are already cut (jieba, stemming) by evidence, so unicode61 only splits
# on the spaces between them: two-character Chinese words are whole tokens.
SQLITE = [
    """CREATE VIRTUAL TABLE claim_fts USING fts5(
        own, evidence, content='claim_search', content_rowid='claim_id', tokenize='unicode61')""",
    """CREATE TRIGGER claim_search_ai AFTER INSERT ON claim_search BEGIN
        INSERT INTO claim_fts(rowid, own, evidence) VALUES (new.claim_id, new.own, new.evidence);
    END""",
    """CREATE TRIGGER claim_search_ad AFTER DELETE ON claim_search BEGIN
        INSERT INTO claim_fts(claim_fts, rowid, own, evidence)
        VALUES ('delete', old.claim_id, old.own, old.evidence);
    END""",
    """CREATE TRIGGER claim_search_au AFTER UPDATE ON claim_search BEGIN
        INSERT INTO claim_fts(claim_fts, rowid, own, evidence)
        VALUES ('delete', old.claim_id, old.own, old.evidence);
        INSERT INTO claim_fts(rowid, own, evidence) VALUES (new.claim_id, new.own, new.evidence);
    END""",
]
# 'simple': no stemming or stop words of PostgreSQL's own, so both backends match the same
# tokens; the claim's own words weigh more (A) than its evidence's (B).
POSTGRESQL = [
    """ALTER TABLE claim_search ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', own), 'A') ||
        setweight(to_tsvector('simple', evidence), 'B')) STORED""",
    "CREATE INDEX ix_claim_search_vector ON claim_search USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "claim_search",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("own", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_search_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_search")),
    )  # fmt: skip
    statements = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("claim_search_ai", "claim_search_ad", "claim_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claim_fts")
    op.drop_table("claim_search")
