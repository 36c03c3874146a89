"""A list of ids in a statement as one bound parameter, whatever its length.

SQLAlchemy's `column.in_(bindparam(..., expanding=True))` writes the statement anew on every
call, with a parameter for each id: the statement's text changes with the list's length (so
PostgreSQL prepares it again), every id is bound on its own, and SQLite refuses more than its
build allows (999 before 3.32, 32,766 since). `among` binds the whole list once: PostgreSQL
compares with `= ANY` of an integer array, SQLite reads the list as JSON (`json_each`). A search
page's claims (three statements for 20 ids) cost 2.65 against 1.73 ms of Python on PostgreSQL,
and 1.08 against 0.81 ms on SQLite; the 15 bench searches, 11% and 3% fewer instructions.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Integer, String, any_, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import TypeDecorator

__all__ = ["among"]


class IdsAsJson(TypeDecorator[list[int]]):
    """A list of ids bound as the text of a JSON array (what SQLite's json_each reads)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: list[int] | None, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(list(value))


def among(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """Return the condition that `column` (an integer column) is one of the ids bound as `name`
    (a list of ints, passed when the statement runs), for a statement built for `dialect`."""
    condition: ColumnElement[bool]
    if dialect == "postgresql":
        condition = column == any_(bindparam(name, type_=ARRAY(Integer)))
    elif dialect == "sqlite":
        listed = text(f"SELECT value FROM json_each(:{name})")
        listed = listed.bindparams(bindparam(name, type_=IdsAsJson))
        condition = column.in_(listed.columns(value=Integer))
    else:
        condition = column.in_(bindparam(name, expanding=True))
    return condition
