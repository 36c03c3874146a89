"""fold final sigma: the index holds σ where a Greek word ended in ς

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 18:00:00

Python lower-cases a capital Σ at the end of a word to ς ("ΟΔΟΣ" to "οδος"), and a query typed
with σ ("οδοσ") asked for another token. FTS5's tokenizer folds ς to σ, PostgreSQL's 'simple'
configuration does not, so the two backends found different claims. evidence.ingest.language
now folds ς to σ in every token, and this revision folds the tokens already stored: a character
for a character, which is what indexing them again would write (the stemmer changes only Latin
endings). Downgrading leaves them folded: the index is derived data, and σ is what a search
asks for.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {"claim_search": "own", "paper_search": "words"}


def upgrade() -> None:
    # SQLite's triggers rewrite the FTS5 rows; PostgreSQL recomputes the generated vectors.
    for table, column in COLUMNS.items():
        op.execute(
            f"UPDATE {table} SET {column} = replace({column}, 'ς', 'σ') WHERE {column} LIKE '%ς%'"
        )


def downgrade() -> None:
    pass
