"""Markdown is read as the text it shows: no markup in claims or titles, `<sup>` citation
numbers as superscripts, a numbered reference list as one, slides split at `---`."""

from __future__ import annotations

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document_bytes

MANUSCRIPT = """# Interleukin-6 blockade in **rheumatoid** arthritis

IL-6 drives the *hepatic* acute-phase response [1], as [PubMed](https://pubmed.ncbi.nlm.nih.gov/)
records show. IL-6 induces `hepcidin` synthesis in the liver<sup>2</sup>.

- Tocilizumab improved the anaemia of patients with RA [2].
- Fatigue improved within weeks of the **first** infusion [1, 2].

| Outcome | Tocilizumab |
|---|---|
| Haemoglobin | +1.2 g/dL |

![Hepcidin falls after the first infusion](figure1.png)

## References

1. Nakahara H, Song J, Sugimoto M, et al. Anti-interleukin-6 receptor antibody therapy reduces
   vascular endothelial growth factor production in rheumatoid arthritis. Arthritis Rheum.
   2003;48(6):1521-9.
2. Nemeth E, Rivera S, Gabayan V, et al. IL-6 mediates hypoferremia of inflammation by inducing
   the synthesis of the iron regulatory hormone hepcidin. J Clin Invest. 2004;113(9):1271-6.
"""


def test_a_markdown_manuscript_reads_as_its_text_shows() -> None:
    source = read_document_bytes(MANUSCRIPT.encode(), filename="review.md")
    assert source.format == "md"
    assert source.title == "Interleukin-6 blockade in rheumatoid arthritis"
    (page,) = source.pages
    assert "**" not in page.text and "`" not in page.text and "](" not in page.text
    assert "Haemoglobin | +1.2 g/dL" in page.text
    assert "Hepcidin falls after the first infusion" in page.text  # an image's alt text
    document = extract_document(source)
    assert document.kind == "manuscript"
    assert [r.label for r in document.references] == ["1", "2"]
    assert [(c.text, [m.label for m in c.markers]) for c in document.claims] == [
        ("IL-6 drives the hepatic acute-phase response, as PubMed records show.", ["1"]),
        ("IL-6 induces hepcidin synthesis in the liver.", ["2"]),  # <sup>2</sup>
        ("Tocilizumab improved the anaemia of patients with RA.", ["2"]),
        ("Fatigue improved within weeks of the first infusion.", ["1", "2"]),
    ]


def test_a_markdown_deck_has_a_slide_between_rules_and_no_front_matter() -> None:
    deck = (
        "---\nmarp: true\ntheme: default\n---\n\n# IL-6 and anaemia\n\n"
        "IL-6 raises hepcidin<sup>1</sup>\n\n1. Nemeth E, et al. J Clin Invest. 2004;113:1271-6.\n"
        "\n---\n\n# Bone\n\nIL-6 drives osteoclast formation<sup>1</sup>\n\n"
        "1. Tamura T, et al. Proc Natl Acad Sci USA. 1993;90:11924-8.\n"
    )
    source = read_document_bytes(deck.encode(), filename="deck.md")
    assert [page.number for page in source.pages] == [1, 2]
    assert "marp" not in source.pages[0].text
    assert source.pages[0].text.startswith("IL-6 and anaemia\n\nIL-6 raises hepcidin¹")
    document = extract_document(source)
    assert document.kind == "slides"
    cited = {
        c.text: [document.references[i].parsed.first_author for i in c.cites]
        for c in document.claims
    }
    assert cited["IL-6 raises hepcidin"] == ["Nemeth"]
    assert cited["IL-6 drives osteoclast formation"] == ["Tamura"]


def test_a_deck_opening_with_a_rule_keeps_its_first_slide() -> None:
    """Front matter is "key: value" lines between two rules; a slide between them is a slide."""
    deck = (
        "---\n\n# Tocilizumab in RA\n\nTocilizumab reduces radiographic progression\n\n---\n\n"
        "# Anemia\n\nIL-6 blockade improves hemoglobin levels\n"
    )
    source = read_document_bytes(deck.encode(), filename="deck.md")
    assert [page.text.split("\n")[0] for page in source.pages if page.text] == [
        "Tocilizumab in RA",
        "Anemia",
    ]
