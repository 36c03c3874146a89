"""The text of a SmartArt graphic (a process, a cycle, a hierarchy: how decks draw pathways
such as IL-6 → 铁调素 → 贫血). python-pptx sees a SmartArt graphic as a graphic frame without
text; its words are in the slide's diagram data part (`dgm:dataModel`), as points joined by
parent-of connections. Each content point (a node, or an assistant) gives one line, in reading
order: from the diagram's root down, siblings by their order (`srcOrd`), since the list of points
keeps the order in which they were made rather than the one shown. Points that only lay out the
drawing (presentation and transition points) carry no words and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lxml import etree
from pptx.shapes.graphfrm import GraphicFrame

DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main", "dgm": DIAGRAM}
_DATA_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}dm"
_CONTENT = frozenset({"node", "asst"})  # a point without a type is a node
_BREAK = "{http://schemas.openxmlformats.org/drawingml/2006/main}br"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def is_smartart(frame: GraphicFrame) -> bool:
    """Tell whether a graphic frame holds a SmartArt graphic."""
    return bool(frame._element.graphicData_uri == DIAGRAM)


def smartart_text(frame: GraphicFrame) -> str:
    """Return the lines of a SmartArt graphic's nodes in reading order; "" when its data part is
    missing or damaged (the graphic is then skipped, as python-pptx skips it, not the deck)."""
    relations = frame._element.graphicData.find(f"{{{DIAGRAM}}}relIds")
    data_id = None if relations is None else relations.get(_DATA_ID)
    if data_id is None or data_id not in frame.part.rels:
        return ""
    try:
        model = etree.fromstring(frame.part.related_part(data_id).blob, _PARSER)
    except etree.XMLSyntaxError:
        return ""
    return "\n".join(_in_reading_order(model))


def _in_reading_order(model: Any) -> list[str]:
    """Return the content points' texts: depth first from the roots, children by srcOrd (then
    by the order of their connections); any point no connection reaches follows, as listed."""
    points = [p for p in model.xpath("./dgm:ptLst/dgm:pt", namespaces=_NS) if p.get("modelId")]
    texts = {point.get("modelId"): _point_text(point) for point in points}
    content = [p.get("modelId") for p in points if p.get("type", "node") in _CONTENT]
    children: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for index, cxn in enumerate(model.xpath("./dgm:cxnLst/dgm:cxn", namespaces=_NS)):
        target = cxn.get("destId")
        if cxn.get("type", "parOf") == "parOf" and target in texts:
            order = cxn.get("srcOrd") or ""
            children[cxn.get("srcId")].append((int(order) if order.isdigit() else 0, index, target))
    reached = {target for links in children.values() for _, _, target in links}
    roots = [p.get("modelId") for p in points if p.get("modelId") not in reached]
    ordered: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:  # depth first, without recursion: a diagram may nest deeply
        model_id = stack.pop()
        if model_id in seen:
            continue  # connections that loop are read once
        seen.add(model_id)
        ordered.append(model_id)
        stack += [target for _, _, target in sorted(children.get(model_id, []), reverse=True)]
    ordered += [model_id for model_id in content if model_id not in seen]
    wanted = set(content)
    return [texts[i] for i in ordered if i in wanted and texts[i]]


def _point_text(point: Any) -> str:
    """Return a point's paragraphs, and the lines a break starts within one, joined by a space:
    a node is one label."""
    paragraphs = [
        "".join(
            " " if piece.tag == _BREAK else piece.text or ""
            for piece in paragraph.xpath(".//a:t | .//a:br", namespaces=_NS)
        )
        for paragraph in point.xpath("./dgm:t/a:p", namespaces=_NS)
    ]
    return " ".join(" ".join(paragraphs).split())
