"""Word's footnotes and endnotes. Legal and regulatory documents often cite in them: the note
reference in the body becomes a numbered marker (`[1]`), and the notes that read as references
become a numbered reference list at the document's end, so the manuscript extractor links them
like any other. Notes that are not references (explanations) are kept as plain paragraphs, and
a document with a reference list of its own keeps it: then every note is plain text.

Numbers follow the order in which the body first refers to each note, footnotes and endnotes in
one sequence (what a reader sees is two sequences; one keeps the labels unique).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from evidence.ingest.readers.docx_runs import words_read
from evidence.ingest.reference_lines import looks_like_reference

NOTE_KINDS = {
    qn("w:footnoteReference"): (RELATIONSHIP_TYPE.FOOTNOTES, qn("w:footnote")),
    qn("w:endnoteReference"): (RELATIONSHIP_TYPE.ENDNOTES, qn("w:endnote")),
}
REFERENCES_HEADING = "References"


@dataclass
class DocumentNotes:
    """A document's notes by (reference tag, id), numbered as the body refers to them."""

    texts: dict[tuple[str, str], str]
    as_references: bool = True  # False: the body has its own reference list
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    plain: list[str] = field(default_factory=list)

    def marker(self, reference: Any) -> str:
        """Return the body text standing for a note reference: `[n]`, or nothing for a note
        that is not a citation (its text joins the plain paragraphs)."""
        key = (reference.tag, reference.get(qn("w:id")) or "")
        text = self.texts.get(key)
        if not text:
            return ""
        if not (self.as_references and looks_like_reference(text, numbered=True)):
            if key not in self.numbers:
                self.numbers[key] = 0  # seen: plain text once
                self.plain.append(text)
            return ""
        if key not in self.numbers:
            self.numbers[key] = 1 + sum(1 for n in self.numbers.values() if n)
        return f"[{self.numbers[key]}]"


def read_notes(document: WordDocument) -> dict[tuple[str, str], str]:
    """Return the text of each footnote and endnote (separators left out) by (tag, id)."""
    texts: dict[tuple[str, str], str] = {}
    for rel in document.part.rels.values():
        for reference_tag, (reltype, note_tag) in NOTE_KINDS.items():
            if rel.reltype != reltype or rel.is_external:
                continue
            root = parse_xml(rel.target_part.blob)
            for note in root.iter(note_tag):
                if note.get(qn("w:type")) not in (None, "normal"):
                    continue  # separator, continuationSeparator, continuationNotice
                words = words_read(note)
                text = re.sub(r"\s+", " ", words).strip()
                if text:
                    texts[(reference_tag, note.get(qn("w:id")) or "")] = text
    return texts
