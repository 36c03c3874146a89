"""search vector statistics: PostgreSQL samples ten times more rows of each search vector, so it
knows how rare a rare word is

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 15:30:00

PostgreSQL keeps the most common words of a tsvector column (1,000 of them from 30,000 sampled
rows, at the default statistics target of 100) and guesses that any other word is held by half
as many rows as the least common of those: 3,883 of a million claims. A word held by 168 claims
then looked common enough to find by walking the claims backward by id, through all million of
them (430 ms, where the GIN index takes 1 ms). At a target of 1,000 PostgreSQL samples 300,000
rows and keeps the words more than about 270 claims in a million hold (4,360 words in the bench
corpus), and its guess for any other word is about 140 claims.
ANALYZE reads the larger sample (about 2 s at a million claims). SQLite: nothing to do.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("claim_search", "paper_search")
STATISTICS = 1000
DEFAULT = -1  # PostgreSQL's "use default_statistics_target"


def upgrade() -> None:
    _set_statistics(STATISTICS)


def downgrade() -> None:
    _set_statistics(DEFAULT)


def _set_statistics(target: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {target}")
        op.execute(f"ANALYZE {table}")
