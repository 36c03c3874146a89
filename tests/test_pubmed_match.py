"""Matching citations with PubMed records, and telling references PubMed cannot hold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evidence.ingest.citation import parse_citation
from evidence.pubmed.classify import classify_reference
from evidence.pubmed.journal_match import same_journal
from evidence.pubmed.match import comparable_title, compare, decide
from evidence.pubmed.names import forename_written_out, misspelt_surname, same_surname
from evidence.pubmed.records import PubMedRecord

PNAS_TITLE = "Proceedings of the National Academy of Sciences of the United States of America"
# Fields as PubMed gives them for papers the seed deck cites (pubmed.ncbi.nlm.nih.gov).
NAKAHARA = PubMedRecord(
    pmid="12794819", title="Anti-interleukin-6 receptor antibody therapy reduces vascular "
    "endothelial growth factor production in rheumatoid arthritis.",
    authors=["Nakahara H", "Song J", "Sugimoto M"], authors_complete=False,
    journal="Arthritis and rheumatism", iso_abbrev="Arthritis Rheum", medline_ta="Arthritis Rheum",
    year=2003, volume="48", issue="6", pages="1521-9", first_page="1521", last_page="1529",
)  # fmt: skip
MIHARA = PubMedRecord(
    pmid="16102523", authors=["Mihara M", "Kasutani K", "Okazaki M"], authors_complete=False,
    journal="International immunopharmacology", iso_abbrev="Int Immunopharmacol",
    year=2005, volume="5", issue="12", pages="1731-40", first_page="1731", last_page="1740",
)  # fmt: skip
SUKOFF = PubMedRecord(
    pmid="23212583", authors=["Sukoff Rizzo SJ", "Neal SJ", "Hughes ZA"], authors_complete=False,
    journal="Translational psychiatry", iso_abbrev="Transl Psychiatry", year=2012,
    volume="2", issue="12", pages="e199", elocation="e199",
)  # fmt: skip


@pytest.mark.parametrize(
    ("written", "record"),
    [
        ("1. Mihara M, et al. Int Immunopharmacol 2005; 5:1731–1740.", MIHARA),
        ("1. Mihara M. Int Immunopharmacol. 2005 Nov;5(12):1731-40.", MIHARA),
        ("1. Sukoff Rizzo SJ, et al. Transl Psychiatry. 2012; 2_: e199.", SUKOFF),
    ],
)
def test_seed_citations_resolve_to_their_records(written: str, record: PubMedRecord) -> None:
    decision = decide(parse_citation(written), [NAKAHARA, MIHARA, SUKOFF])
    assert decision.status == "resolved"
    assert decision.match is not None and decision.match.record.pmid == record.pmid


def test_the_e_pub_year_agrees_as_the_issues_does() -> None:
    citation = parse_citation("Mihara M. Int Immunopharmacol. 2004;5(12):1731-40.")
    assert compare(citation, MIHARA).fields["year"] == 0.5  # one off: it may be the e-pub year
    online = replace(MIHARA, epub_date="2004-12-22")  # as if out online the year before
    assert compare(citation, online).fields["year"] == 1.0


def test_electronic_pages_without_their_e_agree_when_both_ends_do() -> None:
    """As verification reads them: "1452-1460" for "e1452-e1460"; "1452" alone may be
    another article's page."""
    landau = PubMedRecord(
        pmid="29572360", authors=["Landau SM", "Horng A"], journal="Neurology",
        iso_abbrev="Neurology", year=2018, volume="90", pages="e1452-e1460",
        first_page="e1452", last_page="e1460",
    )  # fmt: skip
    ranged = parse_citation("Landau SM, Horng A. Neurology. 2018;90:1452-1460.")
    assert compare(ranged, landau).fields["first_page"] == 1.0
    assert decide(ranged, [landau]).status == "resolved"
    alone = parse_citation("Landau SM, Horng A. Neurology. 2018;90:1452.")
    assert compare(alone, landau).fields["first_page"] == 0.0


def test_wrong_volume_still_resolves_and_names_the_volume() -> None:
    citation = parse_citation("1. Nakahara H, et al. Arthritis Rheum 2003; 8:1521–1529.")
    decision = decide(citation, [NAKAHARA, MIHARA])
    assert decision.status == "resolved" and decision.match is not None
    assert decision.match.record.pmid == "12794819"
    assert decision.match.disagreements() == ["volume"]
    assert "volume" in decision.reason


def test_author_missing_from_a_complete_author_list_is_never_accepted() -> None:
    # What ECitMatch may hand back: right journal, volume and page, another paper's authors.
    complete = PubMedRecord(**{**NAKAHARA.__dict__, "authors_complete": True})
    citation = parse_citation("Tanaka T, et al. Arthritis Rheum 2003; 48:1521-9.")
    match = compare(citation, complete)
    assert match.fields["journal"] == match.fields["volume"] == match.fields["first_page"] == 1.0
    assert match.score <= 0.5
    assert decide(citation, [complete]).status == "not_found"


@pytest.mark.parametrize(
    ("written", "pubmed", "misspelt"),
    [
        ("Nakahra", "Nakahara", True),  # a letter left out
        ("Nakahaara", "Nakahara", True),  # one added
        ("Nakhaara", "Nakahara", True),  # two swapped
        ("Barkof", "Barkhof", True),
        ("Nakahara", "Nakahara", False),  # the same: not misspelt
        ("Nkaahra", "Nakahara", False),  # two letters amiss
        ("Makahara", "Nakahara", False),  # the first letter
        ("Kudu", "Kudo", False),  # too short to tell a typo from another name
        ("Braak", "Brook", False),
    ],
)
def test_a_surname_one_letter_amiss_is_misspelt(written: str, pubmed: str, misspelt: bool) -> None:
    assert misspelt_surname(written, pubmed) is misspelt


def test_a_misspelt_first_author_resolves_when_every_other_field_agrees() -> None:
    complete = PubMedRecord(**{**NAKAHARA.__dict__, "authors_complete": True})
    decision = decide(
        parse_citation("Nakahra H, et al. Arthritis Rheum 2003;48:1521-9."), [complete]
    )
    assert decision.status == "resolved" and decision.match is not None
    assert decision.match.record.pmid == "12794819"
    # With a second field wrong too, it is not the paper: a candidate, no more.
    wrong_volume = parse_citation("Nakahra H, et al. Arthritis Rheum 2003;8:1521-9.")
    assert decide(wrong_volume, [complete]).status == "not_found"
    assert decide(wrong_volume, [complete]).candidates == ["12794819"]


def test_a_greek_letter_in_a_title_compares_as_its_name() -> None:
    """Titles in ASCII write λ "lambda", as Unicode's name for it ("LAMDA") does not."""
    assert comparable_title("Phage λ and Aβ(1-42)") == comparable_title(
        "phage lambda and Abeta 1 42"
    )
    assert comparable_title("APOE ϵ4") == comparable_title("APOE ε4") == "apoe epsilon4"


def test_a_title_spelling_out_greek_letters_names_the_paper_despite_a_wrong_page() -> None:
    record = PubMedRecord(
        pmid="31371569", title="High-precision plasma β-amyloid 42/40 predicts current and future"
        " brain amyloidosis.", authors=["Schindler SE", "Bollinger JG"], journal="Neurology",
        iso_abbrev="Neurology", year=2019, volume="93", pages="e1647-e1659", first_page="e1647",
    )  # fmt: skip
    citation = parse_citation(
        "Schindler SE, et al. High-precision plasma beta-amyloid 42/40 predicts current and"
        " future brain amyloidosis. Neurology. 2019;93:e1645-e1659."
    )
    decision = decide(citation, [record])
    assert decision.status == "resolved" and decision.match is not None
    assert decision.match.identified and decision.match.disagreements() == ["first_page"]


@pytest.mark.parametrize(
    "written",
    [
        "Schmitt C, et al. J Clin Oncol 2015;33.",  # no page: Schmitt's paper, or Schmidt's?
        "Schmitt C, Doe D. Nivolumab in advanced melanoma. J Clin Oncol. 2015;33.",
        "Schmitt C, et al. J Clin Oncol 2015;33:1000-8.",  # another first initial
        "Schmitt A, et al. J Clin Oncol 2016;34:1000-8.",  # another year and volume
    ],
)
def test_a_surname_one_letter_off_is_another_author_unless_all_else_agrees(written: str) -> None:
    """Schmitt and Schmidt are two authors as often as one misspelt (review of session 12)."""
    schmidt = PubMedRecord(
        pmid="26000001", authors=["Schmidt A", "Doe D"], title="Lung cancer outcomes.",
        journal="Journal of clinical oncology", iso_abbrev="J Clin Oncol", year=2015,
        volume="33", pages="1000-8", first_page="1000", last_page="1008",
    )  # fmt: skip
    assert decide(parse_citation(written), [schmidt]).status == "not_found"


@pytest.mark.parametrize(
    ("written", "pubmed", "same"),
    [
        ("Elmore Monica RP", "Elmore MR", True),  # PubMed keeps two initials of three
        ("Rice Heather C", "Rice HC", True),
        ("Sanders David", "Sanders DW", True),
        ("Smith John", "Smith K", False),  # another forename's initial
        ("Sukoff Rizzo SJ", "Sukoff SJ", False),  # a surname of two words, not a forename
        ("Smith", "Smith J", False),
    ],
)
def test_a_forename_written_out_is_the_author_with_its_initial(
    written: str, pubmed: str, same: bool
) -> None:
    assert forename_written_out(written, pubmed) is same


def test_a_short_title_does_not_name_another_paper() -> None:
    """A title of fewer than four words as written ("IL-6 in RA") is too short to name a paper
    against its journal, volume and page: "IL-8 in RA" is another."""
    il8 = PubMedRecord(
        pmid="1", authors=["Smith J"], title="IL-8 in RA.", journal="Arthritis Res",
        iso_abbrev="Arthritis Res", year=2010, volume="12", pages="200", first_page="200",
    )  # fmt: skip
    citation = parse_citation("Smith J. IL-6 in RA. J Immunol. 2010;185:100-5.")
    assert decide(citation, [il8]).status == "not_found"


def test_two_records_that_fit_equally_are_ambiguous() -> None:
    twin = PubMedRecord(**{**MIHARA.__dict__, "pmid": "99999999"})
    decision = decide(
        parse_citation("Mihara M. Int Immunopharmacol. 2005;5:1731-40."), [MIHARA, twin]
    )
    assert decision.status == "ambiguous"
    assert sorted(decision.candidates) == ["16102523", "99999999"]


@pytest.mark.parametrize(
    ("written", "journal", "iso"),
    [
        ("Int Immunopharmacol", "International immunopharmacology", "Int Immunopharmacol"),
        ("Rheumatology(Oxford)", "Rheumatology (Oxford, England)", "Rheumatology (Oxford)"),
        ("Nature Reviews Drug Discovery", "Nature reviews. Drug discovery", "Nat Rev Drug Discov"),
        ("Arthritis Research & Therapy", "Arthritis research & therapy", "Arthritis Res Ther"),
        ("Ann. Rheum. Dis.", "Annals of the rheumatic diseases", "Ann Rheum Dis"),
        ("N Engl J Med", "The New England journal of medicine", "N Engl J Med"),
        # A journal known by its initials, written by the name they stand for.
        ("J. Am. Med. Assoc.", "JAMA", "JAMA"),
        ("Journal of the American Medical Association", "JAMA", "JAMA"),
        ("Br Med J", "BMJ (Clinical research ed.)", "BMJ"),
        ("Can Med Assoc J", "CMAJ : Canadian Medical Association journal", "CMAJ"),
        # Without the country the name ends with, or with "U S A" as a reference manager
        # cases it (shared/eval's reference lists write PNAS every one of these ways).
        ("Proceedings of the National Academy of Sciences", PNAS_TITLE, "Proc Natl Acad Sci U S A"),
        ("Proc. Natl. Acad. Sci.", PNAS_TITLE, "Proc Natl Acad Sci U S A"),
        ("Proc Nat Acad Sci USA", PNAS_TITLE, "Proc Natl Acad Sci U S A"),
        ("Proc Natl Acad Sci U S a", PNAS_TITLE, "Proc Natl Acad Sci U S A"),
        # NLM's subtitle abbreviated with the name; an apostrophe or an accent in a word.
        ("Brain J Neurol", "Brain : a journal of neurology", "Brain"),
        ("Alzheimers Dement J Alzheimers Assoc", "Alzheimer's & dementia : the journal of the "
         "Alzheimer's Association", "Alzheimers Dement"),
        ("Alzheimeŕs Dement", "Alzheimer's & dementia", "Alzheimers Dement"),
        ("Ugeskr Læger", "Ugeskrift for laeger", "Ugeskr Laeger"),
    ],
)  # fmt: skip
def test_journal_written_any_way_is_the_same_journal(written: str, journal: str, iso: str) -> None:
    record = PubMedRecord(pmid="1", journal=journal, iso_abbrev=iso)
    assert same_journal(written, record)  # as resolution asks
    assert same_journal(written, record, misspelt=False)  # as verification asks


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("Arthritis Rheum", "Arthritis Res Ther"),
        ("Nat Rev Rheumatol", "Nat Rev Drug Discov"),
        # Initials of other words, or of fewer or more of them, name another journal.
        ("J Am Coll Cardiol", "JAMA"),
        ("J Am Med Inform Assoc", "JAMA"),
        ("JAMA Intern Med", "J Am Med Assoc"),
        ("Q J Nucl Med", "J Nucl Med"),  # a letter before another journal's name
        ("N C Med J", "Croat Med J"),
        ("J Neurol", "Brain : a journal of neurology"),  # a subtitle alone is another's name
        ("J Neurol", "J Neurol Sci"),
        ("Pediatrics", "An Pediatr (Barc)"),  # "An" (Anales) is a word of the name
    ],
)
def test_different_journals_are_different(written: str, other: str) -> None:
    record = PubMedRecord(pmid="1", journal=other, iso_abbrev=other)
    assert not same_journal(written, record)  # as resolution asks
    assert not same_journal(written, record, misspelt=False)  # as verification asks


@pytest.mark.parametrize(
    ("last_author", "journal_agrees"), [("Koo EH", True), ("Koo E", False), ("Kim EH", False)]
)
def test_the_last_authors_initial_left_on_the_journal_is_his_when_pubmed_says_so(
    last_author: str, journal_agrees: bool
) -> None:
    """ "Koo E. H. J. Neurochem." parses as "Koo E" and the journal "H. J. Neurochem.": the
    journal is the J Neurochem when PubMed's last author is Koo EH, and only then."""
    citation = parse_citation("Lu D. C., Koo E. H. J. Neurochem. 2003;87:733–741.")
    record = PubMedRecord(
        pmid="14511352", authors=["Lu DC", last_author], journal="Journal of neurochemistry",
        iso_abbrev="J Neurochem", year=2003, volume="87", first_page="733", last_page="741",
    )  # fmt: skip
    assert (compare(citation, record).fields["journal"] == 1.0) is journal_agrees


@pytest.mark.parametrize(
    ("written", "other"), [("J Phys Chem", "J Phys Chem A"), ("Am J Med Genet", "Am J Med Genet A")]
)
def test_a_journals_section_is_another_journal_to_verification(written: str, other: str) -> None:
    """Its section's letter names another journal ("A" is no stop word); resolution, which
    allows a letter amiss, may still take the one for the other when the rest agrees."""
    record = PubMedRecord(pmid="1", journal=other, iso_abbrev=other)
    assert not same_journal(written, record, misspelt=False)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        (
            "Actemra (tocilizumab) prescribing information. Genentech; 2021.",
            "prescribing_information",
        ),
        ("Data on file. Roche; 2019.", "data_on_file"),
        (
            "Smolen JS, et al. Ann Rheum Dis 2019;78(Suppl 2):A123. EULAR 2019 abstract OP0001.",
            "congress_abstract",
        ),
        (
            "张三, 李四, 等. 托珠单抗治疗类风湿关节炎[J]. 中华风湿病学杂志, 2015, 19(3): 145-149.",
            "chinese_journal",
        ),
        ("Mihara M. Int Immunopharmacol. 2005 Nov;5(12):1731-40.", None),
        (
            "World Health Organization. Dementia fact sheet. 2023. "
            "https://www.who.int/news-room/fact-sheets/detail/dementia (accessed 1 May 2024).",
            "web_page",
        ),
        # An article with a link, as reference managers write it, is an article.
        (
            "Zhao Y, Wu X, Li X, et al. TREM2 Is a Receptor for β-Amyloid that Mediates Microglial"
            " Function. Neuron [Internet]. 2018;97:1023–31.e7. Available from:"
            " http://linkinghub.elsevier.com/retrieve/pii/S0896627318300564.",
            None,
        ),
        # A date read as a journal's volume and page is no article.
        (
            'Maddison A, "Statistics on World Population, GDP and Per Capita GDP," (2010),'
            " retrieved November 17, 2011, from http://ggdc.net/maddison/oriindex.htm",
            "web_page",
        ),
        (
            "Tanaka T. IL-6 in inflammation. Sci Rep. 2016;6:e21345. "
            "www.nature.com/articles/srep21345",
            None,
        ),
    ],
)
def test_references_pubmed_cannot_hold_are_typed(written: str, kind: str | None) -> None:
    assert classify_reference(parse_citation(written)) == kind


@pytest.mark.parametrize(
    ("written", "pubmed", "same"),
    [
        ("Fenelon", "Fénelon", True),
        ("Hochgraefe", "Hochgräfe", True),  # the umlaut written out
        ("Strooper", "De Strooper", True),  # PubMed's particle left out
        ("Heijde", "van der Heijde", True),
        ("der Heijde", "van der Heijde", True),
        ("Smith", "De Strooper", False),
        ("Braak", "Brook", False),
        ("Müller", "Mueller", True),  # PubMed wrote it out
        ("Mollgard", "Møllgård", True),  # letters Unicode does not decompose
        ("Moeller", "Møller", True),  # and as Danish and Norwegian write them out
        ("Lukasiewicz", "Łukasiewicz", True),
        ("Aeschbach", "Æschbach", True),
        ("Mllgard", "Møllgård", False),  # what fold made of it
        ("de la Vega", "Pagnon de la Vega", True),  # a compound surname from its particle on
        ("van Charante", "Moll van Charante", True),
        ("Vega", "Pagnon de la Vega", False),
        ("Pagnon", "Pagnon de la Vega", False),
    ],
)
def test_surnames_written_another_way_are_the_same(written: str, pubmed: str, same: bool) -> None:
    assert same_surname(written, pubmed) is same
