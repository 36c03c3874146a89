"""Real reference strings, as citing papers wrote them, verified against the PubMed records they
cite: how a journal, a page range or a name is written is not an error; an author order, a
first page or an initial that differs is. Records: tests/data/pubmed/efetch/
citing_styles_16.elbert5770.xml (see tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.ingest.citation import parse_citation
from evidence.pubmed.match import decide
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.verify.fields import compare_fields

RECORDS = parse_pubmed_xml(
    (Path(__file__).parent / "data/pubmed/efetch/citing_styles_16.elbert5770.xml").read_bytes()
)
BY_PMID = {record.pmid: record for record in RECORDS}

# (PMID, the reference as a citing paper wrote it). Each is verified: nothing differs.
WRITTEN_RIGHT = [
    # NLM's full title, with its place or subtitle, and other qualifiers of a journal's name.
    ("20448184", "Peleg S, Sananbenesi F, Zovoilis A, et al. Altered histone acetylation is"
     " associated with age-dependent memory impairment in mice. Science (New York, N.Y.)."
     " 2010;328(5979):753-6."),
    ("11476837", "Fox NC, Crum WR, Scahill RI, et al. Imaging of onset and progression of"
     " Alzheimer's disease with voxel-compression mapping of serial magnetic resonance images."
     " Lancet (London, England). 2001;358(9277):201-5."),
    ("8699259", "Gomez-Isla T, Price JL, McKeel DW Jr, et al. Profound loss of layer II"
     " entorhinal cortex neurons occurs in very mild Alzheimer's disease. The Journal of"
     " neuroscience : the official journal of the Society for Neuroscience."
     " 1996;16(14):4491-500."),
    ("10408445", "Schenk D, Barbour R, Dunn W, et al. Immunization with amyloid-beta attenuates"
     " Alzheimer-disease-like pathology in the PDAPP mouse. Nature (London) 1999;400:173-177."),
    ("1759558", "Braak H, Braak E. Neuropathological stageing of Alzheimer-related changes."
     " Acta Neuropathol (Berl). 1991;82(4):239-59."),
    ("28559417", "Kleinberger G, Brendel M, Mracsko E, Wefers B, Groeneweg L, Xiang X, et al."
     " The FTD-like syndrome causing TREM2 T66M mutation impairs microglia function, brain"
     " perfusion, and glucose metabolism. EMBO J [Internet] 2017;36:1837–53."),
    # A journal dotted word by word, in capitals or not.
    ("15751225", "Nixon RA, Wegiel J, Kumar A, et al. Extensive involvement of autophagy in"
     " Alzheimer disease: an immuno-electron microscopy study. J. Neuropathol. Exp. Neurol."
     " 2005;64:113-122."),
    ("11306611", "Tikka T, Fiebich BL, Goldsteins G, et al. Minocycline provides neuroprotection"
     " against N-methyl-D-aspartate neurotoxicity by inhibiting microglia. j. neurosci."
     " 2001;21:2580-2588."),
    # Cell Press's supplement pages ("1298.e7") left out, or abbreviated with them.
    ("29566794", "Sato C, Barthelemy NR, Mawuenyega KG, et al. Tau kinetics in neurons and the"
     " human central nervous system. Neuron. 2018;97(6):1284-1298."),
    ("28602351", "Keren-Shaul H, Spinrad A, Weiner A, et al. A unique microglia type associated"
     " with restricting development of Alzheimer's disease. Cell. 2017;169(7):1276-90.e17."),
    ("28930663", "Krasemann S, Madore C, Cialic R, et al. The TREM2-APOE pathway drives the"
     " transcriptional phenotype of dysfunctional microglia in neurodegenerative diseases."
     " Immunity. 2017;47(3):566-581."),
    # Brain's part of a volume ("123 ( Pt 4)"), written or not.
    ("10734005", "Fénelon G, Mahieux F, Huon R, Ziégler M. Hallucinations in Parkinson's disease:"
     " prevalence, phenomenology and risk factors. Brain. 2000;123(Pt 4):733-45."),
    ("10734005", "Fénelon G, Mahieux F, Huon R, Ziégler M. Hallucinations in Parkinson's disease:"
     " prevalence, phenomenology and risk factors. Brain. 2000;123:733-45."),
    # A Unicode hyphen (U+2010) in initials and pages; an umlaut written out.
    ("19734903", "Lambert J\u2010C, Heath S, Even G, et al. Genome\u2010wide association study"
     " identifies variants at CLU and CR1 associated with Alzheimer's disease. Nat Genet."
     " 2009;41(10):1094\u20101099. doi:10.1038/ng.439"),
    ("25958115", "Hochgraefe K, Sydow A, Matenia D, et al. Preventive methylene blue treatment"
     " preserves cognition in mice expressing full-length pro-aggregant human Tau. Acta"
     " Neuropathol Commun. 2015;3:25."),
]  # fmt: skip

# (PMID, the reference with one thing wrong, the fields verification must name).
WRITTEN_WRONG = [
    # A wrong first page, every other field right: resolved by its title, the page named.
    ("29566794", "Sato C, Barthelemy NR, Mawuenyega KG, et al. Tau kinetics in neurons and the"
     " human central nervous system. Neuron. 2018;97(6):1287-1298.e7.", ["first_page"]),
    # The two authors in the other order: same surname, another first author.
    ("1759558", "Braak E, Braak H. Neuropathological stageing of Alzheimer-related changes."
     " Acta Neuropathol. 1991;82(4):239-59.", ["first_author"]),
    # A wrong page and a wrong volume: still the paper its title names.
    ("28930663", "Krasemann S, Madore C, Cialic R, et al. The TREM2-APOE pathway drives the"
     " transcriptional phenotype of dysfunctional microglia in neurodegenerative diseases."
     " Immunity. 2017;48(3):576-581.", ["volume", "first_page"]),
    ("29566794", "Sato C, Barthelemy NR, Mawuenyega KG, et al. Tau kinetics in neurons and the"
     " human central nervous system. Neuron. 2018;97(6):1284-1299.", ["last_page"]),
]  # fmt: skip


@pytest.mark.parametrize(("pmid", "written"), WRITTEN_RIGHT)
def test_a_reference_written_otherwise_is_resolved_and_verified(pmid: str, written: str) -> None:
    citation = parse_citation(written)
    decision = decide(citation, RECORDS)
    assert decision.status == "resolved", decision.reason
    assert decision.match is not None and decision.match.record.pmid == pmid
    assert compare_fields(citation, BY_PMID[pmid]) == []


@pytest.mark.parametrize(("pmid", "written", "fields"), WRITTEN_WRONG)
def test_a_reference_with_an_error_is_resolved_and_the_error_named(
    pmid: str, written: str, fields: list[str]
) -> None:
    citation = parse_citation(written)
    decision = decide(citation, RECORDS)
    assert decision.status == "resolved", decision.reason
    assert decision.match is not None and decision.match.record.pmid == pmid
    assert [d.field for d in compare_fields(citation, BY_PMID[pmid])] == fields


def test_a_wrong_first_author_is_still_never_accepted() -> None:
    """Even with the title right: ECitMatch's clean wrong PMIDs are why (evidence.pubmed.match)."""
    written = (
        "Smith C, Barthelemy NR, Mawuenyega KG, et al. Tau kinetics in neurons and the human"
        " central nervous system. Neuron. 2018;97(6):1284-1298.e7."
    )
    assert decide(parse_citation(written), RECORDS).status == "not_found"


def test_a_title_alone_does_not_name_a_paper_of_another_year() -> None:
    """The title identifies a record only with its first author and its year (or one off)."""
    written = (
        "Sato C, Barthelemy NR, Mawuenyega KG, et al. Tau kinetics in neurons and the human"
        " central nervous system. Neuron. 2011;90(2):10-20."
    )
    assert decide(parse_citation(written), RECORDS).status == "not_found"
