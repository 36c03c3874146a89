"""paper e-pub date: the day PubMed says an article was published online (ArticleDate)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 10:45:00

A reference often gives the year an article came out online, a year before its issue's: the
year PubMed's PubDate gives. Verification compared the cited year with PubDate's alone and
called the e-pub year an error. This revision adds `paper.epub_date` ("2004-11-12") and reads it
from the PubMed XML each stored paper keeps (raw_xml), so papers enriched before it need not be
fetched again: from its ArticleDate elements alone, about 40,000 papers a second (reading whole
articles, 3,000). On PostgreSQL the paper table stays locked while they are read: the column is
added in the same transaction.
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from lxml import etree

from evidence.pubmed.fast_reader import epub_date_of

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    bind = op.get_bind()
    columns = {column["name"] for column in sa.inspect(bind).get_columns("paper")}
    if "epub_date" not in columns:  # a downgrade on an SQLite before 3.35 kept it
        with op.batch_alter_table("paper") as batch:
            batch.add_column(sa.Column("epub_date", sa.String(length=10), nullable=True))
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
    try:
        return epub_date_of(raw)
    except etree.XMLSyntaxError:  # a malformed date keeps no e-pub date, as before
        return None


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN, not a batch's copy of the table: other tables' foreign keys hold
    # paper, and SQLite refuses to drop it for the copy. SQLite has it from 3.35; before, the
    # column stays, unread (upgrade() finds it there).
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        return
    op.drop_column("paper", "epub_date")
