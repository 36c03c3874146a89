"""PowerPoint's markup compatibility: a shape written twice, for readers that know a newer
feature (an equation) and as a picture for those that do not, is read as PowerPoint shows it."""

from __future__ import annotations

import copy
from io import BytesIO

import pptx
from lxml import etree
from pptx.util import Inches

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def equation(text: str) -> etree._Element:
    """An a14:m holding an Office Math equation whose runs read `text`, split at "=" as
    PowerPoint splits an equation into runs."""
    math = etree.Element(f"{{{A14}}}m", nsmap={"a14": A14, "m": M})
    paragraph = etree.SubElement(math, f"{{{M}}}oMathPara")
    formula = etree.SubElement(paragraph, f"{{{M}}}oMath")
    for piece in text.partition("="):
        run = etree.SubElement(formula, f"{{{M}}}r")
        etree.SubElement(run, f"{{{M}}}t").text = piece
    return math


def deck(*, in_notes: bool = False) -> bytes:
    """One slide whose text box holds a sentence, an equation and a citation number, written
    as PowerPoint writes it: the box in mc:Choice, a picture of it in mc:Fallback."""
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "疾病活动度评分"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(2))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.add_run().text = "Disease activity was scored as "
    after = paragraph.add_run()
    after.text = " in every patient [1]"
    after._r.addprevious(equation("DAS28=0.56"))
    footer = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(1))
    footer.text_frame.text = (
        "1. Prevoo ML, van 't Hof MA, Kuper HH, et al. Modified disease activity scores that"
        " include twenty-eight-joint counts. Arthritis Rheum. 1995;38(1):44-48."
    )
    shape = box._element
    fallback_shape = copy.deepcopy(shape)
    for text in fallback_shape.iter(f"{{{A}}}t"):
        text.text = " "  # the picture of the box stands for its text
    for math in fallback_shape.iter(f"{{{A14}}}m"):
        math.getparent().remove(math)
    alternate = etree.Element(f"{{{MC}}}AlternateContent", nsmap={"mc": MC})
    shape.addprevious(alternate)
    choice = etree.SubElement(alternate, f"{{{MC}}}Choice", Requires="a14")
    choice.append(shape)
    etree.SubElement(alternate, f"{{{MC}}}Fallback").append(fallback_shape)
    if in_notes:
        slide.notes_slide.notes_text_frame.text = "Speaker: explain the DAS28 [1]."
    out = BytesIO()
    presentation.save(out)
    return out.getvalue()


def test_a_shape_with_an_equation_is_read_from_its_choice_not_its_picture() -> None:
    text = read_document_bytes(deck(), filename="das28.pptx")
    assert "Disease activity was scored as DAS28=0.56 in every patient [1]" in text.pages[0].text
    document = extract_document(text)
    claims = {claim.text: [m.label for m in claim.markers] for claim in document.claims}
    assert claims["Disease activity was scored as DAS28=0.56 in every patient"] == ["1"]
    assert [r.parsed.first_author for r in document.references] == ["Prevoo"]


def test_without_the_choice_the_fallback_is_read() -> None:
    """A reader must take one of the two: a Choice left empty gives way to the Fallback."""
    data = deck()
    presentation = pptx.Presentation(BytesIO(data))
    for choice in presentation.slides[0]._element.iter(f"{{{MC}}}Choice"):
        for child in list(choice):
            choice.remove(child)
    for text in presentation.slides[0]._element.iter(f"{{{A}}}t"):
        if text.text == " ":
            text.text = "Shown as a picture"
    out = BytesIO()
    presentation.save(out)
    page = read_document_bytes(out.getvalue(), filename="fallback.pptx").pages[0].text
    assert "Shown as a picture" in page
    assert "Disease activity" not in page
