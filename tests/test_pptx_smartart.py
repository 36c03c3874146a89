"""SmartArt graphics in PowerPoint decks: their nodes' words are read, in the order shown."""

from __future__ import annotations

from io import BytesIO

import pptx
from lxml import etree
from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.slide import Slide
from pptx.util import Inches

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes

NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def point(model_id: str, *paragraphs: str, kind: str | None = None) -> str:
    """A data point as PowerPoint writes it; a paragraph's runs split at '|'."""
    runs = (
        "".join(f'<a:r><a:rPr lang="zh-CN"/><a:t>{run}</a:t></a:r>' for run in text.split("|"))
        for text in paragraphs
    )
    body = "".join(f"<a:p>{r}</a:p>" for r in runs) or '<a:p><a:endParaRPr lang="zh-CN"/></a:p>'
    type_ = f' type="{kind}"' if kind else ""
    return (
        f'<dgm:pt modelId="{{{model_id}}}"{type_}><dgm:prSet phldrT="[文本]"/><dgm:spPr/>'
        f"<dgm:t><a:bodyPr/><a:lstStyle/>{body}</dgm:t></dgm:pt>"
    )


def link(source: str, target: str, order: int, kind: str | None = None) -> str:
    type_ = f' type="{kind}"' if kind else ""
    return (
        f'<dgm:cxn modelId="{{{source}-{target}}}"{type_} srcId="{{{source}}}" '
        f'destId="{{{target}}}" srcOrd="{order}" destOrd="0"/>'
    )


# A process IL-6 → 肝细胞释放铁调素 → 贫血, the first step with a sub-point. 贫血 was added first
# and moved last, so the list of points is not the order shown; transitions and presentation
# points (which lay out the drawing) and an empty placeholder node carry no words.
DATA_MODEL = (
    f"<dgm:dataModel {NS}><dgm:ptLst>"
    + point("DOC", kind="doc")
    + point("C", "贫血")
    + point("A", "IL-6")
    + point("B", "肝细胞释放|铁调素", "增加")
    + point("A1", "炎症反应")
    + point("T1", kind="parTrans")
    + point("T2", kind="sibTrans")
    + '<dgm:pt modelId="{P1}" type="pres"><dgm:prSet presName="node"/><dgm:spPr/></dgm:pt>'
    + point("E")
    + "</dgm:ptLst><dgm:cxnLst>"
    + link("DOC", "C", 2)
    + link("DOC", "A", 0)
    + link("A", "A1", 0)
    + link("DOC", "B", 1)
    + link("DOC", "E", 3)
    + link("A", "P1", 0, kind="presOf")
    + "</dgm:cxnLst><dgm:bg/><dgm:whole/></dgm:dataModel>"
)


def add_smartart(slide: Slide, data_model: str) -> None:
    """Add a SmartArt graphic frame whose data part holds `data_model`."""
    package = slide.part.package
    data = Part(PackURI("/ppt/diagrams/data1.xml"), CONTENT_TYPE.DML_DIAGRAM_DATA, package)
    data._blob = data_model.encode()  # type: ignore[attr-defined]
    data_id = slide.part.relate_to(data, RELATIONSHIP_TYPE.DIAGRAM_DATA)
    frame = etree.fromstring(
        f"<p:graphicFrame {NS}><p:nvGraphicFramePr><p:cNvPr id='9' name='Diagram 1'/>"
        "<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>"
        f"<p:xfrm><a:off x='{Inches(1)}' y='{Inches(2)}'/><a:ext cx='{Inches(8)}' cy='{Inches(3)}'/>"
        "</p:xfrm><a:graphic><a:graphicData uri='http://schemas.openxmlformats.org/drawingml/2006/"
        f"diagram'><dgm:relIds r:dm='{data_id}' r:lo='' r:qs='' r:cs=''/></a:graphicData>"
        "</a:graphic></p:graphicFrame>"
    )
    slide.shapes._spTree.append(frame)


def deck(data_model: str = DATA_MODEL) -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "IL-6与贫血"
    add_smartart(slide, data_model)
    below = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(1))
    below.text = "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276."
    buffer = BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def test_smartart_nodes_are_read_in_the_order_shown() -> None:
    (page,) = read_document_bytes(deck(), filename="pathway.pptx").pages
    assert page.text == (
        "IL-6与贫血\n\nIL-6\n炎症反应\n肝细胞释放铁调素 增加\n贫血\n\n"
        "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276."
    )


def test_a_smartart_label_is_a_claim_resting_on_the_slide_reference() -> None:
    extracted = extract_document(read_document_bytes(deck(), filename="pathway.pptx"))
    cited = {claim.text: claim.cites for claim in extracted.claims}
    assert "肝细胞释放铁调素 增加" in cited
    (reference,) = [extracted.references[i] for i in cited["肝细胞释放铁调素 增加"]]
    assert reference.parsed.first_author == "Nemeth"


def test_an_empty_smartart_graphic_reads_as_nothing() -> None:
    (page,) = read_document_bytes(deck(f"<dgm:dataModel {NS}/>"), filename="x.pptx").pages
    assert page.text == "IL-6与贫血\n\n1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276."


def test_odd_smartart_data_reads_in_a_sensible_order_and_never_fails_the_deck() -> None:
    """A break inside a node, siblings without srcOrd (the order of their connections), a chain
    deeper than Python's recursion limit, and a damaged data part (the deck is read without it)."""
    broken_line = point("A", "IL-6").replace(
        "<a:t>IL-6</a:t></a:r>", "<a:t>IL-6</a:t></a:r><a:br/><a:r><a:t>升高</a:t></a:r>"
    )
    unordered = (
        f"<dgm:dataModel {NS}><dgm:ptLst>{point('DOC', kind='doc')}{point('9', '第一')}"
        f"{point('10', '第二')}{broken_line}</dgm:ptLst><dgm:cxnLst>"
        + link("DOC", "9", 0).replace(' srcOrd="0"', "")
        + link("DOC", "10", 0).replace(' srcOrd="0"', "")
        + link("DOC", "A", 0).replace(' srcOrd="0"', "")
        + "</dgm:cxnLst></dgm:dataModel>"
    )
    (page,) = read_document_bytes(deck(unordered), filename="x.pptx").pages
    assert page.text.split("\n\n")[1] == "第一\n第二\nIL-6 升高"
    depth = 1_500
    chain = (
        f"<dgm:dataModel {NS}><dgm:ptLst>"
        + "".join(point(str(n), f"n{n}") for n in range(depth))
        + "</dgm:ptLst><dgm:cxnLst>"
        + "".join(link(str(n), str(n + 1), 0) for n in range(depth - 1))
        + "</dgm:cxnLst></dgm:dataModel>"
    )
    (page,) = read_document_bytes(deck(chain), filename="x.pptx").pages
    assert page.text.split("\n\n")[1].split("\n") == [f"n{n}" for n in range(depth)]
    (page,) = read_document_bytes(deck("<dgm:dataModel>"), filename="x.pptx").pages
    assert page.text == "IL-6与贫血\n\n1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276."
