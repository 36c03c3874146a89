"""Manuscripts: sentences with bracketed markers linked to the numbered reference list, checked
against the citing sentences that the articles' own JATS sources record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evidence.ingest.extract import extract_document
from evidence.ingest.readers import read_document, read_document_bytes
from evidence.ingest.sentences import split_sentences
from tests.conftest import DATA

ARTICLES = sorted((DATA / "manuscripts").glob("*.txt"))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_manuscript_citing_sentences_link_to_their_references(article: Path) -> None:
    document = extract_document(read_document(article))
    gold = json.loads(article.with_suffix("").with_suffix(".refs.json").read_text())
    assert document.kind == "manuscript"
    assert len(document.references) == len(gold["reference_ids_by_number"])
    labels = {r.index: int(r.label or 0) for r in document.references}
    claims = {normalise(c.as_written): c for c in document.claims}
    right = wrong = 0
    for sentence in gold["citing_sentences"]:
        claim = claims.get(normalise(sentence["sentence"]))
        if claim is None:
            continue  # sentence split differently; counted below
        found = sorted(labels[i] for i in claim.cites)
        if found == sorted(set(sentence["ref_numbers"])):
            right += 1
        else:
            wrong += 1
    assert wrong == 0
    assert right >= 0.85 * len(gold["citing_sentences"])
    assert not document.dangling_markers


def test_sentences_keep_abbreviations_whole() -> None:
    paragraph = (
        "M. tuberculosis stores lipids, as Garton et al. showed [2]. "
        "B. subtilis does not (e.g. in Fig. 2). It grows [3]."
    )
    assert split_sentences(paragraph) == [
        "M. tuberculosis stores lipids, as Garton et al. showed [2].",
        "B. subtilis does not (e.g. in Fig. 2).",
        "It grows [3].",
    ]


def test_a_number_ending_a_sentence_ends_it_but_an_inline_list_number_does_not() -> None:
    """Each sentence keeps its own citation: "in 2019." and "P < 0.001." end theirs."""
    paragraph = (
        "Tocilizumab raised haemoglobin in the trials published in 2019. It lowered hepcidin [2]."
        " The difference was significant, P < 0.001. Patients were excluded for these reasons:"
        " 1. Active infection; 2. Pregnancy [3]."
    )
    assert split_sentences(paragraph) == [
        "Tocilizumab raised haemoglobin in the trials published in 2019.",
        "It lowered hepcidin [2].",
        "The difference was significant, P < 0.001.",
        "Patients were excluded for these reasons: 1. Active infection; 2. Pregnancy [3].",
    ]


def test_section_headings_leading_a_paragraph_are_no_part_of_its_first_claim(
    tmp_path: Path,
) -> None:
    """A heading on a line of its own, the paragraph starting on the next line, is left out as
    headings standing alone are; a short line that wraps a sentence is not a heading."""
    path = tmp_path / "sections.txt"
    path.write_text(
        "Introduction\nInterleukin-6 drives the anaemia of rheumatoid arthritis [1].\n\n"
        "2.1 Study population\nWe enrolled 66 patients with active disease [2].\n"
        "PATIENTS AND METHODS\nAll patients were treated with\n"
        "Tocilizumab 8 mg/kg every four weeks [3].\n\n" + REFERENCES,
        encoding="utf-8",
    )
    document = extract_document(read_document(path))
    assert [(c.text, [m.label for m in c.markers]) for c in document.claims] == [
        ("Interleukin-6 drives the anaemia of rheumatoid arthritis.", ["1"]),
        ("We enrolled 66 patients with active disease.", ["2"]),
        ("All patients were treated with Tocilizumab 8 mg/kg every four weeks.", ["3"]),
    ]


def test_sentences_may_start_with_a_number_or_a_lower_case_name() -> None:
    """Each sentence keeps its own citations: none is glued to the one before it."""
    paragraph = (
        "IL-6 is raised in rheumatoid arthritis [1]. 66 patients with anaemia were enrolled [2]."
        " mRNA levels of hepcidin rose [2]. p53 was not measured. It cost ca. 5 dollars and"
        " approx. 3 hours (see Fig. 4 and ref. 2)."
    )
    assert split_sentences(paragraph) == [
        "IL-6 is raised in rheumatoid arthritis [1].",
        "66 patients with anaemia were enrolled [2].",
        "mRNA levels of hepcidin rose [2].",
        "p53 was not measured.",
        "It cost ca. 5 dollars and approx. 3 hours (see Fig. 4 and ref. 2).",
    ]


REFERENCES = """References

1. Nakahara H, Song J, Sugimoto M, et al. Anti-interleukin-6 receptor antibody therapy reduces
vascular endothelial growth factor production in rheumatoid arthritis. Arthritis Rheum.
2003;48(6):1521-9.
2. Nemeth E, Rivera S, Gabayan V, et al. IL-6 mediates hypoferremia of inflammation by
inducing the synthesis of the iron regulatory hormone hepcidin. J Clin Invest.
2004;113(9):1271-6.
"""


def test_list_items_in_text_are_claims_of_their_own(tmp_path: Path) -> None:
    """Lines led by a bullet or a number are items, each a claim with its own citations,
    however the text wraps them; the bullet is not part of the claim."""
    path = tmp_path / "findings.txt"
    path.write_text(
        "IL-6 blockade\n\nKey findings of the trials:\n"
        "- Tocilizumab improved the anaemia of patients with RA [2].\n"
        "* Fatigue improved within weeks of the\n  first infusion [1].\n"
        "• Hepcidin fell within days of the first infusion [2].\n"
        "3. Radiographic progression slowed in both trials [1, 2].\n\n" + REFERENCES,
        encoding="utf-8",
    )
    document = extract_document(read_document(path))
    assert [(c.text, [m.label for m in c.markers]) for c in document.claims] == [
        ("Tocilizumab improved the anaemia of patients with RA.", ["2"]),
        ("Fatigue improved within weeks of the first infusion.", ["1"]),
        ("Hepcidin fell within days of the first infusion.", ["2"]),
        ("3. Radiographic progression slowed in both trials.", ["1", "2"]),
    ]


def test_a_list_past_999_references_keeps_each_and_a_year_is_no_marker() -> None:
    """References 1000 and on are their own (they were glued to 999), cited as "[1000]";
    "[2019]" with no reference 2019 and a line starting "2019." are a year."""
    references = "\n".join(
        f"{n}. Author{n} A, Other B. Title {n} on IL-6. J Test. {1990 + n % 30};{n}:1-9."
        for n in range(1, 1502)
    )
    body = (
        "IL-6 rises in arthritis as the largest series showed [1000]. It rises in sepsis too"
        " [999, 1500]. The guideline of that year [2019] agrees with it [3].\n\n"
        "2019. This line starts with a year."
    )
    document = extract_document(
        read_document_bytes(f"{body}\n\nReferences\n\n{references}".encode(), filename="review.txt")
    )
    assert len(document.references) == 1501
    assert document.references[999].label == "1000"
    assert document.references[999].parsed.first_author == "Author1000"
    cited = {c.text: [m.label for m in c.markers] for c in document.claims}
    assert cited == {
        "IL-6 rises in arthritis as the largest series showed.": ["1000"],
        "It rises in sepsis too.": ["999", "1500"],
        "The guideline of that year [2019] agrees with it.": ["3"],
        "2019. This line starts with a year.": [],
    }


def test_a_wrapped_line_starting_with_a_number_goes_on_its_sentence(tmp_path: Path) -> None:
    """A number wrapped to the start of a line is not a list item: "…age at diagnosis was\n55." """
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "In the cohort of rheumatoid arthritis patients the median age at diagnosis was\n"
        "55. Most of them received methotrexate as first-line therapy [1].\n\n" + REFERENCES,
        encoding="utf-8",
    )
    document = extract_document(read_document(path))
    assert [(c.text, [m.label for m in c.markers]) for c in document.claims] == [
        # One paragraph, as before, of two sentences: the number ends the first.
        ("In the cohort of rheumatoid arthritis patients the median age at diagnosis was 55.", []),
        ("Most of them received methotrexate as first-line therapy.", ["1"]),
    ]


AFTER_STOP_REFERENCES = """References

1. Ooms S, Overeem S, Besse K, et al. Effect of 1 night of total sleep deprivation on
cerebrospinal fluid beta-amyloid 42 in healthy middle-aged men. JAMA Neurol. 2014;71(8):971-977.
2. Doraiswamy PM, Sperling RA, Johnson K, et al. Florbetapir F 18 amyloid PET and 36-month
cognitive decline. Mol Psychiatry. 2014;19(9):1044-1051.
"""


@pytest.mark.parametrize(
    "body",
    [
        # AMA and Vancouver set the number after the full stop: in brackets, or superscript,
        # which PDF extraction flattens to digits after the stop.
        "Sleep loss raised CSF amyloid in healthy men.[1] Amyloid-positive adults declined"
        " faster.[2] Both findings need replication in larger cohorts of older adults. The"
        " effect was small (P = .04) but consistent.[1,2]",
        "Sleep loss raised CSF amyloid in healthy men.1 Amyloid-positive adults declined"
        " faster.2 Both findings need replication in larger cohorts of older adults. The"
        " effect was small (P = .04) but consistent.1,2",
    ],
)
def test_numbers_after_the_full_stop_are_the_sentences_before_it(tmp_path: Path, body: str) -> None:
    """Each sentence is a claim of its own with its own citations: the third cites nothing
    (it was glued to the others, and took their links); the text keeps its own spacing."""
    path = tmp_path / "ama.txt"
    path.write_text(f"{body}\n\n{AFTER_STOP_REFERENCES}", encoding="utf-8")
    document = extract_document(read_document(path))
    assert [(c.text, [m.label for m in c.markers], sorted(c.cites)) for c in document.claims] == [
        ("Sleep loss raised CSF amyloid in healthy men.", ["1"], [0]),
        ("Amyloid-positive adults declined faster.", ["2"], [1]),
        ("Both findings need replication in larger cohorts of older adults.", [], []),
        ("The effect was small (P = .04) but consistent.", ["1", "2"], [0, 1]),
    ]


def test_a_number_after_a_stop_that_the_list_lacks_is_text(tmp_path: Path) -> None:
    """Digits after a stop are markers only where the list numbers them: "men.7" (the list
    ends at 2) stays in the claim's text, and names no reference."""
    path = tmp_path / "seven.txt"
    path.write_text(
        "Sleep loss raised CSF amyloid in healthy men.7 Amyloid-positive adults declined"
        f" faster.2\n\n{AFTER_STOP_REFERENCES}",
        encoding="utf-8",
    )
    claims = extract_document(read_document(path)).claims
    assert [(c.text, [m.label for m in c.markers]) for c in claims] == [
        ("Sleep loss raised CSF amyloid in healthy men.7", []),
        ("Amyloid-positive adults declined faster.", ["2"]),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Patients were eligible when they met the following criteria: 1. Age over 65 years,"
        " 2. Anaemia with haemoglobin below 10 g/dL, 3. Chronic kidney disease [1].",
        "The criteria were 1. Age over 65 years 2. Anaemia 3. Renal failure [1].",
    ],
)
def test_an_inline_list_is_one_sentence(paragraph: str) -> None:
    """Its numbers count on ("1. … 2. … 3."): none ends a sentence, so none leaves a
    fragment that cites nothing."""
    assert split_sentences(paragraph) == [paragraph]


def test_a_running_header_between_pages_does_not_cut_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "header.txt"
    path.write_text(
        "Interleukin-6 is elevated in patients with\fORIGINAL RESEARCH\nrheumatoid arthritis,"
        " where it predicts erosions [1].\n\n" + REFERENCES,
        encoding="utf-8",
    )
    claims = extract_document(read_document(path)).claims
    assert [[m.label for m in claim.markers] for claim in claims] == [["1"]]


def test_a_short_manuscript_in_sections_stays_a_manuscript(tmp_path: Path) -> None:
    """Sections parted by two blank lines make short pages, as a deck's slides are; their
    paragraphs of sentences tell it from a deck, whose References slide it shares."""
    path = tmp_path / "short.txt"
    path.write_text(
        "Interleukin-6 in rheumatoid arthritis\n\n\nIntroduction\n\nInterleukin-6 drives the"
        " acute-phase response in rheumatoid arthritis [1]. It also promotes osteoclast"
        " formation and bone erosion. Blocking its receptor reduces disease activity [2].\n\n\n"
        "Discussion\n\nOur findings agree with earlier trials of tocilizumab monotherapy [2].\n\n\n"
        + REFERENCES,
        encoding="utf-8",
    )
    document = extract_document(read_document(path))
    assert document.kind == "manuscript"
    assert [(c.text, [m.label for m in c.markers]) for c in document.claims] == [
        ("Interleukin-6 drives the acute-phase response in rheumatoid arthritis.", ["1"]),
        ("It also promotes osteoclast formation and bone erosion.", []),
        ("Blocking its receptor reduces disease activity.", ["2"]),
        ("Our findings agree with earlier trials of tocilizumab monotherapy.", ["2"]),
    ]


def test_a_named_section_heading_after_the_author_line_is_no_part_of_a_claim(
    tmp_path: Path,
) -> None:
    """PDF text keeps no blank line between a title page's lines and "Introduction"."""
    path = tmp_path / "pdf-like.txt"
    path.write_text(
        "Microglia in Alzheimer disease: a brief review\nAnna K. Berg, MD, PhD; Li Wei, MD\n"
        "Introduction\nMicroglia are the brain's resident immune cells [1].\n\n" + REFERENCES,
        encoding="utf-8",
    )
    claims = extract_document(read_document(path)).claims
    assert claims[-1].text == "Microglia are the brain's resident immune cells."
    assert "Introduction" not in " ".join(c.text for c in claims)
