"""The search index: papers indexed once and found through the claims citing them, enrichment
making claims findable by their evidence, Chinese sub-words, migrations rebuilding the index,
and `evidence serve --workers`."""

from __future__ import annotations

import asyncio
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from evidence.browse import search_papers
from evidence.cli import app
from evidence.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    session_scope,
    upgrade_database,
)
from evidence.ingest.language import index_tokens, query_tokens
from evidence.ingest.pipeline import ingest_file
from evidence.models import Claim, ClaimPaper, Paper, PaperSearch
from evidence.pubmed.enrich import enrich_citations
from evidence.pubmed.importer import import_files
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.render import render_pubmed_xml
from evidence.search import highlight, index_claims, search_claims
from tests.conftest import SEED_DECK, SNAPSHOT, enrich_offline, seed_deck


def texts(engine: Engine, q: str) -> list[str]:
    with Session(engine) as session:
        return [hit.text for hit in search_claims(session, q=q, limit=100).items]


@pytest.mark.parametrize("query", ["破骨", "破骨细胞"])
def test_osteoclast_in_chinese_is_found_whole_or_in_part(engine: Engine, query: str) -> None:
    ingest_file(engine, SEED_DECK)
    found = texts(engine, query)
    assert "IL-6通过活化破骨细胞导致骨关节破坏" in found
    assert all("破骨" in text for text in found)  # own words only: no evidence yet


@pytest.mark.parametrize(
    ("query", "tokens"),
    [("破骨", ["破骨"]), ("破骨细胞", ["破骨", "骨细", "细胞"]), ("贫血疲劳", ["贫血", "疲劳"]),
     ("骨", ["骨"]), ("IL-6 贫血", ["il6", "贫血"]), ("anaemia cells", ["anemia", "cell"])],
)  # fmt: skip
def test_query_tokens_are_held_by_any_text_holding_the_query(query: str, tokens: list[str]) -> None:
    assert query_tokens(query) == tokens
    stored = set(index_tokens(f"患者{query}明显"))
    assert set(tokens) <= stored


def test_snippet_marks_a_long_word_asked_for_by_its_pairs() -> None:
    assert (
        highlight("诱导破骨细胞分化", query_tokens("破骨细胞")) == "诱导<mark>破骨细胞</mark>分化"
    )


def test_a_claim_is_found_through_evidence_once_enrichment_links_the_paper(engine: Engine) -> None:
    ingest_file(engine, SEED_DECK)
    import_files(engine, [SNAPSHOT])
    assert texts(engine, "osteoclast") == []  # the papers are stored but no citation rests on one

    async def enrich() -> None:
        with session_scope(engine) as session:
            await enrich_citations(session, client=None)

    asyncio.run(enrich())
    found = texts(engine, "osteoclast")
    assert "IL-6通过活化破骨细胞导致骨关节破坏" in found
    with Session(engine) as session:
        papers = session.exec(select(func.count()).select_from(PaperSearch)).one()
        links = session.exec(select(func.count(func.distinct(ClaimPaper.paper_id)))).one()
    assert 0 < papers == links  # each cited paper's words are stored once


def test_own_words_score_above_one_and_evidence_below(engine: Engine) -> None:
    seed_deck(engine)
    with Session(engine) as session:
        hits = search_claims(session, q="贫血 anemia", limit=100).items
    own = [h for h in hits if "贫血" in h.text + (h.topic or "") and "anemia" in h.text.lower()]
    assert hits and not own  # no claim says both words itself
    assert all(0 < (h.score or 0) < 1 for h in hits)  # all found through their evidence
    with Session(engine) as session:
        hits = search_claims(session, q="IL-6", limit=100).items
    assert any((h.score or 0) > 1 for h in hits) and any((h.score or 0) < 1 for h in hits)
    scores = [h.score or 0 for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_upgrade_from_0004_rebuilds_the_index(engine: Engine) -> None:
    seed_deck(engine)
    expected = {q: texts(engine, q) for q in ["osteoclast", "贫血", "破骨"]}
    command.downgrade(alembic_config(engine), "0004")
    assert current_revision(engine) == "0004"
    upgrade_database(engine)
    assert current_revision(engine) == head_revision(engine)
    assert {q: texts(engine, q) for q in expected} == expected


SEARCH_ROWS = {
    "claim_search": "SELECT claim_id, own FROM claim_search",
    "paper_search": "SELECT paper_id, words FROM paper_search",
    "claim_paper": "SELECT claim_id, paper_id FROM claim_paper",
}


def search_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: sorted(tuple(row) for row in connection.execute(text(query)))
            for table, query in SEARCH_ROWS.items()
        }


def test_upgrade_from_0004_writes_the_rows_index_claims_writes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_deck(engine)  # 124 claims, some without a topic; citations resolved to 14 papers or not
    with session_scope(engine) as session:
        session.add(Paper(pmid="99999999", title="Zebrafishoid"))  # cited by no claim: unindexed
    with session_scope(engine) as session:
        index_claims(session)
    expected = search_rows(engine)
    command.downgrade(alembic_config(engine), "0004")
    assert current_revision(engine) == "0004"
    # Chunks of 7: the claims end in a short chunk, the 14 cited papers in two full ones and an
    # empty read. Alembic loads each revision afresh, so hand it the script already patched.
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    revision = script.get_revision("0005")
    assert revision is not None
    monkeypatch.setattr(revision.module, "CHUNK", 7)
    monkeypatch.setattr(ScriptDirectory, "from_config", lambda _config: script)
    command.upgrade(config, "head")
    assert current_revision(engine) == head_revision(engine)
    assert search_rows(engine) == expected
    assert len(expected["claim_search"]) == 124 and len(expected["paper_search"]) == 14
    assert len(expected["claim_paper"]) > 7


GREEK = [
    "Serum ΟΔΟΣ level was measured with hepcidin in patient group one.",
    "Serum ΟΔΟΣ level was measured with ferritin in patient group two.",
    "Serum ΣΑΣ level was measured with neither in patient group three.",
]


@pytest.fixture
def greek(engine: Engine, tmp_path: Path) -> Engine:
    """A manuscript of the GREEK sentences, ingested."""
    path = tmp_path / "greek.txt"
    path.write_text("\n\n".join(GREEK), encoding="utf-8")
    ingest_file(engine, path)
    return engine


def test_a_greek_word_ending_in_sigma_is_found_however_its_sigma_is_written(
    greek: Engine,
) -> None:
    engine = greek
    for query in ("ΟΔΟΣ", "οδος", "οδοσ", "Οδος hepcidin", "οδοσ ferritin"):
        found = texts(engine, query)
        assert found and all("ΟΔΟΣ" in text for text in found), query
    assert texts(engine, "οδοσ hepcidin") == [GREEK[0]]


def test_upgrade_to_0007_folds_the_final_sigmas_an_older_index_holds(greek: Engine) -> None:
    engine = greek
    expected = search_rows(engine)
    command.downgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:  # as evidence before 0007 indexed them
        connection.execute(text("UPDATE claim_search SET own = replace(own, 'σ ', 'ς ')"))
        connection.execute(text("UPDATE claim_search SET own = own || ' οδος'"))
    command.upgrade(alembic_config(engine), "0007")  # 0012 indexes every claim again
    rows = search_rows(engine)
    assert "ς" not in str(rows)
    assert rows["claim_search"] == [(i, own + " οδοσ") for i, own in expected["claim_search"]]
    upgrade_database(engine)
    assert texts(engine, "ΣΑΣ") == [GREEK[2]]


FULL_WIDTH = [
    "托珠单抗降低ＩＬ－６升高患者的铁调素水平，６６例患者贫血改善",
    "托珠单抗改善IL-6升高患者的疲劳，66例患者完成随访",
    "托珠单抗改善患者的骨破坏，随访一年",
]


def test_a_claim_typed_full_width_is_found_by_its_ascii_words(
    engine: Engine, tmp_path: Path
) -> None:
    """An input method's full-width forms ("ＩＬ－６", "６６例") are the ASCII words, both ways,
    and the snippet marks them; the upgrade to 0010 indexes such claims again."""
    path = tmp_path / "full-width.txt"
    path.write_text("\n\n".join(FULL_WIDTH), encoding="utf-8")
    ingest_file(engine, path)
    for query in ("IL-6", "ＩＬ－６", "il6 66例", "６６例"):
        assert sorted(texts(engine, query)) == sorted(FULL_WIDTH[:2]), query
    with Session(engine) as session:
        (hit,) = search_claims(session, q="IL-6 贫血").items
    assert hit.snippet is not None and "<mark>ＩＬ－６</mark>" in hit.snippet
    expected = search_rows(engine)
    command.downgrade(alembic_config(engine), "0009")
    with engine.begin() as connection:  # as evidence before 0010 indexed them: no il6, no 66
        connection.execute(
            text(
                "UPDATE claim_search SET own = replace(replace(own, 'il6 ', ''), '66 ', '')"
                " WHERE claim_id IN (SELECT id FROM claim WHERE text LIKE '%ＩＬ%')"
            )
        )
    assert texts(engine, "IL-6") == [FULL_WIDTH[1]]
    upgrade_database(engine)
    assert search_rows(engine) == expected


def test_serve_takes_a_number_of_workers() -> None:
    runner = CliRunner()
    assert "--workers" in runner.invoke(app, ["serve", "--help"]).stdout
    refused = runner.invoke(app, ["serve", "--workers", "0"])
    assert refused.exit_code == 2 and "workers" in refused.stderr


def test_a_reimport_refreshes_the_words_claims_are_found_by(engine: Engine, tmp_path: Path) -> None:
    seed_deck(engine)  # Kudo 2003 (osteoclast formation) is cited and indexed
    (kudo,) = [r for r in parse_pubmed_xml(SNAPSHOT.read_bytes()) if r.pmid == "12584029"]
    changed = tmp_path / "changed.xml"
    changed.write_bytes(
        render_pubmed_xml([asdict(replace(kudo, title=f"{kudo.title} Zebrafishoid model"))])
    )
    with Session(engine) as session:
        assert search_claims(session, q="zebrafishoid").items == []
    import_files(engine, [changed])  # PubMed's record changed: the claims citing it follow
    with Session(engine) as session:
        found = search_claims(session, q="zebrafishoid").items
    assert found and all("12584029" in hit.found_through for hit in found)


def test_db_reindex_rebuilds_a_stale_index(database_url: str) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    engine = make_engine(database_url)
    found = texts(engine, "贫血 anemia")
    with engine.begin() as connection:  # as if written by another tokenizer
        connection.execute(text("UPDATE claim_search SET own = 'stale'"))
        connection.execute(text("DELETE FROM claim_paper"))
    assert found and texts(engine, "贫血 anemia") == []
    result = runner.invoke(app, ["db", "reindex"], env=env)
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        claims = session.exec(select(func.count()).select_from(Claim)).one()
    assert f"reindexed {claims} claims" in result.stdout
    assert texts(engine, "贫血 anemia") == found
    engine.dispose()


def test_a_paper_only_a_reference_list_cites_is_found_by_its_words(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    manuscript = tmp_path / "manuscript.txt"
    manuscript.write_text(
        "Interleukin-6 drives joint damage in rheumatoid arthritis [1].\n\n"
        "References\n"
        "1. Nakahara H, et al. Arthritis Rheum 2003; 48:1521–1529.\n"
        "2. Kudo O, et al. Bone 2003; 32:1–7.\n",  # Kudo 2003: never cited in the text
        encoding="utf-8",
    )
    ingest_file(engine, manuscript)
    enrich_offline(engine)
    with Session(engine) as session:
        found = [p.pmid for p in search_papers(session, q="osteoclast formation").items]
        assert found == ["12584029"]
        assert search_claims(session, q="osteoclast").items == []  # no claim rests on it
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM paper_search"))
    reindexed = CliRunner().invoke(
        app, ["db", "reindex"], env={"EVIDENCE_DATABASE_URL": database_url}
    )
    assert reindexed.exit_code == 0, reindexed.output
    with Session(engine) as session:
        assert [p.pmid for p in search_papers(session, q="osteoclast formation").items] == found
    with engine.begin() as connection:  # resolved again, elsewhere: its index row is stale
        connection.execute(text("UPDATE citation SET paper_id = NULL WHERE label = '2'"))
    with Session(engine) as session:
        assert search_papers(session, q="osteoclast formation").items == []


def test_upgrade_to_0012_writes_the_rows_index_claims_writes(engine: Engine) -> None:
    """Revision 0012 indexes every claim's own words and every indexed paper's words again, as
    index_claims does now: hyphenated words' parts ("anti-IL-6": anti, il6), no possessive "s"."""
    seed_deck(engine)
    with session_scope(engine) as session:
        index_claims(session)
    expected = search_rows(engine)
    assert any(" anti " in f" {words} " for _, words in expected["paper_search"])
    command.downgrade(alembic_config(engine), "0011")
    with engine.begin() as connection:  # what an index made before 0012 held, or any stale row
        connection.execute(text("UPDATE claim_search SET own = 'stale'"))
        connection.execute(text("UPDATE paper_search SET words = 'stale'"))
    upgrade_database(engine)
    assert search_rows(engine) == expected


def test_a_papers_check_tags_are_no_words_it_is_found_by() -> None:
    """MeSH's check tags ("Humans", "Male") say who was studied: "humanized" (stemmed "human")
    found every claim resting on a paper about humans."""
    from evidence.search.index import words_of_paper

    words = words_of_paper(
        "Tocilizumab in RA", None,
        [{"descriptor": "Humans"}, {"descriptor": "Male"}, {"descriptor": "Arthritis, Rheumatoid"}],
        ["IL-6"],
    )  # fmt: skip
    assert "Humans" not in words and "Male" not in words and "Arthritis, Rheumatoid" in words
