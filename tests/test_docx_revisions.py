"""Word documents as reviewers leave them: tracked changes, moved text, citation managers'
fields, phonetic guides, Symbol-font Greek, hidden text and placeholders. A claim reads as the
document now reads, once."""

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

# 托珠单抗 with pinyin above 托珠 (Word's phonetic guide, inside a run): the guide is not text.
RUBY_RUN = (
    "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>tuō zhū</w:t></w:r></w:rt>"
    "<w:rubyBase><w:r><w:t>托珠</w:t></w:r></w:rubyBase></w:ruby></w:r>"
)
RUBY = f"<w:p %s>{RUBY_RUN}<w:r><w:t>单抗可改善贫血。</w:t></w:r></w:p>"

# Greek from the Symbol font (IL-1β, ≥), a hidden note to self, and a content control still
# showing its placeholder: what a reader sees is "IL-1β rose ≥2-fold. Dose:".
SYMBOLS = """<w:p %s>
 <w:r><w:t>IL-1</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F062"/></w:r>
 <w:r><w:t xml:space="preserve"> rose </w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F0B3"/></w:r>
 <w:r><w:t>2-fold.</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:char="zz"/></w:r>
 <w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> Check with Anna.</w:t></w:r>
 <w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve"> Dose: </w:t></w:r>
 <w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>
  <w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>
</w:p>"""

# Paragraphs inside nested content controls and custom XML are the body's too; a block control
# showing its placeholder is not.
NESTED = """<w:sdt %s><w:sdtContent><w:customXml w:element="claim"><w:sdt><w:sdtContent>
 <w:p><w:r><w:t>IL-6 levels fell within two weeks.</w:t></w:r></w:p>
</w:sdtContent></w:sdt></w:customXml>
<w:sdt><w:sdtPr><w:showingPlcHdr w:val="true"/></w:sdtPr><w:sdtContent>
 <w:p><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:p>
</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"""


def revised_document(*, footnote: str | None = None) -> bytes:
    document = docx.Document()
    for xml in (REVISED, MANAGED, RUBY, SYMBOLS, NESTED):
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
    assert paragraphs[3] == "IL-1β rose ≥2-fold. Dose:"
    assert paragraphs[4] == "IL-6 levels fell within two weeks."
    assert paragraphs[5] == "References" and "Click" not in page.text


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
        f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{RUBY_RUN}<w:r><w:t>单抗</w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> IL-1</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F062"/></w:r>'
    )
    (page,) = read_document_bytes(revised_document(footnote=note), filename="n.docx").pages
    assert page.text.endswith("Smolen JS, et al. Lancet. 2008;371:987-997. 托珠单抗 IL-1β")
