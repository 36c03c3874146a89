"""The `evidence` command line, driven through Typer's runner on a real database."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.main import get_command
from typer.testing import CliRunner

from api.main import create_app
from evidence.cli import app
from evidence.config import Settings
from evidence.db import make_engine
from evidence.search import RANK_CAP
from tests.conftest import SEED_DECK, SNAPSHOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Starlette would rather have httpx2
    from fastapi.testclient import TestClient

PARSED = {"authors", "first_author", "title", "journal", "year", "month", "volume", "issue",
          "pages", "first_page", "last_page", "doi", "pmid", "pmcid"}  # fmt: skip
README = Path(__file__).resolve().parent.parent / "README.md"


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"EVIDENCE_DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def test_ingest_prints_summary_then_says_nothing_changed(database_url: str) -> None:
    code, out, _ = run(database_url, "ingest", str(SEED_DECK))
    assert code == 0
    assert "37 citations of 30 works" in out and "3 dangling markers" in out
    code, out, _ = run(database_url, "ingest", str(SEED_DECK))
    assert code == 0 and "already ingested" in out and "nothing changed" in out


def test_search_notes_when_a_common_word_is_ranked_only_in_its_newest_claims(
    database_url: str, tmp_path: Path
) -> None:
    crowd = tmp_path / "crowd.txt"
    crowd.write_text(
        "\n\n".join(f"Hepcidin was measured in patient {n}." for n in range(RANK_CAP + 1)),
        encoding="utf-8",
    )
    run(database_url, "ingest", str(crowd))
    code, _, err = run(database_url, "search", "hepcidin", "--format", "json")
    assert code == 0 and f"more than {RANK_CAP} claims" in err
    code, out, err = run(database_url, "search", "hepcidin 7", "--format", "json")
    assert code == 0 and "more than" not in err and len(json.loads(out)) == 1


def test_documents_lists_each_document_with_counts_and_verdicts(database_url: str) -> None:
    code, out, _ = run(database_url, "documents", "--format", "json")
    assert code == 0 and json.loads(out) == []
    run(database_url, "ingest", str(SEED_DECK))
    code, out, _ = run(database_url, "documents", "--format", "json")
    (deck,) = json.loads(out)
    assert deck["source_name"] == SEED_DECK.name and deck["kind"] == "slides"
    assert deck["counts"]["works"] == 30 and deck["counts"]["dangling_markers"] == 3
    assert deck["summary"]["verdicts"] == {"unchecked": 37}  # ingested, never verified
    code, out, _ = run(database_url, "documents")
    assert code == 0 and SEED_DECK.name[:8] in out


def test_claims_json_is_an_array_with_the_contract_fields(database_url: str) -> None:
    run(database_url, "ingest", str(SEED_DECK))
    code, out, _ = run(database_url, "claims", "--format", "json")
    assert code == 0
    claims = json.loads(out)
    assert isinstance(claims, list) and claims
    for claim in claims:
        assert {"id", "document", "page", "topic", "text", "citations"} <= claim.keys()
        for citation in claim["citations"]:
            assert {"id", "label", "as_written"} <= citation.keys()
            assert citation["fields"].keys() >= PARSED


def test_citations_json_carries_parsed_fields_and_citing_claims(database_url: str) -> None:
    run(database_url, "ingest", str(SEED_DECK))
    code, out, _ = run(database_url, "citations", "--format", "json", "--document", "1")
    assert code == 0
    citations = json.loads(out)
    assert len(citations) == 37
    for citation in citations:
        assert {"id", "label", "page", "as_written", "claim_ids"} | PARSED <= citation.keys()
    tamura = next(c for c in citations if c["first_author"] == "Tamura")
    assert tamura["year"] == 1993 and tamura["volume"] == "90" and tamura["label"] is None


def test_json_writes_times_as_the_api_does(database_url: str) -> None:
    """ISO 8601 with a "T" and "Z", one form for the command line and the HTTP API."""
    run(database_url, "ingest", str(SEED_DECK))
    run(database_url, "pubmed", "import", str(SNAPSHOT))
    run(database_url, "enrich", "--offline")
    _, out, _ = run(database_url, "documents", "--format", "json")
    (document,) = json.loads(out)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        (served,) = client.get("/documents").json()["items"]
    assert document["ingested_at"] == served["ingested_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", served["ingested_at"])
    _, out, _ = run(database_url, "citations", "--format", "json")
    resolutions = [c["resolution"] for c in json.loads(out) if c["resolution"]]
    resolved = [r["resolved_at"] for r in resolutions if r["resolved_at"]]
    assert resolved and all(time.endswith("Z") and "T" in time for time in resolved)


def test_bad_file_gets_one_line_and_a_nonzero_exit(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(database_url, "ingest", str(empty))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "empty.txt" in err
    code, out, _ = run(database_url, "claims", "--format", "json")
    assert json.loads(out) == []


def test_unknown_document_is_exit_code_3(database_url: str) -> None:
    code, _, err = run(database_url, "claims", "--document", "999")
    assert code == 3 and "999" in err


@pytest.mark.parametrize("command", [["documents"], ["serve", "--port", "65010"], ["enrich"]])
def test_a_setting_set_wrong_is_one_line_naming_it(command: list[str]) -> None:
    env = {"EVIDENCE_READ_ACCESS": "Key", "EVIDENCE_DATABASE_URL": "sqlite://"}
    result = CliRunner().invoke(app, command, env=env)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: bad setting: EVIDENCE_READ_ACCESS: Input should be 'open' or 'key' (got 'Key')"
    )


def test_old_schema_is_refused_until_upgraded(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    code, _, err = run(database_url, "claims")
    assert code == 4 and "evidence db upgrade" in err


def test_new_database_is_created_at_the_latest_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, out, _ = run(url, "db", "current")
    assert code == 0 and "database at None" in out
    code, out, _ = run(url, "claims", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(url, "db", "current")
    head = re.search(r"latest is (\S+)", out)
    assert head and f"database at {head.group(1)};" in out


def all_commands() -> list[str]:
    group: Any = get_command(app)
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    return names


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help_and_a_readme_entry(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and len(result.stdout) > 100
    assert f"evidence {command}" in README.read_text(encoding="utf-8")


def test_search_that_ends_names_the_citations_it_could_not_look_through(
    database_url: str,
) -> None:
    run(database_url, "ingest", str(SEED_DECK))  # not enriched: no citation has its paper
    code, out, err = run(database_url, "search", "hepcidin", "--format", "json")
    assert code == 0 and json.loads(out) == []
    assert "note: 37 citations are not resolved to a PubMed paper yet" in err
    code, out, err = run(database_url, "search", "hepcidin")
    assert code == 0 and out == "" and "no claim matches 'hepcidin'" in err  # not an empty table
    code, out, err = run(database_url, "search", "IL-6", "--limit", "1")
    assert code == 0 and "not resolved" not in err  # more than a page: the search goes on
    code, out, err = run(database_url, "search", "贫血", "--document", "1", "--limit", "100")
    assert code == 0 and "citations in this document are not resolved" in err
