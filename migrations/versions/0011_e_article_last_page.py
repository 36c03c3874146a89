"""e-article last page: "426.e13-21" ends at page 426.e21, not 421

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 06:00:00

PubMed writes the pages of an e-article as "426.e13-21". evidence.ingest.citation_patterns read
the last page as 421 (the start's digits borrowed), which exports printed as "426.e13--421" and
verification compared with. This revision reads again the last page of the stored papers and
citations whose pages hold ".e" before a dash. Downgrading keeps the new pages: they are derived
from the pages as written, which stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evidence.ingest.citation_patterns import expand_pages

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    for table in ("paper", "citation"):
        rows = bind.execute(
            sa.text(f"SELECT id, pages, last_page FROM {table} WHERE pages LIKE '%.e%-%'")
        ).all()
        update = sa.text(f"UPDATE {table} SET last_page = :last_page WHERE id = :id")
        changed = [
            {"id": row_id, "last_page": last}
            for row_id, pages, stored in rows
            if (last := expand_pages(pages)[1]) != stored
        ]
        if changed:
            bind.execute(update, changed)


def downgrade() -> None:
    pass
