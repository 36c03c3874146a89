"""fold undecomposed letters: "Møllgård" is found as "Mollgard"

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 11:00:00

Names were folded to ASCII by Unicode's decomposition, which leaves ø, ł, æ, ß and their kin
alone, and then dropped them: "Møllgård" was kept as "mllgard", so a citation of "Mollgard"
never found the paper in the local store, and two citations of one work, one written
"Møllgård" and one "Mollgard", were two works. They are now written as their Latin letters
(evidence.ingest.citation_patterns.ascii_letters). This revision folds again the keys derived
from names: each stored paper's first author (`paper.first_author`, what the local store looks
papers up by) and each citation's `work_key`. Only rows holding a letter outside ASCII can
change. Downgrading keeps the new keys: they are derived from what stays.
"""

import json
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from evidence.ingest.citation import ParsedCitation, work_key
from evidence.pubmed.names import fold
from evidence.pubmed.records import PubMedRecord

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    _refold(
        bind,
        "SELECT id, authors, first_author FROM paper",
        "UPDATE paper SET first_author = :key WHERE id = :id",
        _paper_key,
    )
    _refold(
        bind,
        "SELECT id, as_written, first_author, year, first_page, article_number, volume, work_key"
        " FROM citation",
        "UPDATE citation SET work_key = :key WHERE id = :id",
        _citation_key,
    )


def _refold(
    bind: sa.Connection, select: str, update: str, key_of: Callable[..., str | None]
) -> None:
    """Read rows in id order, a batch at a time; write the keys that change (key_of gives the
    key anew, or None when the row holds nothing to fold)."""
    rows_after = sa.text(f"{select} WHERE id > :after ORDER BY id LIMIT :batch")
    after = 0
    while rows := bind.execute(rows_after, {"after": after, "batch": BATCH}).all():
        changed = [
            {"id": row[0], "key": key}
            for row in rows
            if (key := key_of(*row[1:-1])) is not None and key != row[-1]
        ]
        if changed:
            bind.execute(sa.text(update), changed)
        after = rows[-1][0]


def _paper_key(authors: str | list[str] | None) -> str | None:
    """The key evidence.pubmed.store writes: the first author's surname, folded."""
    names = json.loads(authors) if isinstance(authors, str) else authors or []
    if not names or names[0].isascii():
        return None
    return fold(PubMedRecord(pmid="", authors=list(names)).first_author) or None


def _citation_key(
    written: str, first: str | None, year: int | None, page: str | None, number: str | None,
    volume: str | None,
) -> str | None:  # fmt: skip
    """The key evidence.ingest.pipeline writes: work_key of the citation's parsed fields."""
    if written.isascii() and (first or "").isascii():
        return None
    parsed = ParsedCitation(
        raw=written, first_author=first, year=year, first_page=page, article_number=number,
        volume=volume,
    )  # fmt: skip
    return work_key(parsed)


def downgrade() -> None:
    pass
