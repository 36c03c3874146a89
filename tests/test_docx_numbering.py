"""Word's automatic list numbers are read as if typed: a reference list numbered by Word is a
reference list, and the claims that cite it link to it."""

from __future__ import annotations

from io import BytesIO

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes
from evidence.ingest.readers.docx_numbering import ListNumbers
from tests.test_superscripts import REFERENCES, cited_authors

# "[1]" at level 0 and "a)" at level 1 (abstract 90); instance 91 counts it, instance 92 is
# Word's "Restart numbering" of it; instance 93 is a bullet list.
NUMBERING = f"""<w:numbering {nsdecls("w")}>
 <w:abstractNum w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="[%1]"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
 </w:abstractNum>
 <w:abstractNum w:abstractNumId="94">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
 </w:abstractNum>
 <w:num w:numId="91"><w:abstractNumId w:val="90"/></w:num>
 <w:num w:numId="92"><w:abstractNumId w:val="90"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
 <w:num w:numId="93"><w:abstractNumId w:val="94"/></w:num>
</w:numbering>"""


def numbered(paragraph: docx.text.paragraph.Paragraph, num_id: int, level: int = 0) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )


def test_a_reference_list_numbered_by_words_list_style_is_the_reference_list() -> None:
    document = docx.Document()
    document.add_paragraph("IL-6 drives the anaemia of inflammation in rheumatoid arthritis [1].")
    document.add_paragraph("Tocilizumab corrected the anaemia of arthritic monkeys [3].")
    document.add_paragraph("References")
    for reference in REFERENCES:
        document.add_paragraph(reference, style="List Number")  # Word's numbering, not typed
    buffer = BytesIO()
    document.save(buffer)
    source = read_document_bytes(buffer.getvalue(), filename="paper.docx")
    assert "\n\n1. Nemeth E" in source.pages[0].text and "\n\n4. Hirano T" in source.pages[0].text
    extracted = extract_document(source)
    assert extracted.kind == "manuscript"
    assert cited_authors(extracted) == {
        "IL-6 drives the anaemia of inflammation in rheumatoid arthritis.": ["Nemeth"],
        "Tocilizumab corrected the anaemia of arthritic monkeys.": ["Hashizume"],
    }


def test_list_labels_count_as_word_does() -> None:
    """Bracketed numbers, a sub-level that restarts under each item, an instance that restarts
    the count, a bullet level that restarts the numbers below it, and a paragraph that turns
    numbering off (numId 0)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    items = [
        ("first", 91, 0), ("its part", 91, 1), ("its other part", 91, 1), ("second", 91, 0),
        ("a new item", 91, 1), ("restarted", 92, 0), ("again", 92, 0), ("a point", 93, 0),
        ("not numbered", 0, 0),
    ]  # fmt: skip
    for text, num_id, level in items:
        numbered(document.add_paragraph(text), num_id, level)
    numbers = ListNumbers(document)
    assert [numbers.label(p._p, p.style) + p.text for p in document.paragraphs] == [
        "[1] first", "a) its part", "b) its other part", "[2] second", "a) a new item",
        "[1] restarted", "[2] again", "• a point", "not numbered",
    ]  # fmt: skip


def test_numbered_claims_and_headings_keep_their_text() -> None:
    """A number is shown only where the item reads as a reference: a numbered claim that cites
    by author and year stays a claim, and a numbered "References" heading stays the heading."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    heading = document.styles["Heading 1"]  # numbered by its style, as templates number them
    heading.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="91"/></w:numPr>')
    )
    document.add_paragraph("Results", style=heading)
    for claim in [
        "Tocilizumab improved ACR20 responses at week 24 (Smolen et al., 2008).",
        "Haemoglobin rose in anaemic patients given tocilizumab (Hashizume et al., 2010).",
    ]:
        document.add_paragraph(claim, style="List Number")
    document.add_paragraph("References", style=heading)
    for reference in REFERENCES[:2]:
        document.add_paragraph(reference, style="List Number")
    buffer = BytesIO()
    document.save(buffer)
    source = read_document_bytes(buffer.getvalue(), filename="paper.docx")
    paragraphs = source.pages[0].text.split("\n\n")
    assert paragraphs[:2] == [
        "Results",
        "• Tocilizumab improved ACR20 responses at week 24 (Smolen et al., 2008).",
    ]
    assert "\n\nReferences\n\n" in source.pages[0].text
    assert paragraphs[-1].startswith("4. Raj DS")  # Word counts the claims before them
    extracted = extract_document(source)
    assert extracted.kind == "manuscript" and len(extracted.claims) == 2
