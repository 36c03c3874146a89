"""Manuscripts that cite by author and year ("(Smith et al., 2019)") against an unnumbered
reference list (Harvard, APA, GB/T 7714's author-year form): each citation names its work."""

from __future__ import annotations

import asyncio
from io import BytesIO
from pathlib import Path

import docx
import pytest
from sqlalchemy.engine import Engine

from evidence.claim_views import list_claims
from evidence.db import session_scope
from evidence.ingest.extract import extract_document
from evidence.ingest.manuscript import extract_manuscript
from evidence.ingest.pipeline import ingest_file
from evidence.ingest.readers import read_document_bytes
from evidence.ingest.structure import ExtractedDocument
from evidence.pubmed.enrich import enrich_citations
from evidence.pubmed.importer import import_files
from evidence.verify import verify
from evidence.views import list_citations
from tests.conftest import SNAPSHOT

APA_REFERENCES = [
    "Landewé, R., Smolen, J. S., & van der Heijde, D. (2019). Tocilizumab and structural"
    " damage. Annals of the Rheumatic Diseases, 78(2), 150–155.",
    "Nemeth, E., Rivera, S., Gabayan, V., Keller, C., Taudorf, S., Pedersen, B. K., & Ganz, T."
    " (2004). IL-6 mediates hypoferremia of inflammation by inducing the synthesis of the iron"
    " regulatory hormone hepcidin. Journal of Clinical Investigation, 113(9), 1271–1276.",
    "Smith, J. (2021). Fatigue in rheumatoid arthritis. Rheumatology, 60(1), 10–20.",
    "Tanaka, T., & Kishimoto, T. (2014). The biology and medical implications of interleukin-6."
    " Cancer Immunology Research, 2(4), 288–294.",
    "van der Heijde, D., Landewé, R., & Smolen, J. S. (2018a). Radiographic progression in RA."
    " Annals of the Rheumatic Diseases, 77, 100–105.",
    "van der Heijde, D., Smolen, J. S., & Aletaha, D. (2018b). Structural damage in early RA."
    " Arthritis Research & Therapy, 20, 45.",
    "World Health Organization. (2020). Global report on musculoskeletal conditions. Geneva.",
    "张三, 李四, 王五, 2019. 托珠单抗治疗类风湿关节炎的疗效[J]. 中华风湿病学杂志, 23(4): 245-250.",
]
APA_BODY = [
    "Interleukin-6 in rheumatoid arthritis: a review",
    "Interleukin-6 drives the anaemia of chronic disease (Nemeth et al., 2004; Tanaka &"
    " Kishimoto, 2014). Tanaka and Kishimoto (2014) describe its biology in full. Tocilizumab"
    " slowed radiographic progression (e.g., van der Heijde et al., 2018a, 2018b; Landewe et"
    " al., 2019).",
    "Depression is common among patients with active disease (World Health Organization,"
    " 2020). Fatigue improved within weeks of starting treatment (Smith, 2021, p. 12). Some"
    " results of the trial remain unpublished (Doe et al., 2017). The ACR criteria (ACR 2010)"
    " were used throughout the period studied (January 2019).",
    "（张三等，2019）报道托珠单抗可改善类风湿关节炎患者的贫血与疲劳。",
]


def manuscript(body: list[str], references: list[str], *, between: str = "\n\n") -> str:
    return "\n\n".join([*body, "References", between.join(references)])


def cited(document: ExtractedDocument) -> dict[str, list[tuple[str, str | None]]]:
    """Each claim's text: its markers' labels, each with the first author and year of the
    reference it names (None when it names none)."""
    references = {r.index: r.parsed for r in document.references}

    def named(index: int | None) -> str | None:
        return (
            None if index is None else f"{references[index].first_author} {references[index].year}"
        )

    return {c.text: [(m.label, named(m.reference)) for m in c.markers] for c in document.claims}


def test_apa_citations_name_their_works_and_leave_the_claims_text() -> None:
    document = extract_manuscript([manuscript(APA_BODY, APA_REFERENCES)])
    assert document is not None and document.kind == "manuscript"
    assert len(document.references) == len(APA_REFERENCES)
    assert cited(document) == {
        "Interleukin-6 drives the anaemia of chronic disease.": [
            ("Nemeth et al., 2004", "Nemeth 2004"),
            ("Tanaka & Kishimoto, 2014", "Tanaka 2014"),
        ],
        # Named by the sentence's words: the citation stays part of the claim.
        "Tanaka and Kishimoto (2014) describe its biology in full.": [
            ("Tanaka and Kishimoto, 2014", "Tanaka 2014"),
        ],
        # A particle, the letters the list writes, a name written without its accent.
        "Tocilizumab slowed radiographic progression.": [
            ("van der Heijde et al., 2018a", "van der Heijde 2018"),
            ("van der Heijde et al., 2018b", "van der Heijde 2018"),
            ("Landewe et al., 2019", "Landewé 2019"),
        ],
        "Depression is common among patients with active disease.": [
            ("World Health Organization, 2020", "World Health Organization 2020"),
        ],
        "Fatigue improved within weeks of starting treatment.": [("Smith, 2021", "Smith 2021")],
        # Cited, but missing from the list: kept, naming nothing, for verification to report.
        "Some results of the trial remain unpublished.": [("Doe et al., 2017", None)],
        # An acronym and a date in parentheses cite nothing.
        "The ACR criteria (ACR 2010) were used throughout the period studied (January 2019).": [],
        "报道托珠单抗可改善类风湿关节炎患者的贫血与疲劳。": [("张三等, 2019", "张三 2019")],
    }
    heijde = [
        document.references[m.reference].as_written
        for c in document.claims
        for m in c.markers
        if m.label.startswith("van der") and m.reference is not None
    ]
    assert ["(2018a)" in heijde[0], "(2018b)" in heijde[1]] == [True, True]


HARVARD_WRAPPED = """Nakahara H, Song J, Sugimoto M et al (2003) Anti-interleukin-6 receptor
antibody therapy reduces vascular endothelial growth factor production in rheumatoid
arthritis. Arthritis Rheum 48:1521–1529
Smith J, Jones K (2019) Interleukin-6 and hepcidin in anaemia. Blood 133:100–110
Smith J, Brown A, Green B (2019) Tocilizumab and fatigue. Rheumatology 58:200–210
Smith J (2019) Depression in RA. J Psychiatr Res 110:1–9
Lee K (2020) Osteoclasts in RA: part one. Bone 130:115–120
Lee K (2020) Osteoclasts in RA: part two. Bone 131:115–125"""


@pytest.mark.parametrize(
    ("citation", "names"),
    [
        ("(Smith and Jones 2019)", "Interleukin-6 and hepcidin"),  # the second author
        ("(Smith et al. 2019)", "Tocilizumab and fatigue"),  # three authors or more
        ("(Smith 2019)", "Depression in RA"),  # alone
        ("(Lee 2020b)", "part two"),  # letters the list does not write: its order
        ("(Nakahara et al. 2003)", "Anti-interleukin-6 receptor"),
    ],
)
def test_harvard_citations_tell_works_of_one_author_and_year_apart(
    citation: str, names: str
) -> None:
    """The list as PDF extraction gives it, one reference wrapped over lines with no blank
    line between references."""
    body = [f"Tocilizumab reduced the patients' symptoms markedly {citation}."]
    document = extract_manuscript([manuscript(body, [HARVARD_WRAPPED])])
    assert document is not None and len(document.references) == 6
    (claim,) = document.claims
    (marker,) = claim.markers
    assert marker.reference is not None
    assert names in document.references[marker.reference].as_written


def test_a_citation_naming_two_works_names_none() -> None:
    body = ["Tocilizumab reduced the patients' symptoms markedly (Lee 2020)."]
    document = extract_manuscript([manuscript(body, [HARVARD_WRAPPED])])
    assert document is not None
    assert [(m.label, m.reference) for m in document.claims[0].markers] == [("Lee, 2020", None)]


def test_a_deck_whose_sources_are_unnumbered_stays_a_deck() -> None:
    """Unnumbered sources under a heading, and no sentence citing them by author and year: the
    slides cite them otherwise (a slide's sole reference)."""
    slides = [
        "托珠单抗改善贫血\n\n托珠单抗治疗后血红蛋白水平显著升高",
        "References\n\n" + "\n".join(APA_REFERENCES[:3]),
    ]
    source = read_document_bytes("\n\n\n\n".join(slides).encode(), filename="deck.txt")
    assert extract_manuscript([page.text for page in source.pages]) is None
    assert extract_document(source).kind == "slides"


def word_manuscript(body: list[str], references: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading("IL-6 and tocilizumab", level=1)
    for paragraph in body:
        document.add_paragraph(paragraph)
    document.add_heading("References", level=1)
    for reference in references:
        document.add_paragraph(reference)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


SNAPSHOT_REFERENCES = [
    "Kotake S, Sato K, Kim KJ, et al. (1996) Interleukin-6 and soluble interleukin-6 receptors"
    " in the synovial fluids from rheumatoid arthritis patients are responsible for osteoclast-"
    "like cell formation. J Bone Miner Res 11(1):88–95",
    "Nakahara H, Song J, Sugimoto M, et al. (2003) Anti-interleukin-6 receptor antibody therapy"
    " reduces vascular endothelial growth factor production in rheumatoid arthritis. Arthritis"
    " Rheum 8(6):1521–1529",  # PubMed: volume 48
    "Weiss G, Schett G (2013) Anaemia in inflammatory rheumatic diseases. Nat Rev Rheumatol"
    " 9(4):205–215",
]
SNAPSHOT_BODY = [
    "IL-6 in the synovial fluid of patients drives osteoclast formation (Kotake et al. 1996).",
    "Blocking the IL-6 receptor reduced VEGF production in patients (Nakahara et al. 2003).",
    "Weiss and Schett (2013) describe anaemia as common in inflammatory rheumatic diseases.",
    "Tocilizumab also corrected the anaemia in several patients (Weiss and Schett 2013).",
]


def test_a_word_manuscript_citing_by_author_and_year_is_resolved_and_verified(
    engine: Engine, tmp_path: Path
) -> None:
    """End to end, on both backends: stored with its markers (labels longer than a number's),
    resolved to PubMed from the local store, verified (the wrong volume found)."""
    path = tmp_path / "review.docx"
    path.write_bytes(word_manuscript(SNAPSHOT_BODY, SNAPSHOT_REFERENCES))
    ingest_file(engine, path)
    import_files(engine, [SNAPSHOT])

    async def enrich() -> None:
        with session_scope(engine) as session:
            await enrich_citations(session, client=None)

    asyncio.run(enrich())
    with session_scope(engine) as session:
        verify(session)
    with session_scope(engine) as session:
        citations = {c.id: c for c in list_citations(session)}
        claims = list_claims(session)
    assert {c.first_author: (c.pmid, c.verdict) for c in citations.values()} == {
        "Kotake": ("8770701", "verified"),
        "Nakahara": ("12794819", "mismatch"),
        "Weiss": ("23147894", "verified"),
    }
    assert [
        ([m.label for m in claim.markers], [citations[c.id].first_author for c in claim.citations])
        for claim in claims
    ] == [
        (["Kotake et al., 1996"], ["Kotake"]),
        (["Nakahara et al., 2003"], ["Nakahara"]),
        (["Weiss and Schett, 2013"], ["Weiss"]),
        (["Weiss and Schett, 2013"], ["Weiss"]),
    ]
    assert claims[0].text == "IL-6 in the synovial fluid of patients drives osteoclast formation."


NAMES_LIST = """Afridi B, Khan H, Akkol EK, Aschner M (2021) Pain perception and management: where do
we stand? Curr Mol Pharmacol 14:678–688
d'Errico P, Ziegler-Waldkirch S, Aires V et al (2022) Microglia contribute to the propagation of
Aβ into unaffected brain tissue. Nat Neurosci 25:20–25
López De La Paz, M., Goldie, K., Zurdo, J., & Serrano, L. (2002). De novo designed peptide-based
amyloid fibrils. Proc Natl Acad Sci U S A, 99(25), 16052–16057.
McCormack AL, Di Monte DA (2003) Effects of L-dopa and other amino acids against paraquat.
J Neurochem 85:82–86
Sullivan MR, Vander Heiden MG (2017) When cancer needs what's non-essential. Nat Cell Biol
19:418–420"""


@pytest.mark.parametrize(
    ("sentence", "label", "names"),
    [
        # Parentheses written after a question mark: the question's.
        ("Is pain in RA ever managed well enough? (Afridi et al. 2021).", "Afridi et al., 2021",
         "Pain perception"),
        ("Microglia spread the deposits further (d'Errico et al. 2022).", "d'Errico et al., 2022",
         "Microglia"),
        # A surname of several words: the list's own, whatever the parser made of it.
        ("Designed peptides form amyloid fibrils (López De La Paz et al., 2002).",
         "López De La Paz et al., 2002", "De novo"),
        ("L-dopa protected the neurons against paraquat (McCormack and Di Monte 2003).",
         "McCormack and Di Monte, 2003", "L-dopa"),
        ("Sullivan and Vander Heiden (2017) asked when cancer needs what is non-essential.",
         "Sullivan and Vander Heiden, 2017", "non-essential"),
    ],
)  # fmt: skip
def test_surnames_as_pubmed_writes_them(sentence: str, label: str, names: str) -> None:
    document = extract_manuscript([manuscript([sentence], [NAMES_LIST])])
    assert document is not None and len(document.references) == 5
    (claim,) = document.claims
    (marker,) = claim.markers
    assert marker.label == label and marker.reference is not None
    assert names in document.references[marker.reference].as_written


APA_MORE = [
    "American Diabetes Association. (2022). Standards of medical care in diabetes. Diabetes"
    " Care, 45(Suppl 1), S1–S264.",
    "Bolland, M. J., Grey, A., & Avenell, A. (2018).",  # the line breaks after the year
    "Effects of vitamin D supplementation on musculoskeletal health. The Lancet Diabetes &"
    " Endocrinology, 6(11), 847–858.",
    "Hilger, J., Friedel, A., & Herr, R. (2014). A systematic review of vitamin D status in",
    "Hepatitis B carriers. British Journal of Nutrition, 111(1), 23–45.",  # a name-like line
    "March, L., Smith, E. U., & Hoy, D. G. (2019). Burden of disability due to musculoskeletal"
    " disorders. Best Practice & Research Clinical Rheumatology, 28(3), 353–366.",
    "Nauck, M. A., & Meier, J. J. (in press). Incretin hormones. Diabetologia.",
    "O’Dell, J. R., & Mikuls, T. R. (2016). Vitamin D trials: Conflicting evidence. Arthritis"
    " Care & Research, 68(1), 1–3.",
    "World Health Organization. (2020). Global report on diabetes. Geneva.",
]


@pytest.mark.parametrize(
    ("sentence", "cited"),
    [
        # APA 6's first citation names every author; so may a narrative one.
        ("Vitamin D did not prevent fractures (Bolland, Grey, & Avenell, 2018).", ["Bolland"]),
        ("Bolland, Grey and Avenell (2018) concluded that vitamin D did not help.", ["Bolland"]),
        # A reference whose wrapped title line starts like a name stays whole.
        ("Vitamin D status was poor in these carriers (Hilger et al., 2014).", ["Hilger"]),
        # An abbreviation given once, then used.
        ("Diabetes affects millions of adults (World Health Organization [WHO], 2020). The"
         " prevalence of diabetes keeps rising in poorer countries (WHO, 2020).",
         ["World Health Organization", "World Health Organization"]),
        # Not yet published; a curly apostrophe in the text; a page, a table.
        ("Incretins are central to treatment (Nauck & Meier, in press).", ["Nauck"]),
        ("Status was poor in O'Dell and Mikuls (2016) and in another study of them (O’Dell &"
         " Mikuls, 2016, p. 2).", ["O'Dell", "O'Dell"]),
        ("Glucose targets follow the standards of care (American Diabetes Association, 2022,"
         " Table 3).", ["American Diabetes Association"]),
        # A month before a year in running text, an unlisted word before a year: no citation.
        ("Patients were enrolled between January 2018 and March 2019 in three centres.", []),
        ("The study was approved in 2019 (Protocol 2019) and registered (ClinicalTrials 2019)"
         " at once.", []),
    ],
)  # fmt: skip
def test_apa_citations_as_writers_write_them(sentence: str, cited: list[str]) -> None:
    anchor = "Incretin hormones shape the treatment of diabetes (Nauck & Meier, in press)."
    document = extract_manuscript([manuscript([sentence, anchor], ["\n".join(APA_MORE)])])
    assert document is not None
    assert len(document.references) == 7
    markers = [m for claim in document.claims[:-1] for m in claim.markers]
    named = [m.reference for m in markers]
    assert None not in named
    assert [document.references[i or 0].parsed.first_author for i in named] == cited


GBT_LIST = [
    "SMOLEN J S, BREEDVELD F C, BURMESTER G R, 2016. Treating rheumatoid arthritis to target[J]."
    " Annals of the Rheumatic Diseases, 75(1): 3-15.",
    "TAKEUCHI T, TANAKA Y, 2019. Denosumab in rheumatoid arthritis[J]. Lancet Rheumatology,"
    " 1(1): 1-9.",
    "VAN DER HEIJDE D, LANDEWÉ R, 2018. Radiographic progression[J]. Arthritis & Rheumatology,"
    " 70(1): 1-9.",
    "张三, 李四, 王五, 2019. 类风湿关节炎患者骨质疏松的流行病学调查[J]. 中华风湿病学杂志, 23(4):"
    " 245-250.",
]


def test_a_chinese_manuscript_cites_english_names_with_no_space_before_等() -> None:
    """As Chinese manuscripts are typed: "Smolen等（2016）", "（Takeuchi和Tanaka，2019）"; GB/T
    7714 writes English surnames in capitals, particles too."""
    body = [
        "Smolen等（2016）提出了达标治疗策略。达标治疗可改善预后（Smolen等，2016；张三等，2019）。"
        "地舒单抗可抑制骨侵蚀（Takeuchi和Tanaka，2019）。骨侵蚀进展缓慢（van der Heijde等，2018）。"
    ]
    document = extract_manuscript([manuscript(body, ["\n".join(GBT_LIST)], between="\n")])
    assert document is not None
    assert [
        [document.references[m.reference or 0].parsed.year for m in c.markers]
        for c in document.claims
    ] == [[2016], [2016, 2019], [2019], [2018]]
    assert all(m.reference is not None for c in document.claims for m in c.markers)


def test_a_deck_citing_by_author_and_year_stays_a_deck_and_is_linked() -> None:
    """Bullets citing "(Smolen et al., 2019)" and a last slide of sources: slides, not
    sentences glued across slide titles."""
    slides = [
        "JAK inhibitors in RA\n\n- Upadacitinib achieved remission in 29% of patients"
        " (Smolen et al., 2019)\n- JAK inhibitors are effective after csDMARD failure",
        "Safety of JAK inhibitors\n\n- Herpes zoster is more frequent (Winthrop, 2017)\n"
        "- Venous thromboembolism needs watching",
        "Summary\n\n- Treat to target\n- Screen before starting",
        "References\n\nSmolen, J. S., Pangan, A. L., & Emery, P. (2019). Upadacitinib as"
        " monotherapy. Lancet, 393(10188), 2303–2311.\nWinthrop, K. L. (2017). The emerging"
        " safety profile of JAK inhibitors. Nature Reviews Rheumatology, 13(4), 234–243.",
    ]
    source = read_document_bytes("\n\n\n".join(slides).encode(), filename="deck.txt")
    assert len(source.pages) == 4
    deck = extract_document(source)
    assert deck.kind == "slides"
    # Its bullets cite the sources slide by author and year, and keep their slides.
    cited = {
        (c.page_number, c.text): [deck.references[i].parsed.first_author for i in c.cites]
        for c in deck.claims
        if c.cites
    }
    assert cited == {
        (1, "Upadacitinib achieved remission in 29% of patients"): ["Smolen"],
        (2, "Herpes zoster is more frequent"): ["Winthrop"],
    }


def test_second_authors_are_told_apart_by_whole_names() -> None:
    """ "Liu" is not "Li": short surnames, common in Chinese authors' lists, name their work."""
    references = [
        "Zhang, Y., & Li, H. (2020). IL-6 and hepcidin in rheumatoid arthritis. Rheumatology,"
        " 59(3), 100-110.",
        "Zhang, Y., & Liu, Q. (2020). Serum IL-6 and anemia. Clinical Rheumatology, 39(2),"
        " 200-210.",
    ]
    body = [
        "Serum IL-6 predicted anemia in the first cohort of patients (Zhang & Liu, 2020)."
        " Hepcidin rose with IL-6 in the second cohort of patients (Zhang & Li, 2020)."
    ]
    document = extract_manuscript([manuscript(body, references)])
    assert document is not None
    assert [[m.reference for m in c.markers] for c in document.claims] == [[1], [0]]


def test_a_bulleted_reference_list_reads_as_one() -> None:
    body = ["Regular exercise improves mood in older adults (Smith et al., 2019)."]
    references = [
        "- Smith, J., Brown, K., & Lee, M. (2019). Exercise and mood. Journal of Psychology, 12,"
        " 1-20.",
        "- Jones, A. (2020). Sleep and training. Sleep Medicine, 5, 3-9.",
    ]
    document = extract_manuscript([manuscript(body, references, between="\n")])
    assert document is not None and len(document.references) == 2
    assert document.references[0].parsed.first_author == "Smith"
    assert [m.reference for m in document.claims[0].markers] == [0]


@pytest.mark.parametrize(
    "text",
    [
        "We saw it (" + " ".join(["Van"] * 40) + " data).",
        "Smith" + " " * 5000 + "x (" + "De La " * 300 + "Paz data).",
        "(" + ", ".join(["Smith"] * 2000) + " and",
    ],
)
def test_no_text_makes_the_citation_patterns_backtrack_for_long(text: str) -> None:
    """Each of these took seconds to hours (backtracking that doubled a word); an alarm fails
    the test rather than let it hang."""
    import signal

    from evidence.ingest.author_year import AuthorYearIndex
    from evidence.ingest.author_year_list import ListedWork

    index = AuthorYearIndex([ListedWork(0, "smith", ("jones",), "2019", None, False, False)])

    def hung(_signal: int, _frame: object) -> None:
        raise TimeoutError("the citation patterns backtracked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        assert index.citations(text) == []
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_year_after_a_semicolon_is_the_authors_before_it() -> None:
    """Harvard's "(Smith et al. 2019; 2020; Lee 2021)": 2020 is Smith's too."""
    body = ["Tocilizumab reduced the symptoms markedly in both trials (Smith et al. 2019; 2020;"
            " Lee 2021)."]  # fmt: skip
    references = [
        "Smith J, Brown A, Green B (2019) Tocilizumab and fatigue. Rheumatology 58:200-210",
        "Smith J, Brown A, Green B (2020) Tocilizumab and pain. Rheumatology 59:10-20",
        "Lee K (2021) Osteoclasts in RA. Bone 130:115-120",
    ]
    document = extract_manuscript([manuscript(body, references, between="\n")])
    assert document is not None
    (claim,) = document.claims
    assert claim.text == "Tocilizumab reduced the symptoms markedly in both trials."
    assert [(m.label, m.reference) for m in claim.markers] == [
        ("Smith et al., 2019", 0),
        ("Smith et al., 2020", 1),
        ("Lee, 2021", 2),
    ]


SMITHS_2019 = [
    "Smith, J. (2019). Fatigue in rheumatoid arthritis. Rheumatology, 58(1), 10–20.",
    "Smith, A. (2019). Depression in rheumatoid arthritis. Journal of Psychiatric Research,"
    " 110, 1–9.",
    "Nemeth, E., Rivera, S., & Ganz, T. (2004). IL-6 mediates hypoferremia of inflammation."
    " Journal of Clinical Investigation, 113(9), 1271–1276.",
]


def test_apa_initials_tell_two_first_authors_of_one_surname_apart() -> None:
    """APA writes the initials when two first authors share a surname: "(J. Smith, 2019)"."""
    body = (
        "Fatigue lessened within weeks of starting tocilizumab (J. Smith, 2019). Depressive"
        " symptoms improved as well (A. Smith, 2019). The two reports agree in most respects"
        " (Smith, 2019). Interleukin-6 lowers serum iron (E. Nemeth et al., 2004)."
    )
    document = extract_manuscript([manuscript([body], SMITHS_2019)])
    assert document is not None
    assert cited(document) == {
        "Fatigue lessened within weeks of starting tocilizumab.": [
            ("J. Smith, 2019", "Smith 2019")
        ],
        "Depressive symptoms improved as well.": [("A. Smith, 2019", "Smith 2019")],
        # Without initials, both works are named: none is, and verification says so.
        "The two reports agree in most respects.": [("Smith, 2019", None)],
        "Interleukin-6 lowers serum iron.": [("E. Nemeth et al., 2004", "Nemeth 2004")],
    }
    titles = [document.references[m.reference or 0].parsed.title for c in document.claims[:2]
              for m in c.markers]  # fmt: skip
    assert ["Fatigue" in (titles[0] or ""), "Depression" in (titles[1] or "")] == [True, True]


def test_a_work_the_sentence_names_but_the_list_lacks_is_reported() -> None:
    """ "Lee et al. (2020) showed" names a work: missing from the list, it is a marker naming
    nothing (dangling), as "(Lee et al., 2020)" is. Without "et al." two names before a year
    may be anything ("the United States and Canada (2019)"), and one name too ("Protocol")."""
    body = (
        "In Lee et al. (2020), hepcidin fell within two weeks of the first infusion. Rates of"
        " obesity rose sharply in the United States and Canada (2019) over the decade. The"
        " Protocol (2019) and the Guideline (2020) set the doses used in this study. Iron"
        " absorption improved as hepcidin fell (Nemeth et al., 2004)."
    )
    document = extract_manuscript([manuscript([body], SMITHS_2019)])
    assert document is not None
    assert cited(document) == {
        "In Lee et al. (2020), hepcidin fell within two weeks of the first infusion.": [
            ("Lee et al., 2020", None)
        ],
        "Rates of obesity rose sharply in the United States and Canada (2019) over the decade.": [],
        "The Protocol (2019) and the Guideline (2020) set the doses used in this study.": [],
        "Iron absorption improved as hepcidin fell.": [("Nemeth et al., 2004", "Nemeth 2004")],
    }
