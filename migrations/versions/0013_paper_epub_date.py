"""paper e-pub date: the day PubMed says an article was published online (ArticleDate)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 10:45:00

A reference often gives the year an article came out online, a year before its issue's: the
year PubMed's PubDate gives. Verification compared the cited year with PubDate's alone and
called the e-pub year an error. This revision adds `paper.epub_date` ("2004-11-12") and reads it
from the PubMed XML each stored paper keeps (raw_xml), so papers enriched before it need not be
fetched again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evidence.pubmed.parse import read_article

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        batch.add_column(sa.Column("epub_date", sa.String(length=10), nullable=True))
    bind = op.get_bind()
    papers = sa.text(
        "SELECT id, raw_xml FROM paper WHERE id > :after AND raw_xml LIKE '%<ArticleDate%'"
        " ORDER BY id LIMIT :batch"
    )
    update = sa.text("UPDATE paper SET epub_date = :epub_date WHERE id = :id")
    after = 0
    while rows := bind.execute(papers, {"after": after, "batch": BATCH}).all():
        dated = [
            {"id": paper_id, "epub_date": epub_date}
            for paper_id, raw in rows
            if (epub_date := _epub_date(raw)) is not None
        ]
        if dated:
            bind.execute(update, dated)
        after = rows[-1][0]


def _epub_date(raw: str) -> str | None:
    """Read the ArticleDate of a stored PubmedArticle as evidence.pubmed's readers do."""
    kind = (
        b"PubmedBookArticle" if raw.lstrip().startswith("<PubmedBookArticle") else b"PubmedArticle"
    )
    try:
        return read_article(kind, raw.encode("utf-8"), 0).epub_date
    except Exception:  # a record its reader cannot read again keeps no e-pub date, as before
        return None


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN (SQLite 3.35 or newer), not a batch's copy of the table: other
    # tables' foreign keys hold paper, and SQLite refuses to drop it for the copy.
    op.drop_column("paper", "epub_date")
