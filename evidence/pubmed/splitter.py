"""Cut a PubmedArticleSet byte stream into its top-level elements, one block in memory.

A byte-level splitter, not a parser: each element comes out exactly as PubMed sent it (so a
record's `raw_xml` is the PubmedArticle byte for byte), and memory holds one 1 MiB block and one
article at a time, however long the file. It also recognises what NCBI sends instead of an
answer (an HTML page, an <ERROR> element, a truncated body, another root) and says so.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from evidence.errors import PubMedError

__all__ = ["BLOCK", "ArticleSplitter", "cut_reference_lists"]

BLOCK = 1 << 20
_TAG = re.compile(r"<[^>]*>")
_NONSPACE = re.compile(rb"\S")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class ArticleSplitter:
    """Cut a PubmedArticleSet byte stream into its top-level elements, one block in memory."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buf = b""
        self._pos = 0
        self._eof = False

    def elements(self) -> Iterator[tuple[bytes, bytes]]:
        """Yield (tag name, element bytes) for each child of the root, checking the root first."""
        if self._open_root():
            return
        while True:
            start = self._next_nonspace()
            if start < 0:
                raise PubMedError("PubMed XML is truncated: it ends before </PubmedArticleSet>")
            if self._buf[start : start + 1] != b"<":
                raise PubMedError("PubMed XML has text between records: not an EFetch answer")
            name, text, length = self._tag()
            if text.startswith(b"/"):
                return  # </PubmedArticleSet>
            if text.startswith((b"!", b"?")) or text.endswith(b"/"):
                self._pos += length
                continue  # a comment, a processing instruction or an empty element
            close = b"</" + name + b">"
            stop = self._find(close)
            if stop < 0:
                raise PubMedError(f"PubMed XML is truncated inside a <{name.decode()}> element")
            element = self._buf[self._pos : stop + len(close)]
            self._pos = stop + len(close)
            if name == b"ERROR":
                raise PubMedError(f"NCBI answered with an error: {_plain(element)}")
            yield name, element

    def _open_root(self) -> bool:
        """Read up to the root's start tag; tell whether the set is empty (self-closing)."""
        start = self._next_nonspace()
        if start < 0:
            raise PubMedError("PubMed sent an empty answer")
        if self._buf.startswith(b"\xef\xbb\xbf", start):
            self._pos = start + 3
            start = self._next_nonspace()
        while start >= 0 and self._buf[start : start + 1] == b"<":
            name, text, length = self._tag()
            if text.startswith(b"?xml"):
                encoding = _ENCODING.search(text)
                if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii"):
                    raise PubMedError(f"PubMed XML in {encoding.group(1).decode()}, not UTF-8")
            elif text.lower().startswith(b"!doctype html") or name.lower() == b"html":
                raise PubMedError(f"NCBI answered with an HTML page, not XML: {self._snippet()}")
            elif name == b"PubmedArticleSet":
                self._pos += length
                return text.endswith(b"/")
            elif not text.startswith((b"?", b"!")):
                if b"<ERROR>" in self._buf[self._pos : self._pos + 65536] or name == b"ERROR":
                    raise PubMedError(f"NCBI answered with an error: {self._snippet()}")
                raise PubMedError(f"not a PubMed EFetch answer: the root is <{name.decode()}>")
            self._pos += length
            start = self._next_nonspace()
        raise PubMedError(f"PubMed sent something that is not XML: {self._snippet()}")

    def _tag(self) -> tuple[bytes, bytes, int]:
        """Return the name, text and length of the markup at the position (tag, comment, ...)."""
        closer = b"-->" if self._buf.startswith(b"<!--", self._pos) else b">"
        end = self._find(closer)
        if end < 0:
            raise PubMedError("PubMed XML is truncated inside a tag")
        text = self._buf[self._pos + 1 : end]
        name = text.split(None, 1)[0].rstrip(b"/") if text.strip() else b""
        return name, text, end + len(closer) - self._pos

    def _find(self, needle: bytes) -> int:
        """Return where `needle` starts at or after the position, reading on; -1 at the end."""
        start = self._pos
        while (found := self._buf.find(needle, start)) < 0:
            scanned = len(self._buf) - self._pos
            if not self._more():
                return -1
            start = max(0, scanned - len(needle) + 1)
        return found

    def _next_nonspace(self) -> int:
        """Move past whitespace and return where the next byte is; -1 at the end."""
        while (match := _NONSPACE.search(self._buf, self._pos)) is None:
            self._pos = len(self._buf)
            if not self._more():
                return -1
        self._pos = match.start()
        return self._pos

    def _more(self) -> bool:
        """Append the next block to the unread part of the buffer; tell whether there was one."""
        if self._eof:
            return False
        try:
            block = self._stream.read(BLOCK)
        except (OSError, EOFError, zlib.error) as exc:  # a corrupt or cut .gz
            raise PubMedError(f"cannot read the PubMed file: {exc}") from exc
        if not block:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + block
        self._pos = 0
        return True

    def _snippet(self) -> str:
        """Return the start of the unread text, tags removed, for an error message."""
        while len(self._buf) - self._pos < 4096 and self._more():
            pass
        return _plain(self._buf[self._pos : self._pos + 4096])[:200]


def _plain(data: bytes) -> str:
    """Return markup as one line of text."""
    return " ".join(html.unescape(_TAG.sub(" ", data.decode("utf-8", "replace"))).split())


def cut_reference_lists(element: bytes) -> bytes:
    """Cut an article's reference lists out (no field reads them; `raw_xml` keeps them)."""
    first, last = element.find(b"<ReferenceList>"), element.rfind(b"</ReferenceList>")
    if 0 <= first < last:  # ReferenceList* closes PubmedData and BookDocument; it nests
        return element[:first] + element[last + len(b"</ReferenceList>") :]
    return element
