"""fold undecomposed letters: a first author "Møllgård" is found as "Mollgard"

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 11:00:00

evidence.pubmed.names.fold took accents off by Unicode's decomposition, which leaves ø, ł, æ,
ß and their kin alone, and then dropped them: "Møllgård" was kept as "mllgard", and a citation
of "Mollgard" never found the paper in the local store. They are now written as their Latin
letters. This revision folds again each stored paper's first author (`paper.first_author`, the
key the local store looks papers up by). Downgrading keeps the new keys: they are derived from
the authors, which stay.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evidence.pubmed.names import fold
from evidence.pubmed.records import PubMedRecord

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    papers = sa.text(
        "SELECT id, authors, first_author FROM paper WHERE id > :after ORDER BY id LIMIT :batch"
    )
    update = sa.text("UPDATE paper SET first_author = :first_author WHERE id = :id")
    after = 0
    while rows := bind.execute(papers, {"after": after, "batch": BATCH}).all():
        changed = [
            {"id": paper_id, "first_author": folded}
            for paper_id, authors, stored in rows
            if (folded := _first_author(authors)) != stored
        ]
        if changed:
            bind.execute(update, changed)
        after = rows[-1][0]


def _first_author(authors: object) -> str | None:
    """The key evidence.pubmed.store writes: the first author's surname, folded."""
    names = json.loads(authors) if isinstance(authors, str) else authors or []
    return fold(PubMedRecord(pmid="", authors=list(names)).first_author) or None


def downgrade() -> None:
    pass
