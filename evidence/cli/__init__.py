"""The `evidence` command line: a thin layer over the library, one module per subject."""

from evidence.cli import database, demo, documents, export, pubmed, search, serve, verify  # noqa: F401  (they register commands)
from evidence.cli.app import app

__all__ = ["app"]
