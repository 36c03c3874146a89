"""Which of Word's runs (`w:r`) hold the text as it reads now.

A paragraph's runs sit in hyperlinks, tracked insertions and moves, smart tags, fields, content
controls (citation managers' fields among them), custom XML and ruby bases, nested in any order.
Left out are the runs that are not the text as it reads: tracked deletions and the old place of
moved text (`w:del`, `w:moveFrom`), phonetic guides above East Asian text (`w:rt`), text boxes
(read after their paragraph) and the copies Word writes for old readers (`mc:Fallback`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_NOT_READ = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:rt"), qn("w:txbxContent"), FALLBACK})


def runs_read(root: Any) -> Iterator[Any]:
    """Yield the runs under `root` (a paragraph, a note) that hold its text, in order."""
    for run in root.iter(qn("w:r")):
        parent = run.getparent()
        while parent is not root and parent.tag not in _NOT_READ:
            parent = parent.getparent()
        if parent is root:
            yield run


def words_read(root: Any) -> str:
    """Return the text of the runs read under `root`: their `w:t` only (no tabs or breaks)."""
    return "".join(t.text or "" for run in runs_read(root) for t in run.iter(qn("w:t")))
