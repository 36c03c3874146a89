"""Health: is the database reachable, and at which schema revision."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError

from api.deps import EngineDep
from evidence.db import current_revision

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Whether the service can answer: "ok", or "unavailable" with status 503."""

    model_config = ConfigDict(serialize_by_alias=True)

    status: str
    database: str  # "ok" or "unreachable"
    schema_: str | None = Field(default=None, alias="schema")  # the schema revision


@router.get("/health", responses={503: {"model": Health}})
def read_health(engine: EngineDep, response: Response) -> Health:
    """Say whether the database answers, and its schema revision."""
    try:
        revision = current_revision(engine)
    except SQLAlchemyError:
        response.status_code = 503
        return Health(status="unavailable", database="unreachable")
    return Health(status="ok", database="ok", schema=revision)
