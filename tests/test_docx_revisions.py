"""Word documents as reviewers leave them: tracked changes, moved text, citation managers'
fields and phonetic guides. A claim reads as the document now reads, once."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes
from tests.test_docx_notes import SMOLEN, cite, notes_part

REVISED = """<w:p %s>
 <w:r><w:t xml:space="preserve">IL-6 </w:t></w:r>
 <w:del w:id="1" w:author="Reviewer"><w:r><w:delText>lowers</w:delText></w:r></w:del>
 <w:ins w:id="2" w:author="Reviewer"><w:r><w:t>raises</w:t></w:r></w:ins>
 <w:r><w:t xml:space="preserve"> hepcidin</w:t></w:r>
 <w:moveTo w:id="3" w:author="Reviewer"><w:r><w:t xml:space="preserve"> in patients</w:t></w:r></w:moveTo>
 <w:hyperlink><w:ins w:id="4" w:author="Reviewer"><w:r><w:t xml:space="preserve"> with RA</w:t>
 </w:r></w:ins></w:hyperlink>
 <w:r><w:t>.</w:t></w:r>
 <w:moveFrom w:id="5" w:author="Reviewer"><w:r><w:t xml:space="preserve"> in patients</w:t></w:r>
 </w:moveFrom>
</w:p>"""

# A citation manager's field in a content control (Mendeley, Zotero's document preferences),
# its result inside a tracked insertion: the marker is part of the text.
MANAGED = """<w:p %s>
 <w:r><w:t xml:space="preserve">Tocilizumab slowed radiographic progression</w:t></w:r>
 <w:sdt><w:sdtPr><w:tag w:val="MENDELEY_CITATION"/></w:sdtPr><w:sdtContent>
  <w:ins w:id="6" w:author="Writer"><w:r><w:t>[1]</w:t></w:r></w:ins>
 </w:sdtContent></w:sdt>
 <w:r><w:t>.</w:t></w:r>
</w:p>"""

# 托珠单抗 with pinyin above 托珠 (Word's phonetic guide): the guide is not text.
RUBY = """<w:p %s>
 <w:ruby><w:rubyPr/><w:rt><w:r><w:t>tuō zhū</w:t></w:r></w:rt>
 <w:rubyBase><w:r><w:t>托珠</w:t></w:r></w:rubyBase></w:ruby>
 <w:r><w:t>单抗可改善贫血。</w:t></w:r>
</w:p>"""


def revised_document(*, footnote: str | None = None) -> bytes:
    document = docx.Document()
    for xml in (REVISED, MANAGED, RUBY):
        document.element.body.sectPr.addprevious(parse_xml(xml % nsdecls("w")))
    document.add_paragraph("References")
    document.add_paragraph(f"1. {SMOLEN}")
    if footnote is not None:  # a note's runs, as XML
        cite(document.add_paragraph("IL-6 drives the acute-phase response."), "footnote", 2)
        notes_part(document, "footnotes", {2: footnote}, as_xml=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_revised_paragraph_reads_as_it_now_reads() -> None:
    (page,) = read_document_bytes(revised_document(), filename="revised.docx").pages
    paragraphs = page.text.split("\n\n")
    assert paragraphs[0] == "IL-6 raises hepcidin in patients with RA."  # moved text once
    assert "lowers" not in page.text
    assert paragraphs[1] == "Tocilizumab slowed radiographic progression[1]."
    assert paragraphs[2] == "托珠单抗可改善贫血。"  # no pinyin


def test_a_citation_inside_a_tracked_insertion_links_its_claim() -> None:
    extracted = extract_document(read_document_bytes(revised_document(), filename="r.docx"))
    cited = {claim.text: claim.cites for claim in extracted.claims}
    (reference,) = [
        extracted.references[i] for i in cited["Tocilizumab slowed radiographic progression."]
    ]
    assert reference.parsed.first_author == "Smolen"


def test_a_note_reads_without_deleted_or_moved_away_text() -> None:
    note = (
        '<w:r><w:t xml:space="preserve">Smolen JS, et al. </w:t></w:r>'
        '<w:del w:id="7"><w:r><w:delText>N Engl J Med.</w:delText></w:r></w:del>'
        '<w:ins w:id="8"><w:r><w:t xml:space="preserve">Lancet. 2008;371:987-997.</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="9"><w:r><w:t xml:space="preserve"> Lancet.</w:t></w:r></w:moveFrom>'
    )
    (page,) = read_document_bytes(revised_document(footnote=note), filename="n.docx").pages
    assert page.text.endswith("Smolen JS, et al. Lancet. 2008;371:987-997.")
