"""Tests for the citation parser on the seed deck's reference lines and real manuscript lists.

Expected values are read off the reference strings themselves (what is written, even where the
deck is wrong: Nakahara 2003 says volume 8, the journal's volume is 48).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.ingest.citation import ParsedCitation, parse_citation, work_key
from evidence.ingest.citation_patterns import expand_pages

DECK = Path(__file__).parent / "data" / "il6-tocilizumab-ra-deck.txt"
DECK_LINES = DECK.read_text(encoding="utf-8").splitlines()

Row = tuple[str, int, str | None, str | None, str | None, str | None, str | None, str | None, str]
# line: first author, year, month, volume, issue, first page, last page, article number, journal
DECK_REFERENCES: dict[int, Row] = {
    37: ("Garbers", 2018, None, None, None, None, None, None, "Nature Reviews Drug Discovery"),
    45: ("Garbers", 2018, None, None, None, None, None, None, "Nature Reviews Drug Discovery"),
    107: ("Mihara", 2005, None, "5", None, "1731", "1740", None, "Int Immunopharmacol"),
    128: ("Nishimoto", 2006, None, "2", None, "619", "626", None, "Nat Clin Pract Rheumatol"),
    163: ("Dayer", 2010, None, "49", None, "15", "24", None, "Rheumatology"),
    173: ("Robak", 1998, None, "7", None, "347", "353", None, "Mediators of Inflammation"),
    192: ("Brenn", 2007, None, "56", "1", "351", "359", None, "Arthritis Rheum"),
    206: ("Kotake", 1996, None, "11", None, "88", "95", None, "J Bone Miner Res"),
    207: ("Kudo", 2003, None, "32", None, "1", "7", None, "Bone"),
    216: ("Nakahara", 2003, None, "8", None, "1521", "1529", None, "Arthritis Rheum"),
    236: ("Carlsten", 2005, None, "208", None, "194", "206", None, "Immunol Rev"),
    237: ("Lipsky", 2006, None, "8", "Suppl 2", "S4", None, None, "Arthritis Res Ther"),
    238: ("Assier", 2010, None, "77", None, "532", "536", None, "Joint Bone Spine"),
    260: ("Dayer", 2010, None, "49", None, "15", "24", None, "Rheumatology"),
    261: ("Tanaka", 2014, None, "6", "10", "1", "16", None, "Cold Spring Harb Perspect Biol"),
    263: (
        "Hennigan",
        2008,
        None,
        "4",
        "4",
        "767",
        "775",
        None,
        "Therapeutics and Clinical Risk Management",
    ),
    264: ("Svensson", 2010, None, "12", None, "145", "146", None, "Arthritis Research & Therapy"),
    266: ("Walsh", 2014, None, "10", None, "581", "592", None, "Nat Rev Rheumatol"),
    315: ("Voulgari", 1999, None, "92", None, "153", None, None, "Clin Immunol"),
    316: ("Jongen-Lavrencic", 1996, None, "103", None, "328", None, None, "Clin Exp Immunol"),
    364: ("Hashizume", 2015, None, "34", "3", "265", "279", None, "Int Rev Immunol"),
    365: ("Weiss", 2013, "Apr", "9", "4", "205", "215", None, "Nat Rev Rheumatol"),
    384: ("Sukoff Rizzo", 2012, None, "2", None, None, None, "e199", "Transl Psychiatry"),
    415: ("Chrousos", 1995, None, "332", None, "1351", "1362", None, "N Engl J Med"),
    428: ("Mihara", 2005, "Nov", "5", "12", "1731", "1740", None, "Int Immunopharmacol"),
    452: ("Scheller", 2006, None, "195", "4", "173", "183", None, "Med Microbiol Immunol"),
    453: ("Mihara", 2005, "Nov", "5", "12", "1731", "1740", None, "Int Immunopharmacol"),
    478: ("Hashizume", 2008, "Nov", "47", "11", "1635", "1640", None, "Rheumatology(Oxford)"),
    479: ("Hashizume", 2015, "May", "34", "3", "265", "279", None, "Int Rev Immunol"),
    491: ("Tamura", 1993, None, "90", "24", "11924", "11928", None, "Proc Natl Acad Sci U S A"),
    507: (
        "Mihara",
        2011,
        None,
        "3",
        None,
        "19",
        "29",
        None,
        "Open Access Rheumatology: Research and Reviews",
    ),
    508: ("Hashizume", 2015, "May", "34", "3", "265", "279", None, "Int Rev Immunol"),
    529: ("Finzel", 2013, None, "72", None, "396", "400", None, "Ann. Rheum. Dis."),
    546: ("Uchiyama", 2008, "Jun", "31", "6", "1159", "1163", None, "Biol Pharm Bull"),
    553: ("Hashizume", 2011, None, "2011", None, None, None, "765624", "Arthritis"),
    608: ("Chourbaji", 2006, None, "23", "3", "587", "594", None, "Neurobiol Dis"),
    630: ("Sukoff Rizzo", 2012, None, "2", None, None, None, "e199", "Transl Psychiatry"),
}


def deck_line(number: int) -> str:
    """Return one line of the seed deck, 1-based as an editor shows it."""
    return DECK_LINES[number - 1]


def fields(c: ParsedCitation) -> tuple[object, ...]:
    """The fields the deck table lists, in its order."""
    return (
        c.first_author,
        c.year,
        c.month,
        c.volume,
        c.issue,
        c.first_page,
        c.last_page,
        c.article_number,
        c.journal,
    )


@pytest.mark.parametrize("number", sorted(DECK_REFERENCES))
def test_citation_deck_line_fields(number: int) -> None:
    line = deck_line(number)
    parsed = parse_citation(line)
    assert parsed.raw == line
    assert fields(parsed) == DECK_REFERENCES[number]


# The reference lines as the issue lists them (two of them blank in the deck).
ISSUE_LINES = (
    "37,45,107,128,163,173,192,206,207,216,236-238,260-266,315,316,364,365,384,415,428,452,453,"
    "478,479,491,507,508,529,546,553,608,630"
)


def test_citation_deck_table_covers_every_reference_line() -> None:
    listed: set[int] = set()
    for item in ISSUE_LINES.split(","):
        first, _, last = item.partition("-")
        listed.update(range(int(first), int(last or first) + 1))
    non_blank = {n for n in listed if deck_line(n).strip()}
    assert non_blank == set(DECK_REFERENCES)
    assert len(non_blank) == 37


def test_citation_deck_work_keys_name_thirty_papers() -> None:
    keys = {n: work_key(parse_citation(deck_line(n))) for n in DECK_REFERENCES}
    assert len(set(keys.values())) == 30
    same_paper = [(107, 428, 453), (364, 479, 508), (163, 260), (37, 45), (384, 630)]
    for group in same_paper:
        assert len({keys[n] for n in group}) == 1, group
    hashizume = {keys[478], keys[364], keys[553]}  # 2008, 2015 and 2011: three papers
    assert len(hashizume) == 3
    assert keys[107] != keys[507]  # Mihara 2005 and Mihara 2011
    assert keys[107] == "mihara|2005|1731"


@pytest.mark.parametrize(
    ("number", "authors", "et_al"),
    [
        (128, ["Nishimoto N", "Kishimoto T"], False),
        (163, ["Dayer JM", "Choy E"], False),
        (173, ["Robak T"], True),
        (260, ["Dayer JM"], True),
        (261, ["Tanaka T"], True),
        (264, ["Svensson ISC"], False),
        (266, ["Walsh DA", "McWilliams DF"], False),
        (384, ["Sukoff Rizzo SJ"], True),
        (452, ["Scheller J", "Rose-John S"], False),
        (507, ["Mihara"], True),
    ],
)
def test_citation_deck_authors_in_any_order_of_writing(
    number: int, authors: list[str], et_al: bool
) -> None:
    parsed = parse_citation(deck_line(number))
    assert parsed.authors == authors
    assert parsed.et_al is et_al


def test_citation_reports_the_volume_written_not_the_true_one() -> None:
    parsed = parse_citation(deck_line(216))
    assert "Arthritis Rheum 2003; 8:" in parsed.raw
    assert parsed.volume == "8"


def test_citation_field_not_written_is_none() -> None:
    parsed = parse_citation("1. Garbers C , et al. Nature Reviews Drug Discovery, 2018.")
    assert (parsed.volume, parsed.issue, parsed.pages, parsed.first_page) == (None,) * 4
    assert (parsed.title, parsed.doi, parsed.pmid, parsed.pmcid) == (None,) * 4


# Reference-list lines copied from /work/shared/eval/documents/*.txt (annonc_mds526,
# bmcmicrobiol_11_174, plosone_0046493): Vancouver lists rendered from the articles' JATS.
MANUSCRIPT = {
    "parkin": "1. Parkin DM, Boyd L, Walker LC. The fraction of cancer attributable to lifestyle "
    "and environmental factors in the UK in 2010. Br J Cancer. 2011;105(Suppl 2):S77-S81.",
    "ncin": "4. National Cancer Intelligence Network. Routes to diagnosis—NCIN data briefing.",
    "hamilton": "38. Hamilton W, Peters TJ, Bankhead C, et al. Risk of ovarian cancer in women "
    "with symptoms in primary care: population based case-control study. BMJ. 2009;339:b2998.",
    "he": "14. He Y, Yucel R, Zaslavsky AM. Misreporting, Missing Data, and Multiple Imputation: "
    "Improving Accuracy of Cancer Registry Databases. Chance (N Y). 2008;21(3):55-58.",
    "pearl": "12. Pearl S, Gabay C, Kishony R, Oppenheim A, Balaban NQ. Nongenetic individuality "
    "in the host-phage interaction. PLoS Biol. 2008;6:e120.",
    "mcadams": "8. McAdams HH, Arkin A. It's a noisy business! Genetic regulation at the "
    "nanomolar scale. Trends Genet. 1999;15:65-69.",
    "chakroborty": "1. Chakroborty A. Drug-resistant tuberculosis: an insurmountable epidemic?. "
    "Inflammopharmacology. 2011;19:131-137.",
    "cotes": "10. Côtes K, N'goma JCB, Dhouib R, Douchet I, Maurin D, et al. Lipolytic enzymes "
    "in Mycobacterium tuberculosis. Appl Microbiol Biotechnol. 2008;78:741-749.",
    "dedieu": "15. Dedieu L, Serveau-Avesque C, Kremer L, Canaan S. Mycobacterial Lipolytic "
    "Enzymes: a Gold Mine for Tuberculosis Research. Biochimie. 2012.",
    "verger": "36. Verger R, de Haas GH. Interfacial Enzyme-Kinetics of Lipolysis. Ann Rev "
    "Biophys Bioeng. 1976;5:77-117.",
}
PARKIN_TITLE = (
    "The fraction of cancer attributable to lifestyle and environmental factors in the UK in 2010"
)


@pytest.mark.parametrize(
    ("key", "name", "value"),
    [
        ("parkin", "authors", ["Parkin DM", "Boyd L", "Walker LC"]),
        ("parkin", "title", PARKIN_TITLE),
        ("parkin", "journal", "Br J Cancer"),
        ("parkin", "year", 2011),
        ("parkin", "volume", "105"),
        ("parkin", "issue", "Suppl 2"),
        ("parkin", "supplement", "Suppl 2"),
        ("parkin", "pages", "S77-S81"),
        ("parkin", "first_page", "S77"),
        ("parkin", "last_page", "S81"),
        ("ncin", "authors", ["National Cancer Intelligence Network"]),
        ("ncin", "title", "Routes to diagnosis—NCIN data briefing"),
        ("ncin", "year", None),
        ("ncin", "journal", None),
        ("ncin", "volume", None),
        ("ncin", "pages", None),
        ("hamilton", "et_al", True),
        ("hamilton", "journal", "BMJ"),
        ("hamilton", "volume", "339"),
        ("hamilton", "first_page", "b2998"),
        ("he", "first_author", "He"),
        ("he", "journal", "Chance (N Y)"),
        ("he", "issue", "3"),
        ("he", "last_page", "58"),
        ("pearl", "article_number", "e120"),
        ("pearl", "first_page", None),
        ("pearl", "journal", "PLoS Biol"),
        ("mcadams", "title", "It's a noisy business! Genetic regulation at the nanomolar scale"),
        ("mcadams", "journal", "Trends Genet"),
        ("chakroborty", "title", "Drug-resistant tuberculosis: an insurmountable epidemic?"),
        ("chakroborty", "journal", "Inflammopharmacology"),
        ("cotes", "authors", ["Côtes K", "N'goma JCB", "Dhouib R", "Douchet I", "Maurin D"]),
        ("cotes", "journal", "Appl Microbiol Biotechnol"),
        ("dedieu", "journal", "Biochimie"),
        ("dedieu", "year", 2012),
        ("dedieu", "volume", None),
        ("verger", "authors", ["Verger R", "de Haas GH"]),
        ("verger", "journal", "Ann Rev Biophys Bioeng"),
        ("verger", "last_page", "117"),
    ],
)
def test_citation_manuscript_reference(key: str, name: str, value: object) -> None:
    assert getattr(parse_citation(MANUSCRIPT[key]), name) == value


@pytest.mark.parametrize(
    ("text", "doi", "pmid", "pmcid"),
    [
        (
            "Annals of Oncology (2013). doi:10.1093/annonc/mds526",
            "10.1093/annonc/mds526",
            None,
            None,
        ),
        (
            "Ann Oncol. 2013;24(3):843-850. https://doi.org/10.1093/annonc/mds526.",
            "10.1093/annonc/mds526",
            None,
            None,
        ),
        (
            "Ann Oncol. 2013;24(3):843-850. PMID: 23149571 PMCID: PMC3574550",
            None,
            "23149571",
            "PMC3574550",
        ),
        (
            "Lancet. 2009;374(9700):1482-1483. doi: 10.1016/S0140-6736(09)61085-0.",
            "10.1016/S0140-6736(09)61085-0",
            None,
            None,
        ),
        (
            "Shock. 2016; 45(3):259-70. doi:10.1097/ SHK.0000000000000473 .PubMed PMID:26871664; "
            "PubMedCentral PMCID:PMCPMC5281063.",
            "10.1097/SHK.0000000000000473",
            "26871664",
            "PMC5281063",
        ),
    ],
)
def test_citation_identifiers(
    text: str, doi: str | None, pmid: str | None, pmcid: str | None
) -> None:
    parsed = parse_citation(text)
    assert (parsed.doi, parsed.pmid, parsed.pmcid) == (doi, pmid, pmcid)


def test_citation_identifiers_do_not_leak_into_pages() -> None:
    parsed = parse_citation("Br J Cancer. 2011;105(7):1042-1048. PMID: 21897390")
    assert (parsed.volume, parsed.first_page, parsed.last_page) == ("105", "1042", "1048")


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("1521-9", "1521", "1529"),
        ("1731-40", "1731", "1740"),
        ("265-79", "265", "279"),
        ("S77-S81", "S77", "S81"),
        ("11924-8", "11924", "11928"),
        ("1731–1740", "1731", "1740"),
        ("ii14-8", "ii14", "ii18"),
        ("153", "153", None),
    ],
)
def test_citation_pages_expanded(written: str, first: str, last: str | None) -> None:
    parsed = parse_citation(f"Smith J. A title. J Immunol. 2001;167(8):{written}.")
    assert (parsed.pages, parsed.first_page, parsed.last_page) == (written, first, last)


@pytest.mark.parametrize(
    ("noisy", "clean"),
    [
        (
            "Hashizume M et al，Int Rev Immunol．2015；34(3)：265-79．",
            "Hashizume M et al, Int Rev Immunol. 2015;34(3):265-79.",
        ),
        (
            "Finzel S, et al. Ann. Rheum._Dis. 2013; 72: 396–400.",
            "Finzel S, et al. Ann. Rheum. Dis. 2013; 72: 396–400.",
        ),
        (
            "Uchiyama Y, et al. Biol Pharm Bull. 2008 Jun;31(6)_1159-63.",
            "Uchiyama Y, et al. Biol Pharm Bull. 2008 Jun;31(6):1159-63.",
        ),
        ("[12] Kudo O, et al. Bone 2003; 32:1–7.", "Kudo O, et al. Bone 2003; 32:1–7."),
        ("3) Kudo O, et al. Bone 2003; 32:1–7.", "Kudo O, et al. Bone 2003; 32:1–7."),
        ("12. Kudo O, et al. Bone 2003; 32:1–7.", "Kudo O, et al. Bone 2003; 32:1–7."),
        (
            "NeuschÃ¤fer-Rube F, Jungermann K. Eur J Biochem 1993; 211:163-169.",
            "Neuschäfer-Rube F, Jungermann K. Eur J Biochem 1993; 211:163-169.",
        ),
    ],
)
def test_citation_noise_reads_like_clean_text(noisy: str, clean: str) -> None:
    noisy_fields = {k: v for k, v in vars(parse_citation(noisy)).items() if k != "raw"}
    clean_fields = {k: v for k, v in vars(parse_citation(clean)).items() if k != "raw"}
    assert noisy_fields == clean_fields
    assert noisy_fields["year"] is not None


@pytest.mark.parametrize(
    ("text", "year", "volume", "issue", "pages"),
    [
        ("Mol. Psychiatry. 2011:1-2.", 2011, None, None, "1-2"),
        ("Am J Epidemiol. 2018 May 1;187(5):992-1000.", 2018, "187", "5", "992-1000"),
        ("J Ethnopharmacol 1990; 29, pages 239-241.", 1990, "29", None, "239-241"),
        ("Ann Rheum Dis 2003;62 Suppl 2:ii2-7.", 2003, "62", None, "ii2-7"),
        ("Front Oncol. 2018; 2018 Nov 6.", 2018, None, None, None),
        # Harvard and APA: a single page that reads as a year ("1774") is not the year.
        ("Mawuenyega KG (2010) Decreased clearance. Science 330:1774", 2010, "330", None, "1774"),
        ("Chen X (2018). Schwann cells protect. Sci Rep, 8(1), 1701.", 2018, "8", "1", "1701"),
        (
            "Hopewell S (2010) Trials in 2000 and 2006: a study. BMJ 340:c723",
            2010,
            "340",
            None,
            "c723",
        ),  # fmt: skip
        (
            "Nat Rev Drug Discov. 2018 Jun;17(6):395-412. Epub 2018 Apr 30.",
            2018,
            "17",
            "6",
            "395-412",
        ),
    ],
)
def test_citation_source_block_variants(
    text: str, year: int, volume: str | None, issue: str | None, pages: str | None
) -> None:
    parsed = parse_citation(text)
    assert (parsed.year, parsed.volume, parsed.issue, parsed.pages) == (year, volume, issue, pages)


@pytest.mark.parametrize(
    "text",
    [
        "Garbers C, Heink S, Korn T, Rose-John S. Interleukin-6: designing specific therapeutics "
        "for a complex cytokine. Nat Rev Drug Discov. 2018;17(6):395-412.",
        "Garbers C, Heink S, Korn T, Rose-John S (2018) Interleukin-6: designing specific "
        "therapeutics for a complex cytokine. Nat Rev Drug Discov 17:395–412",
        "Garbers, C., Heink, S., Korn, T., & Rose-John, S. (2018). Interleukin-6: designing "
        "specific therapeutics for a complex cytokine. Nature Reviews Drug Discovery, 17(6), "
        "395–412.",
    ],
)
def test_work_key_same_paper_in_three_styles(text: str) -> None:
    assert work_key(parse_citation(text)) == "garbers|2018|395"


def test_work_key_folds_accents_and_spaces() -> None:
    parsed = parse_citation(
        "Gründling A, Bläsi U, Young R. Genetic and biochemical analysis "
        "of the lambda S holin. J Bacteriol. 2000;182:6082-6090."
    )
    assert work_key(parsed) == "grundling|2000|6082"


def test_work_key_without_author_or_year_hashes_the_text() -> None:
    first = parse_citation("4. National Cancer Intelligence Network. Routes to diagnosis.")
    again = parse_citation("[9] National  Cancer Intelligence Network. Routes to diagnosis.")
    other = parse_citation("Royal College of General Practitioners. National Audit.")
    assert work_key(first) == work_key(again)
    assert work_key(first) != work_key(other)
    assert "|" in work_key(first) and "None" not in work_key(first)


def test_citation_chinese_gbt7714_reference() -> None:
    parsed = parse_citation(
        "[1] 王晓明, 李华, 张伟, 等. 白介素-6在类风湿关节炎中的作用[J]. 中华风湿病学杂志, "
        "2015, 19(3): 145-150."
    )
    assert parsed.authors == ["王晓明", "李华", "张伟"] and parsed.et_al
    assert parsed.title == "白介素-6在类风湿关节炎中的作用"
    assert (parsed.journal, parsed.volume, parsed.issue) == ("中华风湿病学杂志", "19", "3")
    assert work_key(parsed) == "王晓明|2015|145"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_citation_never_raises_and_keeps_raw(text: str) -> None:
    parsed = parse_citation(text)
    assert parsed.raw == text
    assert isinstance(work_key(parsed), str)


REFERENCE_ALPHABET = st.sampled_from(
    ["Smith", " J", "AB", ",", ".", ";", ":", " ", "(", ")", "-", "–", "_", "et al", "[1]", "1."]
    + ["2005", "1999", "12", "e199", "Suppl", "Nov", "doi:10.1000/x", "PMID: 1", "PMC12"]
    + ["，", "Ann.", "and", "\u00a0", "Ã¤"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(REFERENCE_ALPHABET, max_size=60).map("".join))
def test_citation_never_raises_on_reference_like_text(text: str) -> None:
    parsed = parse_citation(text)
    assert parsed.raw == text
    if parsed.first_page is not None:
        assert parsed.pages is not None and parsed.first_page in parsed.pages.replace(" ", "")
    if parsed.year is not None:
        assert str(parsed.year) in text


def test_a_year_repeated_as_a_volume_keeps_the_journal() -> None:
    """APA for a journal without volumes: the year again where the volume would be."""
    parsed = parse_citation("Smith, J. (2016). The harmonizome. Database (Oxford), 2016.")
    assert (parsed.year, parsed.journal) == (2016, "Database (Oxford)")


@pytest.mark.parametrize(
    ("pages", "first", "last"),
    [
        ("1521-9", "1521", "1529"),
        ("S77-81", "S77", "S81"),
        # Cell Press: the article's pages, then its supplement's.
        ("1276-90.e17", "1276", "1290.e17"),
        # Pages of an e-article, as PubMed writes them: e13 to e21 of article 426.
        ("426.e13-21", "426.e13", "426.e21"),
        ("1518.e1-3", "1518.e1", "1518.e3"),
        ("426.e1-426.e9", "426.e1", "426.e9"),
    ],
)
def test_page_ranges_are_written_in_full(pages: str, first: str, last: str) -> None:
    assert expand_pages(pages) == (first, last)


def test_authors_with_spaced_dotted_initials_are_one_list() -> None:
    """ "Surname I. I.," names: the list used to end at the first initial, leaving the other
    authors as the title. The last author's initials, before a title or journal, read as bare
    initials did: "Kirik D. J. Neurosci." is one initial and a journal."""
    parsed = parse_citation(
        "Haass C., Koo E. H., Mellon A., Hung A. Y., Selkoe D. J. Nature. 1992;357:500–503."
    )
    assert [a.split()[0] for a in parsed.authors] == ["Haass", "Koo", "Mellon", "Hung", "Selkoe"]
    assert parsed.authors[1:4] == ["Koo EH", "Mellon A", "Hung AY"]
    titled = parse_citation("Koo E. H., Haass C. Cellular processing. Nature. 1992;357:500.")
    assert titled.authors == ["Koo EH", "Haass C"]
    assert (titled.title, titled.journal) == ("Cellular processing", "Nature")


@pytest.mark.parametrize(
    ("written", "authors"),
    [
        ("Chaffee B. W., King J. C. (2012). Effect of zinc supplementation on pregnancy. "
         "Paediatr. Perinat. Epidemiol. 26, 118–137.", ["Chaffee BW", "King JC"]),
        ("Meier J. J. (2012). GLP-1 receptor agonists. Nat. Rev. Endocrinol. 8, 728–742.",
         ["Meier JJ"]),
        ("Gale E. A. M. (2013). A critical analysis. Diabetes 62, 1-10.", ["Gale EAM"]),
    ],
)  # fmt: skip
def test_the_last_authors_spaced_initials_end_at_the_year(written: str, authors: list[str]) -> None:
    """The year in parentheses ends a list as a comma does: the last author keeps every
    initial ("King J. C. (2012)" was "King J")."""
    parsed = parse_citation(written)
    assert (parsed.authors, parsed.year) == (authors, int(written.split("(")[1][:4]))


@pytest.mark.parametrize(
    ("written", "authors", "title", "journal"),
    [
        ("Bjorklund A, Kirik D. J. Neurosci. 2007;27:8011–8022.", ["Bjorklund A", "Kirik D"],
         None, "J. Neurosci."),
        ("Humphrey W, Schulten K. VMD: visual molecular dynamics. J Mol Graph. 1996;14:33-8.",
         ["Humphrey W", "Schulten K"], "VMD: visual molecular dynamics", "J Mol Graph"),
        ("Greenstein D. C. elegans sperm and oocytes. Dev Biol. 2005;1:1-10.",
         ["Greenstein D"], "C. elegans sperm and oocytes", "Dev Biol"),
    ],
)  # fmt: skip
def test_the_last_authors_initials_leave_a_journal_or_title_alone(
    written: str, authors: list[str], title: str | None, journal: str
) -> None:
    parsed = parse_citation(written)
    assert (parsed.authors, parsed.title, parsed.journal) == (authors, title, journal)


@pytest.mark.parametrize(
    ("written", "title_end", "journal", "pages"),
    [
        # Nature's style: the title ends with a comma before a dotted journal.
        (
            "Fitz NF et al. Liver X receptor agonist treatment ameliorates amyloid pathology in"
            " APP23 mice, J. Clin. Invest. 118, 671–682 (2008).",
            "in APP23 mice", "J. Clin. Invest.", ("671", "682"),
        ),
        (
            "Klunk WE et al. Imaging brain amyloid with Pittsburgh Compound-B, Ann. Neurol 55,"
            " 306–319 (2004).",
            "Pittsburgh Compound-B", "Ann. Neurol", ("306", "319"),
        ),
        # A stop glued to the journal, as a PDF's line break leaves it.
        (
            "Mathys H. Single-cell transcriptomic analysis of Alzheimer's disease.Nature 570,"
            " 332–337 (2019).",
            "Alzheimer's disease", "Nature", ("332", "337"),
        ),
        # Cell Press's supplement pages after a space.
        (
            "Sato C. et al. Tau kinetics in neurons. Neuron 97, 1284–1298 e7 (2018).",
            "Tau kinetics in neurons", "Neuron", ("1284", "1298.e7"),
        ),
        # A comma before a place, an acronym: still the title's.
        (
            "Booth CM, Li G. The impact of socioeconomic status: a population-based study in"
            " Ontario, Canada. Cancer. 2010;116(17):4160-4167.",
            "Ontario, Canada", "Cancer", ("4160", "4167"),
        ),
        (
            "Bell A, Busby S. Location of an activating region in the transcription factor, FNR."
            " Mol Microbiol 1994; 11:383-390.",
            "factor, FNR", "Mol Microbiol", ("383", "390"),
        ),
    ],
)  # fmt: skip
def test_title_and_journal_of_nature_style_references(
    written: str, title_end: str, journal: str, pages: tuple[str, str]
) -> None:
    parsed = parse_citation(written)
    assert parsed.title is not None and parsed.title.endswith(title_end)
    assert parsed.journal == journal
    assert (parsed.first_page, parsed.last_page) == pages


@pytest.mark.parametrize(
    ("written", "journal", "source"),
    [
        # A reference manager's "Science (80-. )".
        (
            "Selkoe DJ, Hardy J. The amyloid hypothesis at 25. Science (80-. ). 297, 353–356"
            " (2002).",
            "Science", (2002, "297", "353"),
        ),
        # CrossRef's "Science (1979)", as Zotero writes it: the year the name began, not the
        # paper's.
        (
            "Yang Y, et al. (2022). Cryo-EM structures of amyloid-β 42 filaments from human"
            " brains. Science (1979) 375, 167–172.",
            "Science", (2022, "375", "167"),
        ),
        # An erratum's source, after the paper's or inside the reference: not the paper's.
        (
            "Hardy J, Selkoe DJ. The amyloid hypothesis. Science. 2002;297:353–356. Erratum in:"
            " Science 2002;297:2209.",
            "Science", (2002, "297", "353"),
        ),
        (
            "Clark CM, et al. Use of florbetapir-PET [published correction appears in JAMA."
            " 2011;305(11):1096] JAMA. 2011;305(3):275–283.",
            "JAMA", (2011, "305", "275"),
        ),
        # NLM's full title as writers copy it, the subtitle's colon glued to the title.
        (
            "Smith A, et al. Tau and amyloid. The Journal of neuroscience: the official journal"
            " of the Society for Neuroscience. 2011;31:18007–18012.",
            "The Journal of neuroscience: the official journal of the Society for Neuroscience",
            (2011, "31", "18007"),
        ),
    ],
)  # fmt: skip
def test_notes_and_reference_manager_forms_leave_the_source_alone(
    written: str, journal: str, source: tuple[int, str, str]
) -> None:
    parsed = parse_citation(written)
    assert parsed.journal == journal
    assert (parsed.year, parsed.volume, parsed.first_page) == source


def test_a_journal_named_alone_before_its_date_is_no_group_author() -> None:
    """ "JAMA. 2011 Jan 19;305(3):275-83", as PubMed cites an article without authors: JAMA is
    the journal; read as a group author, verification called the first author wrong."""
    parsed = parse_citation("JAMA. 2011 Jan 19;305(3):275-83")
    assert (parsed.authors, parsed.journal, parsed.volume, parsed.first_page) == (
        [],
        "JAMA",
        "305",
        "275",
    )
    for written in (
        "WHO. Dementia: a public health priority. Geneva: WHO; 2012.",
        "WHO. 2012; Dementia: a public health priority. Geneva: World Health Organization.",
    ):
        assert parse_citation(written).authors == ["WHO"]


@pytest.mark.parametrize(
    ("written", "journal", "year", "month", "volume"),
    [
        # A month after the journal's name, abbreviated with its stop or written out; not a
        # journal's own word ("Sci Mar", the Scientia Marina).
        ("Petersen RC, et al. Mild cognitive impairment. Arch Neurol Feb. 1999;56(3):303–308.",
         "Arch Neurol", 1999, "Feb.", "56"),
        ("Schierwater B. Sarsia marii n. sp. and 16S rDNA. Sci Mar 2000; 64:117-122.",
         "Sci Mar", 2000, None, "64"),
        # An online-first date's words: alone, its date is the source's; after the source's
        # own year, the date is a note ("2016" was read as the volume).
        ("Smith A, et al. Amyloid in older individuals. JAMA Neurol. Published online April 6,"
         " 2020. doi:10.1001/jamaneurol.2020.0989", "JAMA Neurol", 2020, "April", None),
        ("Smith A, et al. Cognitive impairment. JAMA Neurol Epub 2018 Nov 12.", "JAMA Neurol",
         2018, "Nov", None),
        ("Bateman RJ, et al. Biomarkers in preclinical disease. Ann Neurol. 2016 Epub July 11,"
         " 2016.", "Ann Neurol", 2016, None, None),
        ("Smith A, et al. Butyrylcholinesterase. Neurobiol Aging. 2009 doi:10.1016/j.neurobiol"
         "aging.2009.07.015, (published online 25 August 2009)", "Neurobiol Aging", 2009, None,
         None),
        ("Smith A, et al. ADAM-10 over-expression. Neurobiol Aging. 2007 in press.",
         "Neurobiol Aging", 2007, None, None),
        # A volume glued to the journal's last word, not to a letter alone (an OCR'd "16").
        ("Keren-Shaul H, et al. A network specifies microglia identity. Science356, eaal3222"
         " (2017).", "Science", 2017, None, "356"),
        ("Koffie RM, et al. Oligomeric amyloid beta. Proc. Natl Acad. Sci. USA106, 4012–4017"
         " (2009).", "Proc. Natl Acad. Sci. USA", 2009, None, "106"),
        ("Kuhn HG. Progenitor proliferation. J. Neurosci l6, 2027–2033 (1996).",
         "J. Neurosci l6, 2027–2033", 1996, None, None),
    ],
)  # fmt: skip
def test_dates_and_volumes_written_around_the_journal(
    written: str, journal: str, year: int, month: str | None, volume: str | None
) -> None:
    parsed = parse_citation(written)
    assert (parsed.journal, parsed.year, parsed.month, parsed.volume) == (
        journal, year, month, volume
    )  # fmt: skip


@pytest.mark.parametrize(
    ("written", "last_author", "journal"),
    [
        ("Liu Y, Liu Z, Lansbury PT., Jr Cell. 2002;111:209.", "Lansbury PT", "Cell"),
        ("Conway K A, Lansbury P T., Jr Science. 2001;294:1346–1349.", "Lansbury PT", "Science"),
    ],
)
def test_a_suffix_after_the_initials_and_a_comma_ends_the_name(
    written: str, last_author: str, journal: str
) -> None:
    parsed = parse_citation(written)
    assert (parsed.authors[-1], parsed.title, parsed.journal) == (last_author, None, journal)


@pytest.mark.parametrize(
    ("written", "title", "journal"),
    [
        # Nature's style, a title in title case, the journal after a comma.
        ("Scholl M, et al. PET Imaging of Tau Deposition in the Aging Human Brain, Neuron 89,"
         " 971–982 (2016).", "PET Imaging of Tau Deposition in the Aging Human Brain", "Neuron"),
        # A journal's own commas, with more of it after them.
        ("Smith A. Stress, Brain, Behavior, and Immunity 12, 1-10 (2009).", None,
         "Stress, Brain, Behavior, and Immunity"),
        ("Smith A. Genes, Brain and Behavior 12, 1-10 (2009).", None,
         "Genes, Brain and Behavior"),
    ],
)  # fmt: skip
def test_a_journal_after_a_title_case_title_and_a_comma(
    written: str, title: str | None, journal: str
) -> None:
    parsed = parse_citation(written)
    assert (parsed.title, parsed.journal) == (title, journal)


@pytest.mark.parametrize(
    ("written", "title"),
    [
        # The year after the authors is not the title's when a later one is the source's.
        ("Yu C., Ladu M. J. (2011). Introducing the apoE4 (E4FAD) model. Int. J. Alzheimers Dis."
         " 2011, 810981.", "Introducing the apoE4 (E4FAD) model"),
        # "Retrieved" is an access date's word only before a date.
        ("Hollenbeck PJ. Products of endocytosis and autophagy are retrieved from axons by"
         " retrograde transport. J Cell Biol. 1993;121:305–315.",
         "Products of endocytosis and autophagy are retrieved from axons by retrograde transport"),
    ],
)  # fmt: skip
def test_what_is_not_the_title_is_left_out_of_it(written: str, title: str) -> None:
    assert parse_citation(written).title == title


def test_a_titles_cited_is_not_an_access_date() -> None:
    parsed = parse_citation(
        "Szucs D, Ioannidis JP. Sample size evolution: an evaluation of highly-cited studies"
        " (1990-2012). Neuroimage. 2020;221:117164."
    )
    assert (
        parsed.title == "Sample size evolution: an evaluation of highly-cited studies (1990-2012)"
    )
    accessed = parse_citation("WHO. Dementia. 2012. Accessed 6 October 2022. [cited 2019 Mar 4]")
    assert (accessed.journal, accessed.year) == ("Dementia", 2012)  # the access date left out


@pytest.mark.parametrize(
    ("written", "fields"),
    [
        # A journal after a comma is read so only in Nature's style (volume and pages right
        # after it): not a book's place, not a journal's own commas.
        ("Greene, E. C. Anatomy of the Rat (Hafner, New York, NY, 1968).", {"title": None}),
        ("Copeland DM, West AH. Proteins: Struct., Func., Genet 2003; 53: 182–192.",
         {"journal": "Proteins: Struct., Func., Genet"}),
        # An online-first date's words: a year in the title is not the source's.
        ("Smith A, Jones B. Trends in dementia incidence from 2000 to 2015. JAMA Neurol."
         " Published online April 6, 2020.", {"journal": "JAMA Neurol", "year": 2020}),
        ("Smith A. Published online first: the rise of preprints. BMJ. 2019;365:l1234.",
         {"title": "Published online first: the rise of preprints"}),
        ("Smith A. Sleep in older adults. [published online ahead of print May 9, 2016] Int J"
         " Geriatr Psychiatry. 2016", {"journal": "Int J Geriatr Psychiatry", "year": 2016}),
        ("Smith A. Kynurenic acid. J. Neural Transm. 2010 in press. Published online December"
         " 31, 2011.", {"journal": "J. Neural Transm.", "year": 2010}),
        ("Smith A. Covid-19 and acute stroke. J Neurol. 2020);267(11):3161–3165."
         " 10.1007/s00415-020-10012-4. Epub 2020 Jun 24. https://pubmed.ncbi.nlm.nih.gov/32583054/.",
         {"journal": "J Neurol"}),
        # "Mar." after a journal is the journal's (Scientia Marina), not March.
        ("Sabatés A. Fish larvae. Sci Mar. 2004;68:123–130.", {"journal": "Sci Mar", "month": None}),
        # Access dates in more words.
        ("Public Health England. CJD update (February 2018). Accessed date: January 11, 2019.",
         {"year": 2018}),
        ("CDC. Deaths in 2019. Accessed at https://www.cdc.gov/x on January 3, 2021.",
         {"year": 2019}),
        # "Jr RL," is an author, not a suffix ending the list.
        ("van der Ende EL, Vandenberghe R, Jr RL, Masellis M, Smith A. Title words here. Brain."
         " 2020;1:1-10.", {"title": "Title words here", "journal": "Brain"}),
        # "Science (1979)" when 1979 is the paper's year.
        ("Gould SJ, Lewontin RC. The spandrels of San Marco. Science (1979) 205:581-598.",
         {"year": 1979, "volume": "205"}),
    ],
)  # fmt: skip
def test_rules_read_only_where_they_apply(written: str, fields: dict[str, object]) -> None:
    parsed = parse_citation(written)
    assert {name: getattr(parsed, name) for name in fields} == fields
