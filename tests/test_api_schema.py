"""The API against its own OpenAPI schema (schemathesis): requests generated from the schema,
valid and invalid, on a database holding the seed deck. No answer is a 5xx, every answer matches
the schema, and invalid requests are refused.

schemathesis's lazy pytest loader (`schemathesis.pytest.from_fixture`) does not run on pytest 9.2
(it sets `Node._nodeid`, which pytest 9.2 no longer has), so each operation's cases are drawn
here with `APIOperation.as_strategy` and Hypothesis, inside one test that has the fixtures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.schemas import APIOperation, BaseSchema
from sqlalchemy.engine import Engine

from api.main import create_app
from evidence.config import Settings
from evidence.pubmed.parse import parse_pubmed_xml
from tests.eutils_server import EUtilsServer
from tests.test_api import KEY, SNAPSHOT, seed

EXAMPLES = 12  # per operation and mode: ~10 operations, 2 modes, in well under a minute


@pytest.fixture
def api_schema(
    database_url: str, engine: Engine, eutils_server: Callable[..., EUtilsServer]
) -> BaseSchema:
    """The schema of an app on the seeded database; enrichment talks to a loopback E-utilities."""
    seed(engine)
    server = eutils_server(parse_pubmed_xml(SNAPSHOT.read_bytes()))
    settings_ = Settings(
        database_url=database_url, api_keys=[KEY], eutils_url=server.url, ncbi_api_key="k"
    )
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings_))


def check_operation(operation: APIOperation, mode: GenerationMode) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: CI must not pass or fail by luck
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: schemathesis.Case) -> None:
        if mode is GenerationMode.POSITIVE:
            # A cursor is opaque: any string fits the schema, but only those the API gave out
            # are accepted (422 otherwise, tested in test_api), so valid cases do not make one up.
            case.query.pop("cursor", None)
        # An upload fits the schema whatever its name and bytes, but only a readable document
        # is accepted (415/422 otherwise, tested in test_api).
        excluded = [positive_data_acceptance] if case.operation.method == "post" else []
        case.call_and_validate(headers={"X-API-Key": KEY}, excluded_checks=excluded)

    check()


def test_api_answers_generated_requests_by_its_schema_and_never_5xx(api_schema: BaseSchema) -> None:
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                check_operation(operation, mode)
            except Unsatisfiable:  # nothing to get wrong: an operation without parameters
                assert mode is GenerationMode.NEGATIVE
            except (Exception, BaseExceptionGroup) as error:  # report every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
