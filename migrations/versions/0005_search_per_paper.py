"""search per paper: claims' own words, papers' words once each, claim→paper links; FTS5
(SQLite) and GIN-indexed tsvectors (PostgreSQL) over both; the index rebuilt from the rows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 09:00:00

The rows are cut into tokens by the installed evidence's tokenizer
(evidence.ingest.language.index_tokens), not by a copy frozen here: deliberately, since the index
must hold the tokens the running code searches with (query_tokens), and an index is derived data,
not a record. So a later tokenizer change also changes what this revision writes when it upgrades
an old database; a database already past it keeps its old tokens until the index is rebuilt
(`evidence db reindex`, which calls evidence.search.index_claims on every claim). A tokenizer
change should come with that rebuild.

The SQL is written out here (a revision must not change when the models do) and reads the
claims, then the cited papers, CHUNK rows at a time by id (keyset), so memory stays bounded
however many rows the database holds.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from evidence.ingest.language import index_tokens

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 2000  # rows read, tokenized and written at a time: bounded memory on any database

# External-content FTS5 tables kept by triggers (sqlite-utils' pattern). The tokens are already
# cut by evidence, so unicode61 only splits on the spaces between them. detail='none': search
# only asks which rows hold a token (ranking is evidence's own), so no positions are stored.
SQLITE_FTS = {"claim_fts": ("claim_search", "claim_id", "own"),
              "paper_fts": ("paper_search", "paper_id", "words")}  # fmt: skip


def _sqlite_statements(fts: str, content: str, key: str, column: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{content}',
            content_rowid='{key}', tokenize='unicode61', detail='none')""",
        f"""CREATE TRIGGER {content}_ai AFTER INSERT ON {content} BEGIN
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{key}, new.{column}); END""",
        f"""CREATE TRIGGER {content}_ad AFTER DELETE ON {content} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});
            END""",
        f"""CREATE TRIGGER {content}_au AFTER UPDATE ON {content} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{key}, new.{column}); END""",
    ]


# 'simple': no stemming or stop words of PostgreSQL's own, so both backends match the same
# tokens; strip(): positions and weights are never used, and the vectors are half the size.
def _postgresql_statements(table: str, column: str) -> list[str]:
    return [
        f"""ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            strip(to_tsvector('simple', {column}))) STORED""",
        f"CREATE INDEX ix_{table}_vector ON {table} USING gin (search_vector)",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for name in ("claim_search_ai", "claim_search_ad", "claim_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claim_fts")
    op.drop_table("claim_search")  # PostgreSQL: its vector and GIN index go with it
    op.create_table(
        "claim_search",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("own", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"],
            name=op.f("fk_claim_search_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_search")),
    )  # fmt: skip
    op.create_table(
        "paper_search",
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"],
            name=op.f("fk_paper_search_paper_id_paper"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("paper_id", name=op.f("pk_paper_search")),
    )  # fmt: skip
    op.create_table(
        "claim_paper",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"],
            name=op.f("fk_claim_paper_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"],
            name=op.f("fk_claim_paper_paper_id_paper"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", "paper_id", name=op.f("pk_claim_paper")),
    )  # fmt: skip
    op.create_index("ix_claim_paper_paper_id_claim_id", "claim_paper", ["paper_id", "claim_id"])
    if sqlite:
        for fts, (content, key, column) in SQLITE_FTS.items():
            for statement in _sqlite_statements(fts, content, key, column):
                op.execute(statement)
    else:
        for table, column in (("claim_search", "own"), ("paper_search", "words")):
            for statement in _postgresql_statements(table, column):
                op.execute(statement)
    _rebuild(bind)


def _rebuild(bind: Any) -> None:
    """Index every stored claim, the papers they rest on and the links, as
    evidence.search.index_claims would."""
    claims = "SELECT id, text, topic FROM claim WHERE id > :after ORDER BY id LIMIT :size"
    for chunk in _keyset_chunks(bind, "claim", claims):
        own = [{"i": i, "own": " ".join(index_tokens(f"{t} {c or ''}"))} for i, t, c in chunk]
        bind.execute(sa.text("INSERT INTO claim_search (claim_id, own) VALUES (:i, :own)"), own)
        bind.execute(sa.text(
            "INSERT INTO claim_paper (claim_id, paper_id) SELECT DISTINCT cc.claim_id, c.paper_id"
            " FROM claim_citation cc JOIN citation c ON c.id = cc.citation_id"
            " WHERE c.paper_id IS NOT NULL AND cc.claim_id BETWEEN :first AND :last"
        ), {"first": chunk[0][0], "last": chunk[-1][0]})  # fmt: skip
    papers = (
        "SELECT id, title, abstract, mesh, keywords FROM paper WHERE id > :after"
        " AND EXISTS (SELECT 1 FROM claim_paper cp WHERE cp.paper_id = paper.id)"
        " ORDER BY id LIMIT :size"
    )
    for chunk in _keyset_chunks(bind, "paper", papers):
        words = [{"i": row[0], "words": _paper_tokens(*row[1:])} for row in chunk]
        bind.execute(sa.text("INSERT INTO paper_search (paper_id, words) VALUES (:i, :words)"),
                     words)  # fmt: skip


def _keyset_chunks(bind: Any, table: str, query: str) -> Iterator[list[Any]]:
    """Yield the rows of `query` (id first, `id > :after`, ordered by id, `LIMIT :size`) CHUNK at
    a time: each chunk starts after the last id of the one before, so no offset is scanned again
    and no cursor stays open while the chunk's rows are written."""
    after = bind.execute(sa.text(f"SELECT min(id) - 1 FROM {table}")).scalar()
    if after is None:
        return  # no rows
    while True:
        chunk = bind.execute(sa.text(query), {"after": after, "size": CHUNK}).all()
        if chunk:
            yield chunk
        if len(chunk) < CHUNK:
            return
        after = chunk[-1][0]


def _paper_tokens(title: str | None, abstract: str | None, mesh: Any, keywords: Any) -> str:
    mesh = json.loads(mesh) if isinstance(mesh, str) else mesh or []
    keywords = json.loads(keywords) if isinstance(keywords, str) else keywords or []
    headings = " ".join(str(m.get("descriptor", "")) for m in mesh)
    text = " ".join([title or "", abstract or "", headings, " ".join(keywords)])
    return " ".join(dict.fromkeys(index_tokens(text)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for content in ("claim_search", "paper_search"):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {content}_{suffix}")
        op.execute("DROP TABLE IF EXISTS claim_fts")
        op.execute("DROP TABLE IF EXISTS paper_fts")
    op.drop_table("claim_paper")
    op.drop_table("paper_search")
    op.drop_table("claim_search")
    # 0004's table and index, empty: evidence of that revision rebuilds it on the next ingest.
    op.create_table(
        "claim_search",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("own", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"],
            name=op.f("fk_claim_search_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_search")),
    )  # fmt: skip
    if op.get_bind().dialect.name == "sqlite":
        op.execute("""CREATE VIRTUAL TABLE claim_fts USING fts5(own, evidence,
            content='claim_search', content_rowid='claim_id', tokenize='unicode61')""")
        op.execute("""CREATE TRIGGER claim_search_ai AFTER INSERT ON claim_search BEGIN
            INSERT INTO claim_fts(rowid, own, evidence) VALUES (new.claim_id, new.own,
            new.evidence); END""")
        op.execute("""CREATE TRIGGER claim_search_ad AFTER DELETE ON claim_search BEGIN
            INSERT INTO claim_fts(claim_fts, rowid, own, evidence)
            VALUES ('delete', old.claim_id, old.own, old.evidence); END""")
        op.execute("""CREATE TRIGGER claim_search_au AFTER UPDATE ON claim_search BEGIN
            INSERT INTO claim_fts(claim_fts, rowid, own, evidence)
            VALUES ('delete', old.claim_id, old.own, old.evidence);
            INSERT INTO claim_fts(rowid, own, evidence) VALUES (new.claim_id, new.own,
            new.evidence); END""")
    else:
        op.execute("""ALTER TABLE claim_search ADD COLUMN search_vector tsvector GENERATED
            ALWAYS AS (setweight(to_tsvector('simple', own), 'A') ||
            setweight(to_tsvector('simple', evidence), 'B')) STORED""")
        op.execute("CREATE INDEX ix_claim_search_vector ON claim_search USING gin (search_vector)")
