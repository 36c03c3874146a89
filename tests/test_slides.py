"""Slide decks: units, topics, headings, claims and links, on the seed deck and small decks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document
from evidence.ingest.slides import extract_slides, split_slides
from evidence.ingest.structure import ExtractedDocument
from evidence.ingest.units import split_units
from tests.conftest import SEED_DECK


@pytest.fixture(scope="module")
def seed() -> ExtractedDocument:
    return extract_slides([page.text for page in read_document(SEED_DECK).pages])


def claim_citing(doc: ExtractedDocument, text: str) -> list[str]:
    """Return the first authors of what the claim with this text cites."""
    matches = [c for c in doc.claims if c.text == text]
    assert len(matches) == 1, f"{text!r} found {len(matches)} times"
    return sorted(doc.references[i].parsed.first_author or "?" for i in matches[0].cites)


def test_seed_anaemia_claims_cite_their_own_papers(seed: ExtractedDocument) -> None:
    assert claim_citing(seed, "RA患者贫血与血浆内IL-6浓度升高有关") == ["Voulgari"]
    assert claim_citing(seed, "在大鼠模型中输注IL-6可诱导贫血") == ["Jongen-Lavrencic"]


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("骨质疏松是炎症性疾病如类风湿关节炎的常见特征", ["Lipsky"]),  # marker 2
        ("体外试验同样显示IL-6与人外周血单核细胞培养能介导破骨样细胞的形成", ["Kudo"]),
        ("疼痛", ["Walsh"]),  # diagram label 疼痛5
        ("sIL-6R", ["Svensson"]),  # sIL-6R4
        ("IL-6", ["Dayer"]),  # IL-61
        ("生成类风湿因子等自身抗体", ["Hennigan"]),  # wrapped label, marker 3
        ("中性粒细胞", ["Dayer"]),  # 中性粒 / 细胞1 broken over two lines
        ("关节炎猴类模型研究显示，托珠单抗可保护关节软骨，减少破坏", ["Hashizume"]),
        (
            "一项研究纳入66例RA患者以及24例健康人群作对照，评估血清IL-6水平与RA疾病活动度之间的关系",
            ["Robak"],
        ),
        ("IL-6可由多种细胞产生", ["Garbers"]),  # the only reference on its slide
    ],
)
def test_seed_claims_link_to_the_right_references(
    seed: ExtractedDocument, text: str, authors: list[str]
) -> None:
    assert claim_citing(seed, text) == authors


def test_seed_marker_between_latin_term_and_chinese_text(seed: ExtractedDocument) -> None:
    # "PBMC2源性破骨细胞形成": its slide's reference 2 is cited nowhere else on the slide.
    (claim,) = [c for c in seed.claims if c.text == "PBMC源性破骨细胞形成"]
    assert [m.label for m in claim.markers] == ["2"]
    (cited,) = claim.cites
    assert "Int Rev Immunol" in seed.references[cited].as_written


def test_seed_first_slide_markers_are_kept_as_dangling(seed: ExtractedDocument) -> None:
    dangling = [(claim.page_number, marker.label) for claim, marker in seed.dangling_markers]
    assert sorted(dangling) == [(1, "1"), (1, "2"), (1, "3")]
    named = [c.text for c in seed.claims if c.page_number == 1 and c.markers]
    assert "正式命名为IL-6" in named
    assert "日本学者首次报道发现具有可诱导B细胞分化的细胞因子" in named  # joined across a blank


def test_seed_every_reference_line_is_a_reference(seed: ExtractedDocument) -> None:
    deck = SEED_DECK.read_text(encoding="utf-8")
    written = {r.as_written for r in seed.references}
    assert len(seed.references) == 37
    for reference in written:
        assert reference in deck


def test_seed_topics_are_the_section_labels(seed: ExtractedDocument) -> None:
    topics = [page.topic for page in seed.pages if page.topic]
    for expected in [
        "骨破坏",
        "血液系统 贫血",
        "中枢神经系统 抑郁",
        "抑制骨破坏",
        "全身系统 降低CRP",
    ]:
        assert expected in topics
    assert "肝细胞" not in topics and "IL-6" not in topics  # diagram nodes are not topics
    anaemia = [c for c in seed.claims if c.text == "RA患者贫血与血浆内IL-6浓度升高有关"][0]
    assert seed.pages[anaemia.page_number - 1].topic == "血液系统 贫血"


def test_seed_summary_slide_claims_cite_nothing(seed: ExtractedDocument) -> None:
    last = seed.pages[-1].number
    summary = [c for c in seed.claims if c.page_number == last]
    assert len(summary) == 3
    assert all(not c.cites and not c.markers for c in summary)


def test_slides_run_together_are_split_where_reference_numbering_restarts() -> None:
    page = "\n".join(
        [
            "IL-6信号通路转导由信号转导到调控基因转录",
            "",
            "1. Nishimoto N and Kishimoto T. Nat Clin Pract Rheumatol. 2006;2:619–626.",
            " l IL-6：健康人群平均血清浓度显著低于各期RA患者(P<0.05)",
            "",
            "IL-6与RA疾病活动度间存在密切的相关性",
            "",
            "1. T. Robak et al., Mediators of Inflammation 1998; 7: 347–353.",
        ]
    )
    slides = split_slides([page])
    assert len(slides) == 2
    assert slides[1][0].text.startswith("IL-6：健康人群")


def test_units_join_wrapped_lines_but_not_labels() -> None:
    units = split_units(
        "• 托珠单抗属于IL-6R抑制\n剂，多项研究数据显示\n托珠单抗可全面改善RA\n\n"
        "C反应蛋白\n纤维蛋白原\n\n"
        "IL-6促进铁调素的释放，降低铁的利用率，\n是引起贫血的关键细胞因子\n\n"
        "l 共同注射可溶性gp130 Fc融合蛋白可阻断IL-\n6引起的制动时间的延长"
    )
    assert [u.text for u in units] == [
        "托珠单抗属于IL-6R抑制剂，多项研究数据显示托珠单抗可全面改善RA",
        "C反应蛋白",
        "纤维蛋白原",
        "IL-6促进铁调素的释放，降低铁的利用率，是引起贫血的关键细胞因子",
        "共同注射可溶性gp130 Fc融合蛋白可阻断IL-6引起的制动时间的延长",
    ]
    assert [u.kind for u in units] == ["bullet", "text", "text", "text", "bullet"]


def test_english_deck_with_one_reference_links_every_claim() -> None:
    doc = extract_slides(
        [
            "Tocilizumab reduces CRP in cynomolgus monkeys with arthritis\n\n"
            "• Monkeys received 30 mg/kg tocilizumab once a week for four weeks\n\n"
            "Uchiyama Y, et al. Biol Pharm Bull. 2008 Jun;31(6):1159-63.",
            "Summary\n\n• Tocilizumab improves the signs and symptoms of RA in many studies",
        ]
    )
    first, second = doc.claims[0], doc.claims[-1]
    assert first.cites == {0: "sole_reference"}
    assert doc.pages[0].heading == "Tocilizumab reduces CRP in cynomolgus monkeys with arthritis"
    assert second.page_number == 2 and second.cites == {}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("IL-6RANKL 1234•lü\n.,;:，。贫血细胞因子等()[]")),
            max_size=80,
        ),
        max_size=4,
    )
)
def test_extraction_never_raises_and_markers_point_inside_claims(pages: list[str]) -> None:
    doc = extract_slides(pages)
    for claim in doc.claims:
        for marker in claim.markers:
            assert 0 <= marker.position < len(claim.as_written)
            assert marker.reference is None or marker.reference < len(doc.references)
        assert all(0 <= index < len(doc.references) for index in claim.cites)


BRACKETED_DECK = [
    "IL-6 and anaemia\n\n"
    "IL-6 drives the anaemia of chronic inflammation [1]\n"
    "• Tocilizumab raises haemoglobin in most treated patients [2]\n"
    "• Hepcidin falls within two weeks of the first infusion [1,2]\n"
    "• Iron absorption improves once hepcidin falls [3]\n\n"
    "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276.\n"
    "2. Song SN, et al. Arthritis Res Ther. 2013;15(5):R141.",
    "Mechanism\n\n"
    "Tocilizumab lowers hepcidin in patients with RA [3] and raises haemoglobin [4]\n"
    "• Guidelines from [2019] recommend treating anaemia before surgery [5]",
    "References\n\n"
    "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276.\n"
    "2. Song SN, et al. Arthritis Res Ther. 2013;15(5):R141.\n"
    "3. Isaacs JD, et al. Ann Rheum Dis. 2013;72(3):329-336.\n"
    "4. Hashizume M, et al. Rheumatol Int. 2010;30(7):917-923.",
]


def cited_by_marker(doc: ExtractedDocument) -> dict[str, list[tuple[str, str | None]]]:
    """Each claim: its markers, each with the first author of the reference it names."""
    authors = {r.index: r.parsed.first_author for r in doc.references}
    return {
        claim.text: [
            (m.label, None if m.reference is None else authors[m.reference]) for m in claim.markers
        ]
        for claim in doc.claims
    }


def test_bracketed_markers_on_slides_name_their_references() -> None:
    """ "[1]", "[1,2]" on a slide name the references of its footer; a sentence goes on after
    brackets inside it; "[2019]" is a year; a number the footer does not list dangles."""
    doc = extract_slides(BRACKETED_DECK)
    assert cited_by_marker(doc) == {
        "IL-6 drives the anaemia of chronic inflammation": [("1", "Nemeth")],
        "Tocilizumab raises haemoglobin in most treated patients": [("2", "Song")],
        "Hepcidin falls within two weeks of the first infusion": [
            ("1", "Nemeth"),
            ("2", "Song"),
        ],
        # The slide lists references of its own: its list, not the deck's, is what it cites.
        "Iron absorption improves once hepcidin falls": [("3", None)],
        # A slide listing none cites the deck's "References" slide.
        "Tocilizumab lowers hepcidin in patients with RA and raises haemoglobin": [
            ("3", "Isaacs"),
            ("4", "Hashizume"),
        ],
        "Guidelines from [2019] recommend treating anaemia before surgery": [("5", None)],
    }
    assert all(claim.page_number != 3 for claim in doc.claims)  # the list makes no claims


def test_a_deck_ending_in_a_references_slide_stays_a_deck(tmp_path: Path) -> None:
    """Its last slide's heading and numbered list do not make it a manuscript, whose every
    line would be a sentence (footers included)."""
    path = tmp_path / "deck.txt"
    path.write_text("\n\n\n\n".join(BRACKETED_DECK), encoding="utf-8")
    doc = extract_document(read_document(path))
    assert doc.kind == "slides"
    assert [claim.page_number for claim in doc.claims] == [1, 1, 1, 1, 2, 2]


SOURCES_DECK = [
    "Citalopram for agitation\n\n"
    "Citalopram reduced agitation in patients with Alzheimer disease over nine weeks\n\n"
    "Source: Porsteinsson AP, Drye LT, Pollock BG, et al. Effect of citalopram on agitation in"
    " Alzheimer disease: the CitAD randomized clinical trial. JAMA. 2014;311(7):682-691.",
    "Light therapy\n\n"
    "Bright light improved cognitive and noncognitive symptoms in elderly residents\n\n"
    "Riemersma-van der Lek RF, Swaab DF, Twisk J, et al. Effect of bright light and melatonin"
    " on cognitive function in elderly residents of group care facilities. JAMA."
    " 2008;299(22):2642-55.",
    "Sertraline and mirtazapine\n\n"
    "Neither antidepressant beat placebo for depression in dementia [1]\n"
    "Agitation fell with both drugs in the trial [2]\n\n"
    "Sources: [1] Banerjee S, Hellier J, Dewey M, et al. Lancet. 2011;378(9789):403-11; [2]"
    " Porsteinsson AP, et al. JAMA. 2014;311(7):682-91.",
    "Citalopram and QT\n\n"
    "QT prolongation was seen at thirty milligrams a day [1]\n"
    "Depression in dementia did not respond to sertraline [2]\n\n"
    "Source: Porsteinsson AP et al. JAMA 2014;311:682-91; [2] Banerjee S et al. Lancet"
    " 2011;378:403-11",
    "Reference ranges\n\n"
    "Reference ranges for haemoglobin in the 2019 cohort differed between men and women",
]


def test_a_slides_sources_line_lists_its_references() -> None:
    """ "Source:" and "Sources:" footers, pharma decks' way, are the slide's reference list (a
    semicolon parting two references, not "2014;311"); an unnumbered reference whose surname
    has particles is one too; a sentence starting "Reference ranges" is no sources line."""
    doc = extract_slides(SOURCES_DECK)
    written = [
        (r.page_number, r.label, r.parsed.first_author, r.parsed.volume) for r in doc.references
    ]
    assert written == [
        (1, None, "Porsteinsson", "311"),
        (2, None, "Riemersma-van der Lek", "299"),
        (3, "1", "Banerjee", "378"),
        (3, "2", "Porsteinsson", "311"),
        # Unnumbered before "[2]": the first.
        (4, "1", "Porsteinsson", "311"),
        (4, "2", "Banerjee", "378"),
    ]
    assert [(c.page_number, sorted(c.cites.items())) for c in doc.claims] == [
        (1, [(0, "sole_reference")]),
        (2, [(1, "sole_reference")]),
        (3, [(2, "marker")]),
        (3, [(3, "marker")]),
        (4, [(4, "marker")]),
        (4, [(5, "marker")]),
        (5, []),
    ]


def test_a_deck_list_names_bracketed_markers_only_and_a_range_no_list_has_is_a_statistic() -> None:
    """A slide listing nothing lends the deck's References slide to its "[n]" markers, not to
    the digits ending a name ("CD4", "JAK2", "STAT3" stay whole); "65 [58-72] years" is an
    interquartile range; an English label of five words still labels the slide."""
    deck = [
        "Immune mechanisms\n\n"
        "• CD4细胞和Th17细胞在RA滑膜中显著增多\n"
        "• Baricitinib selectively inhibits JAK1 and JAK2 in synovial cells [2]\n"
        "• Median age was 65 [58-72] years and median disease duration 8 [4-13] years",
        "Tocilizumab raised haemoglobin within two weeks in most patients\n\n"
        "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276.\n\n"
        "Haematological manifestations of rheumatoid arthritis",
        "References\n\n"
        "1. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276.\n"
        "2. Taylor PC, et al. N Engl J Med. 2017;376(7):652-662.\n"
        "4. Isaacs JD, et al. Ann Rheum Dis. 2013;72(3):329-336.\n"
        "17. Song SN, et al. Arthritis Res Ther. 2013;15(5):R141.",
    ]
    doc = extract_slides(deck)
    assert cited_by_marker(doc) == {
        "CD4细胞和Th17细胞在RA滑膜中显著增多": [],
        "Baricitinib selectively inhibits JAK1 and JAK2 in synovial cells": [("2", "Taylor")],
        "Median age was 65 [58-72] years and median disease duration 8 [4-13] years": [],
        "Tocilizumab raised haemoglobin within two weeks in most patients": [],
    }
    assert doc.pages[1].topic == "Haematological manifestations of rheumatoid arthritis"


def test_a_claim_opening_data_from_is_no_sources_line() -> None:
    doc = extract_slides(
        [
            "ACR20 responses\n\n"
            "Data from Smolen et al. 2008 show a 59% ACR20 response with tocilizumab 8 mg/kg\n\n"
            "Adapted from Smolen JS, Beaulieu A, Rubbert-Roth A, et al. Lancet."
            " 2008;371(9617):987-997."
        ]
    )
    assert [c.text for c in doc.claims] == [
        "Data from Smolen et al. 2008 show a 59% ACR20 response with tocilizumab 8 mg/kg"
    ]
    assert [r.parsed.first_author for r in doc.references] == ["Smolen"]


def test_a_decimal_after_chinese_text_is_a_quantity_not_a_marker() -> None:
    doc = extract_slides(
        [
            "安全性\n\n• 淀粉样蛋白相关影像学异常（ARIA-E）发生率为12.6%，安慰剂组为1.7%¹\n\n"
            "1. van Dyck CH, Swanson CJ, Aisen P, et al. Lecanemab in early Alzheimer's disease."
            " N Engl J Med. 2023;388(1):9-21."
        ]
    )
    assert cited_by_marker(doc) == {
        "淀粉样蛋白相关影像学异常（ARIA-E）发生率为12.6%，安慰剂组为1.7%": [("1", "van Dyck")]
    }


def test_what_every_slide_repeats_is_no_claim_and_a_title_over_bullets_is_the_topic() -> None:
    """A disclaimer or a running footer on most slides (as a line, or glued to a bullet's end
    by PDF extraction, with the slide's number) is taken out; a short title over the bullets,
    with no blank line between (PDF text), is the slide's topic and heading."""
    footer = "For scientific exchange only. Not for promotional use."
    deck = [
        f"Why blood biomarkers?\n• Blood tests cost a fraction of an amyloid PET scan¹\n{footer}\n"
        "CME Programme | Dementia Risk Reduction 1\n"
        "1. Hansson O, et al. Blood-based biomarkers for Alzheimer's disease. Nat Med."
        " 2022;28(6):1167-1177.",
        f"Plasma p-tau181\n• P-tau181 tracks tau PET across the continuum¹\n"
        "• It predicts progression to dementia over four yearsCME Programme | Dementia Risk"
        f" Reduction 2\n{footer}\n"
        "1. Karikari TK, et al. Blood phosphorylated tau 181. Lancet Neurol. 2020;19(5):422-433.",
        f"Summary\n• Blood tests will triage patients for PET in memory clinics\n{footer}\n"
        "CME Programme | Dementia Risk Reduction 3",
    ]
    doc = extract_slides(deck)
    assert [page.topic for page in doc.pages] == [
        "Why blood biomarkers?", "Plasma p-tau181", "Summary"
    ]  # fmt: skip
    assert [c.text for c in doc.claims] == [
        "Blood tests cost a fraction of an amyloid PET scan",
        "P-tau181 tracks tau PET across the continuum",
        "It predicts progression to dementia over four years",
        "Blood tests will triage patients for PET in memory clinics",
    ]


def test_a_footer_reference_wrapping_before_its_year_is_one_reference() -> None:
    doc = extract_slides(
        [
            "Plasma p-tau181\n\n• P-tau181 tracks tau PET across the continuum¹\n"
            "• It predicts progression to dementia²\n\n"
            "1. Karikari TK, Pascoal TA, Ashton NJ, et al. Blood phosphorylated tau 181 as a"
            " biomarker. Lancet Neurol. 2020;19(5):422-433.\n"
            "2. Janelidze S, Mattsson N, Palmqvist S, et al. Plasma P-tau181 in Alzheimer's"
            " disease: relationship to other biomarkers. Nat\nMed. 2020;26(3):379-386."
        ]
    )
    assert [(r.label, r.parsed.journal, r.parsed.volume) for r in doc.references] == [
        ("1", "Lancet Neurol", "19"),
        ("2", "Nat Med", "26"),
    ]
    assert cited_by_marker(doc)["It predicts progression to dementia"] == [("2", "Janelidze")]


def test_a_title_slides_authors_and_affiliations_cite_nothing() -> None:
    """ "Maria Lindqvist¹, Thomas K. Reed²" and "¹Memory Clinic …" number affiliations."""
    doc = extract_slides(
        [
            "Blood-based biomarkers for Alzheimer disease\n\nMaria Lindqvist¹, Thomas K. Reed²\n"
            "¹Memory Clinic, University Hospital; ²Department of Neurology, City Medical Centre",
            "Why blood biomarkers?\n\n• Blood tests cost a fraction of an amyloid PET scan¹\n\n"
            "1. Hansson O, et al. Blood-based biomarkers for Alzheimer's disease. Nat Med."
            " 2022;28(6):1167-1177.",
        ]
    )
    assert [c.markers for c in doc.claims if c.page_number == 1] == [[]]  # the title alone
    assert not any("Lindqvist" in c.text or "Clinic" in c.text for c in doc.claims)
    assert [m.label for c in doc.claims if c.page_number == 2 for m in c.markers] == ["1"]


def test_the_slides_number_glued_to_its_last_line_is_no_marker() -> None:
    """PDF extraction glues the slide's number to its last line ("…仍需进一步研究10"); a number
    the slide lists stays a marker."""
    topics = ["贫血", "疲劳", "骨折", "抑郁", "疼痛", "晨僵", "感染", "血脂", "肝酶", "体重"]
    pages = [f"第{n}页\n\n托珠单抗改善类风湿关节炎患者的{topics[n - 1]}{n}" for n in range(1, 11)]
    pages[9] = "总结\n\n• 患者选择、长期获益及卫生经济学价值仍需进一步研究10"
    pages[4] += "\n\n5. Nemeth E, et al. J Clin Invest. 2004;113(9):1271-1276."
    doc = extract_slides(pages)
    markers = {c.page_number: [m.label for m in c.markers] for c in doc.claims}
    assert markers[10] == [] and markers[5] == ["5"]
    assert doc.claims[-1].text == "患者选择、长期获益及卫生经济学价值仍需进一步研究"
