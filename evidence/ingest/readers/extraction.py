"""What every format reader returns, the reason it gives up, and the one way page text is tidied.

Readers are pure (bytes in, `ExtractedText` out) and do not know the file's name: they raise
`ReadProblem`, and `readers.document` turns it into a `DocumentReadError` that names the file.
"""

from __future__ import annotations

from dataclasses import dataclass

# Titles that tools write when the author set none: metadata, not a title.
_PLACEHOLDER_TITLES = frozenset({"powerpoint presentation", "untitled"})


@dataclass(frozen=True)
class ExtractedText:
    """Page texts in source order (index 0 is page 1; a page may be empty) and the title."""

    pages: list[str]
    title: str | None = None


class ReadProblem(Exception):
    """A reader's one-line reason that a document cannot be read; the caller adds the file name."""


def tidy_page_text(text: str) -> str:
    """Normalise newlines; strip trailing whitespace of lines and blank lines at both ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    # Leading spaces are kept: the claim extractor reads indentation.
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def tidy_title(title: object) -> str | None:
    """Return a metadata title collapsed to one line, or None when it is blank or a placeholder."""
    if not isinstance(title, str):
        return None
    text = " ".join(title.split())
    if not text or text.casefold() in _PLACEHOLDER_TITLES:
        return None
    return text


def describe_exception(exc: BaseException) -> str:
    """Return a library exception as one short line for an error message."""
    detail = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
