"""The one exception tree of evidence, mapped once to exit codes and HTTP statuses.

    EvidenceError                      exit 1   HTTP 500
    ├── InputError                     exit 2   HTTP 422  bad input from a user
    │   ├── DocumentReadError          exit 2   HTTP 422  a file that cannot be read as a document
    │   └── UnsupportedFormatError     exit 2   HTTP 415  an extension no reader handles
    ├── NotFoundError                  exit 3   HTTP 404  an id that is not in the database
    ├── SchemaOutOfDateError           exit 4   HTTP 503  the database needs `evidence db upgrade`
    └── ExternalServiceError           exit 5   HTTP 502  PubMed failed after every retry
        └── PubMedError                exit 5   HTTP 502  NCBI said an error (in a 200, too)

The CLI and the API each translate these in one place (`evidence.cli`, `api.errors`).
"""

from __future__ import annotations

from pathlib import Path


class EvidenceError(Exception):
    """Base of every error evidence raises on purpose."""

    exit_code: int = 1
    http_status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(EvidenceError):
    """Input that evidence refuses: the message says what was wrong."""

    exit_code = 2
    http_status = 422


class DocumentReadError(InputError):
    """A file that cannot be read as a document (empty, binary, corrupt, missing)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class UnsupportedFormatError(DocumentReadError):
    """A file whose extension no reader handles."""

    http_status = 415


class NotFoundError(EvidenceError):
    """An id that names nothing in the database."""

    exit_code = 3
    http_status = 404


class SchemaOutOfDateError(EvidenceError):
    """The database was made by an older evidence and must be migrated first."""

    exit_code = 4
    http_status = 503


class ExternalServiceError(EvidenceError):
    """An outside service (NCBI E-utilities) failed after every retry."""

    exit_code = 5
    http_status = 502


class PubMedError(ExternalServiceError):
    """NCBI E-utilities answered with an error: an <ERROR> element, an "error" key, an HTML page."""
