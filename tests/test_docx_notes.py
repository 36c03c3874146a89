"""Word documents that cite in footnotes and endnotes: the note references become numbered
markers and the notes a reference list, so claims link to what their notes cite."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SMOLEN = (
    "Smolen JS, Beaulieu A, Rubbert-Roth A, et al. Effect of interleukin-6 receptor inhibition"
    " with tocilizumab in patients with rheumatoid arthritis. Lancet. 2008;371(9617):987-997."
)
NISHIMOTO = "Nishimoto N, Hashimoto J, Miyasaka N, et al. Ann Rheum Dis. 2007;66(9):1162-1167."
EXPLANATION = "The extension study was open label, so its results are not blinded."


def notes_part(
    document: docx.document.Document, kind: str, notes: dict[int, str], *, as_xml: bool = False
) -> None:
    """Add a footnotes or endnotes part, with Word's separator notes, to a document; each note's
    text in a run, or `as_xml`: its runs as given."""
    tag = kind[:-1]  # footnote, endnote
    separators = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{tag}>"
    )
    runs = {
        note_id: text if as_xml else f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
        for note_id, text in notes.items()
    }
    bodies = "".join(
        f'<w:{tag} w:id="{note_id}"><w:p><w:r><w:{tag}Ref/></w:r>{run}</w:p></w:{tag}>'
        for note_id, run in runs.items()
    )
    blob = f'<w:{kind} xmlns:w="{W}">{separators}{bodies}</w:{kind}>'.encode()
    content_type = CONTENT_TYPE.WML_FOOTNOTES if tag == "footnote" else CONTENT_TYPE.WML_ENDNOTES
    reltype = RELATIONSHIP_TYPE.FOOTNOTES if tag == "footnote" else RELATIONSHIP_TYPE.ENDNOTES
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, blob, document.part.package)
    document.part.relate_to(part, reltype)


def cite(paragraph: docx.text.paragraph.Paragraph, tag: str, note_id: int) -> None:
    """Append a superscript note reference (`w:footnoteReference`) to a paragraph."""
    run = paragraph.add_run()
    reference = OxmlElement(f"w:{tag}Reference")
    reference.set(qn("w:id"), str(note_id))
    run._r.append(reference)


def make_document(*, own_reference_list: bool = False) -> bytes:
    document = docx.Document()
    first = document.add_paragraph(
        "Tocilizumab improved the signs and symptoms of rheumatoid arthritis in a large trial."
    )
    cite(first, "footnote", 2)
    second = document.add_paragraph(
        "Long-term treatment kept most patients in low disease activity for five years."
    )
    cite(second, "footnote", 3)  # an explanation, not a citation
    cite(second, "endnote", 1)
    again = document.add_paragraph("Radiographic progression was also slowed by the drug.")
    cite(again, "footnote", 2)  # the same note again: the same number
    if own_reference_list:
        document.add_paragraph("References")
        document.add_paragraph("1. Garbers C, et al. Nat Rev Drug Discov. 2018;17(6):395-412.")
    notes_part(document, "footnotes", {2: SMOLEN, 3: EXPLANATION})
    notes_part(document, "endnotes", {1: NISHIMOTO})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_note_references_become_markers_and_notes_a_reference_list() -> None:
    (page,) = read_document_bytes(make_document(), filename="notes.docx").pages
    assert "in a large trial.[1]" in page.text
    assert "for five years.[2]" in page.text  # the explanation takes no number
    assert "slowed by the drug.[1]" in page.text
    assert page.text.endswith(f"{EXPLANATION}\n\nReferences\n1. {SMOLEN}\n2. {NISHIMOTO}")
    assert "separator" not in page.text.lower()


def test_claims_cite_what_their_notes_cite() -> None:
    extracted = extract_document(read_document_bytes(make_document(), filename="notes.docx"))
    assert extracted.kind == "manuscript"
    cited = {
        claim.text: sorted(extracted.references[i].parsed.first_author or "?" for i in claim.cites)
        for claim in extracted.claims
    }
    trial = "Tocilizumab improved the signs and symptoms of rheumatoid arthritis in a large trial."
    assert cited[trial] == ["Smolen"]
    assert cited[
        "Long-term treatment kept most patients in low disease activity for five years."
    ] == ["Nishimoto"]


def test_a_document_with_its_own_reference_list_keeps_notes_as_text() -> None:
    (page,) = read_document_bytes(
        make_document(own_reference_list=True), filename="notes.docx"
    ).pages
    assert "[" not in page.text.split("References")[0]  # no note became a marker
    assert SMOLEN in page.text and NISHIMOTO in page.text and EXPLANATION in page.text
    assert page.text.count("References") == 1
