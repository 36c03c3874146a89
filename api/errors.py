"""Every error the API answers with, in one JSON shape, from one place.

    {"error": {"type": "NotFoundError", "message": "no claim with id 7", "status": 404}}

evidence's exceptions carry their HTTP status (`evidence.errors`); FastAPI's request validation
becomes an InputError (422); Starlette's own errors (an unknown route, a wrong method) keep their
status; anything unexpected is a 500 in the same shape, logged with its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from evidence.errors import EvidenceError, InputError, NotFoundError

log = logging.getLogger(__name__)


class MissingApiKeyError(EvidenceError):
    """A write request without a valid X-API-Key header."""

    http_status = 401


class InvalidApiKeyError(MissingApiKeyError):
    """A write request whose X-API-Key is not one of the server's keys."""


class ReadKeyRequiredError(MissingApiKeyError):
    """A read from a server that lets only key holders read (EVIDENCE_READ_ACCESS=key)."""

    # A browser answers this with a login prompt: any user name, the key as password.
    headers = {"WWW-Authenticate": 'Basic realm="evidence", charset="UTF-8"'}


class WritesDisabledError(EvidenceError):
    """A write request to a server configured with no API keys: writes are refused, not open."""

    http_status = 403


class UploadTooLargeError(InputError):
    """An uploaded file larger than the API accepts."""

    http_status = 413


class ErrorBody(BaseModel):
    """What went wrong: the error's class, a sentence for people, the HTTP status."""

    type: str
    message: str
    status: int


class ErrorResponse(BaseModel):
    """The one shape of every error response."""

    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document these statuses in OpenAPI as the error shape (422 replaces FastAPI's own)."""
    return {status: {"model": ErrorResponse} for status in statuses}


def error_response(error: Exception, *, request: Request | None = None) -> JSONResponse:
    """Map any exception to the one error shape and its status."""
    if isinstance(error, RequestValidationError):
        error = InputError(describe_validation(error))
    if isinstance(error, EvidenceError):
        status, kind, message = error.http_status, type(error).__name__, error.message
    elif isinstance(error, HTTPException):
        status, message = error.status_code, str(error.detail)
        kind = NotFoundError.__name__ if status == 404 else "HTTPError"
        if request is not None and status in (404, 405):
            message = f"{message}: {request.method} {request.url.path}"
    else:
        log.exception("unexpected error", exc_info=error)
        status, kind, message = 500, "InternalError", "internal error; see the server's log"
    body = ErrorResponse(error=ErrorBody(type=kind, message=message, status=status))
    headers = getattr(error, "headers", None)  # 405 says Allow; keep what Starlette set
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def describe_validation(error: RequestValidationError) -> str:
    """Say which parameters were wrong and why, in one line: "limit: ... (got 0)"."""
    parts = []
    for problem in error.errors():
        where = [str(p) for p in problem.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(where) or "request"
        got = problem.get("input")
        shown = (
            f" (got {got!r})" if isinstance(got, str | int | float) and len(str(got)) < 80 else ""
        )
        parts.append(f"{name}: {problem.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


async def handle_error(request: Request, error: Exception) -> JSONResponse:
    """The app's one exception handler."""
    return error_response(error, request=request)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of error through `handle_error`."""
    for kind in (EvidenceError, RequestValidationError, HTTPException, Exception):
        app.add_exception_handler(kind, handle_error)
