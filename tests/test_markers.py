"""Citation markers: glued superscripts on slides, brackets in manuscripts."""

from __future__ import annotations

import pytest

from evidence.ingest.markers import (
    document_vocabulary,
    expand_labels,
    find_bracket_markers,
    find_glued_markers,
    find_markers_before_cjk,
    remove_markers,
)

# The seed deck's own vocabulary: IL-6 and RANKL stand alone elsewhere in it.
VOCABULARY = document_vocabulary(
    [
        "IL-6可由多种细胞分泌",
        "成纤维细胞RANKL产生",
        "sIL-6R浓度",
        "血管内皮生长因子(VEGF)从而",
        "IL-1",
    ]
)


def labels_in(text: str, page_labels: set[str] | None = None) -> list[str]:
    markers = find_glued_markers(
        text, vocabulary=VOCABULARY, page_labels=frozenset(page_labels or ())
    )
    return [label for m in markers for label in m.labels]


@pytest.mark.parametrize(
    ("text", "page_labels", "expected"),
    [
        ("正式命名为IL-63", set(), ["3"]),  # IL-6 + marker 3, on a slide with no references
        ("IL-61", {"1", "2"}, ["1"]),
        ("IL-6产生过多可导致贫血", {"1"}, []),
        ("影响HPA轴的细胞因子IL-6", {"1"}, []),  # IL-6 keeps its 6
        ("其他细胞因子：IFN-α、IFN-γ、IL-2", {"1", "2"}, []),
        ("RANKL1", {"1"}, ["1"]),
        ("sIL-6R4", {"1", "2", "3", "4", "5"}, ["4"]),
        ("VEGF1", {"1"}, ["1"]),
        ("疼痛5", {"5"}, ["5"]),
        ("导B细胞分化的细胞因子1", set(), ["1"]),
        ("破骨样细胞的体外形成由IL-6和sIL-6R介导 1", {"1", "2"}, ["1"]),
        ("骨结构破坏 1，导致骨质脆弱", {"1"}, ["1"]),
        ("单次脑室注射1 μg IL-6后", {"1"}, []),  # a dose, not a marker
        ("在6 min的强迫游泳测试中", {"6"}, []),
        ("1及2期患者显著低于3、4期", {"1", "2", "3", "4"}, []),
        ("纳入66例RA患者", {"1"}, []),
        ("(P = 0.044)", {"1"}, []),
        ("每个实验组n = 10-11)", {"1"}, []),
        ("gp130 gp130", {"1"}, []),
    ],
)
def test_glued_markers_found_only_where_no_name_is_meant(
    text: str, page_labels: set[str], expected: list[str]
) -> None:
    assert labels_in(text, page_labels) == expected


def test_marker_removed_from_claim_text_leaves_name_whole() -> None:
    text = "正式命名为IL-63"
    markers = find_glued_markers(text, vocabulary=VOCABULARY, page_labels=frozenset())
    assert remove_markers(text, markers) == "正式命名为IL-6"


def test_spaced_marker_removed_without_stray_space() -> None:
    text = "骨结构破坏 1，导致骨质脆弱"
    markers = find_glued_markers(text, vocabulary=VOCABULARY, page_labels=frozenset({"1"}))
    assert remove_markers(text, markers) == "骨结构破坏，导致骨质脆弱"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for many years [1].", [("1",)]),
        ("deaths [2, 3].", [("2", "3")]),
        ("[7, 23, 25–33]", [("7", "23", "25", "26", "27", "28", "29", "30", "31", "32", "33")]),
        ("genotypes [1]-[9].", [tuple(str(n) for n in range(1, 10))]),
        ("in vivo [2], [3] and", [("2",), ("3",)]),
        ("as shown¹²", [("12",)]),
        ("as shown¹⁻³", [("1", "2", "3")]),
        ("array [i] of", []),
    ],
)
def test_bracket_markers(text: str, expected: list[tuple[str, ...]]) -> None:
    assert [m.labels for m in find_bracket_markers(text)] == expected


def test_expand_labels_refuses_absurd_ranges() -> None:
    assert expand_labels("1-999") == ("1", "999")
    assert expand_labels("3-1") == ("3", "1")


@pytest.mark.parametrize(
    ("text", "uncited", "labels"),
    [
        ("PBMC2源性破骨细胞形成", {"2"}, [("2",)]),  # reference 2 cited nowhere else
        ("PBMC2源性破骨细胞形成", {"1"}, []),  # 2 is not a reference this page lacks
        ("CD4细胞与STAT3通路", {"2"}, []),  # names, whatever the page lacks
        ("sIL-6R1可与TNF2结合", {"1", "2"}, [("1",), ("2",)]),
        ("gp1302结合", {"2"}, []),  # gp130 + 2 or gp13 + 02: a name ends in a digit
        ("IL-6R2与IL-6R2", {"2"}, [("2",)]),  # one marker per reference
    ],
)
def test_numbers_before_chinese_are_markers_only_for_uncited_references(
    text: str, uncited: set[str], labels: list[tuple[str, ...]]
) -> None:
    found = find_markers_before_cjk(text, uncited_labels=frozenset(uncited))
    assert [m.labels for m in found] == labels
