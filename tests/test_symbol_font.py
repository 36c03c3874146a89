"""Greek and signs set in the Symbol font read as what the font shows: IL-1β, not IL-1b."""

from __future__ import annotations

import copy
from io import BytesIO

import docx
import pptx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pptx.util import Inches

from evidence.ingest.readers import read_document_bytes
from evidence.ingest.readers.symbol_font import symbol_font_text


def test_symbol_font_letters_and_private_use_codes_read_as_greek_and_signs() -> None:
    assert symbol_font_text("abgdm") == "αβγδμ"
    assert symbol_font_text("\uf061\uf0b3\uf0b1") == "α≥±"  # Insert Symbol's codes
    assert symbol_font_text("贫血 \uf0fc") == "贫血 \uf0fc"  # not the font's: left as it is
    assert symbol_font_text("\uf0d6x") == "√ξ"
    assert symbol_font_text("\uf0d6x", private_use_only=True) == "√x"


def test_a_word_run_typed_in_the_symbol_font_reads_as_greek() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("IL-1")
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr>'
            "<w:t>b</w:t></w:r>"
        )
    )
    paragraph.add_run(" and TNF-")
    paragraph.add_run("a").font.name = "Symbol"
    paragraph.add_run(" rose in 3 patients (b).")  # the same letter in another font: itself
    buffer = BytesIO()
    document.save(buffer)
    (page,) = read_document_bytes(buffer.getvalue(), filename="greek.docx").pages
    assert page.text == "IL-1β and TNF-α rose in 3 patients (b)."


def test_a_powerpoint_run_in_the_symbol_font_reads_as_greek() -> None:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    frame = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1)).text_frame
    frame.text = "IL-1"
    typed = frame.paragraphs[0].add_run()
    typed.text, typed.font.name = "b", "Symbol"  # a:latin typeface="Symbol"
    frame.paragraphs[0].add_run().text = " ≥ TNF-"
    inserted = frame.paragraphs[0].add_run()
    inserted.text = "\uf061"  # Insert Symbol: the font's code at U+F000, with a:sym
    sym = inserted.font._rPr.makeelement(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}sym"
    )
    sym.set("typeface", "Symbol")
    inserted.font._rPr.append(sym)
    after = frame.paragraphs[0].add_run()  # typed after it: a:sym names the font of symbols only
    after.text = " in RA"
    after.font._rPr.append(copy.deepcopy(sym))
    buffer = BytesIO()
    presentation.save(buffer)
    (page,) = read_document_bytes(buffer.getvalue(), filename="greek.pptx").pages
    assert page.text == "IL-1β ≥ TNF-α in RA"
