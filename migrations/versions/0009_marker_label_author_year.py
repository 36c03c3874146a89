"""marker label author year: a marker's label holds a citation by author and year

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 03:00:00

A numbered marker's label is a number ("12"); a citation by author and year is kept as written
("van der Heijde et al., 2018a"), up to 120 characters (evidence.ingest.author_year). SQLite
rebuilds the table (its column types are declared, not altered); PostgreSQL alters the column.
Downgrading cuts longer labels to 16 characters.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("marker") as batch:
        batch.alter_column("label", type_=sa.String(120), existing_type=sa.String(16))


def downgrade() -> None:
    op.execute("UPDATE marker SET label = substr(label, 1, 16) WHERE length(label) > 16")
    with op.batch_alter_table("marker") as batch:
        batch.alter_column("label", type_=sa.String(16), existing_type=sa.String(120))
