"""Verification: field rules on real records, verdicts, claim checks, and the seed deck end to
end (enriched offline from the shipped snapshot), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from evidence.cli import app
from evidence.cli.app import console as cli_console
from evidence.db import session_scope
from evidence.ingest.citation import parse_citation
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord
from evidence.verify import VerificationReport, verify
from evidence.verify.fields import compare_fields
from evidence.verify.kinds import evidence_kind
from evidence.verify.numbers import appears_in, stated_numbers
from evidence.verify.verdicts import judge_citation
from tests.conftest import PROJECT, SEED_DECK, seed_deck

SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
RECORDS = {r.pmid: r for r in parse_pubmed_xml(SNAPSHOT.read_bytes())}
NAKAHARA, MIHARA, SUKOFF, LIPSKY = (
    RECORDS["12794819"], RECORDS["16102523"], RECORDS["23212583"], RECORDS["16899108"],
)  # fmt: skip


PLOS = PubMedRecord(
    pmid="25390692", authors=["Izzo NJ", "Xu J"], journal="PloS one", iso_abbrev="PLoS One",
    year=2014, volume="9", issue="11", pages="e111899", elocation="e111899",
)  # fmt: skip
VON_BERGEN = PubMedRecord(
    pmid="10805776", authors=["von Bergen M", "Barghorn S"], journal="Proceedings of the National"
    " Academy of Sciences of the United States of America", iso_abbrev="Proc Natl Acad Sci U S A",
    year=2000, volume="97", pages="5129-34", first_page="5129", last_page="5134",
)  # fmt: skip
GTEX = PubMedRecord(
    pmid="29022597", authors=["GTEx Consortium", "Aguet F"], journal="Nature",
    iso_abbrev="Nature", year=2017, volume="550", pages="204-213", first_page="204",
    last_page="213",
)  # fmt: skip
WESTERMAN = PubMedRecord(
    pmid="11880519", authors=["Westerman MA", "Cooper-Blacketer D"], journal="The Journal of"
    " neuroscience : the official journal of the Society for Neuroscience",
    iso_abbrev="J Neurosci", medline_ta="J Neurosci", year=2002, volume="22", pages="1858-67",
    first_page="1858", last_page="1867",
)  # fmt: skip
KLUNK = PubMedRecord(
    pmid="25443857", authors=["Klunk WE", "Koeppe RA"], journal="Alzheimer's & dementia",
    iso_abbrev="Alzheimers Dement", year=2015, volume="11", pages="1-15.e1-4", first_page="1",
    last_page="15.e1-4",
)  # fmt: skip


def differences(written: str, record: PubMedRecord) -> list[tuple[str, str, str]]:
    return [(d.field, d.written, d.pubmed) for d in compare_fields(parse_citation(written), record)]


@pytest.mark.parametrize(
    ("written", "record"),
    [
        ("Mihara M, et al. Int Immunopharmacol 2005; 5:1731–1740.", MIHARA),  # en dash, full range
        ("Mihara M. Int Immunopharmacol. 2005 Nov;5(12):1731-40.", MIHARA),  # abbreviated range
        ("Mihara M. International Immunopharmacology. 2005;5(12):1731-1740.", MIHARA),  # full name
        ("Mihará M. Int Immunopharmacol 2005;5:1731-40.", MIHARA),  # a diacritic
        ("Sukoff Rizzo SJ, et al. Transl Psychiatry. 2012; 2_: e199.", SUKOFF),  # stray underscore
        ("Sukoff Rizzo SJ, et al. Transl Psychiatry. 2012;2(12):e199.", SUKOFF),
        ("Lipsky PE. Arthritis Res Ther 2006; 8(Suppl 2):S4.", LIPSKY),  # supplement as issue
        ("Nakahara H, et al. Arthritis Rheum. 2003 Jun;48(6):1521-9.", NAKAHARA),
        # As real reference lists write these records (shared/eval): PLOS's e-locator as its
        # DOI writes it, a particle after the surname, Cell Press's supplement pages.
        ("Izzo NJ, et al. PLoS One. 2014;9(11):e0111899.", PLOS),
        ("Bergen von M, et al. Proc Natl Acad Sci U S A. 2000;97:5129-34.", VON_BERGEN),
        ("Klunk WE, et al. Alzheimers Dement. 2015;11:1–15.e4.", KLUNK),
        ("von Bergen M, et al. PNAS. 2000;97:5129-34.", VON_BERGEN),  # the journal's initials
        ("Consortium GTEx, et al. Nature. 2017;550:204–213.", GTEX),  # a group's words reordered
        ("The GTEx Consortium. Nature. 2017;550:204–213.", GTEX),
        # A forename written out, as some lists give names: "Surname Forename Initials".
        ("Westerman Michael A, Cooper-Blacketer D. J Neurosci. 2002;22:1858-67.", WESTERMAN),
    ],
)
def test_formatting_is_not_an_error(written: str, record: PubMedRecord) -> None:
    assert differences(written, record) == []


KOO = PubMedRecord(
    pmid="14511352", authors=["Lu DC", "Soriano S", "Bredesen DE", "Koo EH"],
    journal="Journal of neurochemistry", iso_abbrev="J Neurochem", year=2003, volume="87",
    pages="733-41", first_page="733", last_page="741",
)  # fmt: skip


@pytest.mark.parametrize(
    ("written", "record"),
    [
        # The parse leaves the last author's second initial on the journal ("Koo E" and
        # "H. J. Neurochem."): PubMed's last author, Koo EH, says whose it is.
        ("Lu D. C., Soriano S., Bredesen D. E., Koo E. H. J. Neurochem. 2003;87:733–741.", KOO),
        ("Lu D. C., Soriano S., Bredesen D. E., Koo E. J. Neurochem. 2003;87:733–741.", KOO),
    ],
)
def test_the_last_authors_initials_left_on_the_journal_are_not_an_error(
    written: str, record: PubMedRecord
) -> None:
    assert differences(written, record) == []


@pytest.mark.parametrize(
    ("written", "last_author", "journal", "iso_abbrev"),
    [
        # A letter PubMed's last author lacks is the journal's: the Q J Nucl Med is another.
        ("Lu D. C., Jones C. Q. J. Nucl. Med. 2003;87:733–741.", "Jones C", "Q. J. Nucl. Med.",
         "J Nucl Med"),
        # Another last author: nothing says whose the letter is.
        ("Lu D. C., Koo E. H. J. Neurochem. 2003;87:733–741.", "Smith EH", "H. J. Neurochem.",
         "J Neurochem"),
        # A "J." stays the journal's, as journals begin with it: the J Neurosci cited for a
        # Neuroscience paper whose last author is Smith AJ is a wrong journal.
        ("Lu D. C., Smith A. J. Neurosci. 2003;87:733–741.", "Smith AJ", "J. Neurosci.",
         "Neuroscience"),
    ],
)  # fmt: skip
def test_a_letter_before_a_journal_that_is_not_the_last_authors_is_the_journals(
    written: str, last_author: str, journal: str, iso_abbrev: str
) -> None:
    record = replace(KOO, authors=["Lu DC", last_author], iso_abbrev=iso_abbrev)
    assert differences(written, record) == [("journal", journal, iso_abbrev)]


NEUROLOGY = PubMedRecord(
    pmid="29572360", authors=["Landau SM", "Horng A"], journal="Neurology",
    iso_abbrev="Neurology", year=2018, volume="90", issue="17", pages="e1452-e1460",
    first_page="e1452", last_page="e1460",
)  # fmt: skip
WEINER = PubMedRecord(
    pmid="26073027", authors=["Weiner MW", "Veitch DP"], journal="Alzheimer's & dementia",
    iso_abbrev="Alzheimers Dement", year=2015, volume="11", issue="6", pages="e1-120",
    first_page="e1", last_page="e120",
)  # fmt: skip
ILIFF = PubMedRecord(
    pmid="22896675", authors=["Iliff JJ", "Wang M"], journal="Science translational medicine",
    iso_abbrev="Sci Transl Med", year=2012, volume="4", issue="147", pages="147ra111",
    first_page="147ra111", elocation="147ra111",
)  # fmt: skip


@pytest.mark.parametrize(
    ("written", "record", "expected"),
    [
        # An electronic page's "e" left out, as references often leave it out.
        ("Landau SM, et al. Neurology 90, 1452–1460 (2018).", NEUROLOGY, []),
        ("Landau SM, et al. Neurology 90, 1425–1460 (2018).", NEUROLOGY,
         [("first_page", "1425", "e1452")]),
        # A first page alone says too little: the volume holds page 1 (Klunk's paper) and e1.
        ("Weiner MW, et al. Alzheimers Dement. 2015;11(6):1.", WEINER,
         [("first_page", "1", "e1")]),
        ("Weiner MW, et al. Alzheimers Dement. 2015;11(6):1-120.", WEINER, []),
        ("Klunk WE, et al. Alzheimers Dement. 2015;11(1):e1.", KLUNK,
         [("article_number", "e1", "1")]),
        # Sci Transl Med's locator written without the issue that begins it.
        ("Iliff JJ, et al. Sci Transl Med. 2012;4(147):ra111.", ILIFF, []),
        ("Iliff JJ, et al. Sci Transl Med. 2012;4(148):ra111.", ILIFF,
         [("issue", "148", "147"), ("article_number", "ra111", "147ra111")]),
    ],
)  # fmt: skip
def test_a_page_written_without_its_prefix_is_the_page(
    written: str, record: PubMedRecord, expected: list[tuple[str, str, str]]
) -> None:
    assert differences(written, record) == expected


def test_the_year_an_article_came_out_online_is_not_an_error() -> None:
    """A reference may give the year of the ArticleDate (published online), not the issue's."""
    online = replace(MIHARA, epub_date="2004-12-22")  # as if out online the year before
    assert differences("Mihara M. Int Immunopharmacol. 2004;5(12):1731-40.", online) == []
    assert differences("Mihara M. Int Immunopharmacol. 2004;5(12):1731-40.", MIHARA) == [
        ("year", "2004", "2005")
    ]
    assert differences("Mihara M. Int Immunopharmacol. 2003;5(12):1731-40.", online) == [
        ("year", "2003", "2005")
    ]


def test_pages_written_for_an_e_located_article_are_not_an_error() -> None:
    eloc = PubMedRecord(
        pmid="1", authors=["Tanaka T"], journal="Cold Spring Harbor perspectives in biology",
        iso_abbrev="Cold Spring Harb Perspect Biol", year=2014, volume="6", issue="10",
        elocation="a016295",
    )  # fmt: skip
    written = "Toshio Tanaka et al., Cold Spring Harb Perspect Biol.2014;6(10):1-16."
    assert differences(written, eloc) == []
    assert differences("Tanaka T. Cold Spring Harb Perspect Biol. 2014;6(10):a016296.", eloc) == [
        ("article_number", "a016296", "a016295")
    ]


def test_journal_written_with_parenthesis_glued_is_the_same_journal() -> None:
    rheumatology = PubMedRecord(
        pmid="1", authors=["Hashizume M"], journal="Rheumatology (Oxford, England)",
        iso_abbrev="Rheumatology (Oxford)", year=2008, volume="47", issue="11",
        pages="1635-40", first_page="1635", last_page="1640",
    )  # fmt: skip
    written = "Hashizume M  et al, Rheumatology(Oxford). 2008 Nov; 47(11): 1635-40."
    assert differences(written, rheumatology) == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Nakahara H, et al. Arthritis Rheum 2003; 8:1521–1529.", [("volume", "8", "48")]),
        ("Nakahara H, et al. Arthritis Rheum 2004; 48:1521–1529.", [("year", "2004", "2003")]),
        ("Nakahara H, et al. Arthritis Rheum 2003; 48:1621–1629.",
         [("first_page", "1621", "1521"), ("last_page", "1629", "1529")]),
        ("Nakahira H, et al. Arthritis Rheum 2003; 48:1521–1529.", [("first_author", "Nakahira", "Nakahara")]),
        ("Nakahara H, et al. Arthritis Res Ther 2003; 48:1521–1529.",
         [("journal", "Arthritis Res Ther", "Arthritis Rheum")]),
        ("Nakahara H, et al. Arthritis Rheum 2003; 48(7):1521–1529.", [("issue", "7", "6")]),
        ("Sukoff Rizzo SJ, et al. Transl Psychiatry. 2012;2:e198.", [("article_number", "e198", "e199")]),
    ],
)  # fmt: skip
def test_real_errors_are_caught_with_both_values(
    written: str, expected: list[tuple[str, str, str]]
) -> None:
    record = SUKOFF if "Sukoff" in written else NAKAHARA
    assert differences(written, record) == expected


def test_retraction_erratum_and_concern_are_different_findings() -> None:
    retracted = replace(
        MIHARA,
        publication_types=["Journal Article", "Retracted Publication"],
        comments_corrections=[{"type": "RetractionIn", "pmid": "99", "source": "Int Immunopharmacol. 2020"}],
    )  # fmt: skip
    corrected = replace(
        MIHARA,
        comments_corrections=[
            {"type": "ErratumIn", "pmid": "98", "source": "Int Immunopharmacol. 2006;6:1"},
            {"type": "ExpressionOfConcernIn", "pmid": "97", "source": "Int Immunopharmacol. 2021"},
        ],
    )
    citation = parse_citation("Mihara M. Int Immunopharmacol. 2005;5:1731-40.")
    gone = judge_citation(citation, status="resolved", record=retracted)
    assert gone.verdict == "retracted" and any("retracted" in n for n in gone.notes)
    standing = judge_citation(citation, status="resolved", record=corrected)
    assert standing.verdict == "verified"
    assert [n.split(":")[0] for n in standing.notes] == ["erratum", "expression of concern"]


@pytest.mark.parametrize(
    ("status", "verdict"),
    [("ambiguous", "ambiguous"), ("not_found", "not_found"), ("not_in_pubmed", "not_in_pubmed"),
     ("unresolved", "unchecked"), (None, "unchecked")],
)  # fmt: skip
def test_citations_without_a_record_say_why(status: str | None, verdict: str) -> None:
    citation = parse_citation("Voulgari P et al. Clin Immunol. 1999;92:153.")
    assert judge_citation(citation, status=status, record=None).verdict == verdict


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("一项研究纳入66例RA患者以及24例健康人群作对照", [("count", "66"), ("count", "24")]),
        ("6只受试动物注射PBS作为对照，8只受试动物以30mg/kg注射", [("count", "6"), ("count", "8"), ("dose", "30")]),
        ("每个实验组n = 10-11)", [("group_size", "10"), ("group_size", "11")]),
        ("Stage information was available on 88 657 of 98 942 tumours (89.6%)", [("percentage", "89.6")]),
        ("(P = 0.044)", [("p_value", "0.044")]),
        ("IL-6与RA的疲劳及情绪影响密切相关", []),
    ],
)  # fmt: skip
def test_stated_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert [(n.kind, n.value) for n in stated_numbers(text)] == found


@pytest.mark.parametrize(
    ("claim", "abstract", "found"),
    [
        ("tocilizumab 8 mg/kg every 4 weeks", "patients received an 8-mg/kg dose of TCZ", True),
        ("an 8-mg/kg dose", "tocilizumab 8 mg/kg or placebo", True),
        ("每4周静脉注射10 mg", "a 10–mg dose", True),
        ("tocilizumab 8 mg/kg every 4 weeks", "patients received 4 mg/kg or 18-mg/kg", False),
    ],
)
def test_a_dose_joined_to_its_unit_by_a_hyphen_is_the_same_dose(
    claim: str, abstract: str, found: bool
) -> None:
    (dose,) = [n for n in stated_numbers(claim) if n.kind == "dose"]
    assert appears_in(dose, abstract) is found


def test_small_numbers_are_not_found_in_any_abstract_by_accident() -> None:
    (one,) = [n for n in stated_numbers("脑室注射1 μg") if n.kind == "dose"]
    assert not appears_in(one, "mice were treated for 1 week with 10 mg")
    assert appears_in(one, "a single injection of 1 microg IL-6")


@pytest.mark.parametrize(
    ("record", "kind"),
    [
        (replace(MIHARA, publication_types=["Meta-Analysis", "Review"]), "meta_analysis"),
        (replace(MIHARA, publication_types=["Randomized Controlled Trial"]), "clinical_trial"),
        (RECORDS["17075601"], "review"),  # Nishimoto: PubMed says Review
        (RECORDS["18520048"], "animal_study"),  # Uchiyama: cynomolgus monkeys
        (RECORDS["9883970"], "observational_study"),  # Robak: 66 RA patients, 24 controls
    ],
)
def test_evidence_kind(record: PubMedRecord, kind: str) -> None:
    assert evidence_kind(record) == kind


def verified_seed(engine: Engine) -> VerificationReport:
    seed_deck(engine)
    with session_scope(engine) as session:
        return verify(session)


def test_seed_deck_lists_exactly_its_real_errors(engine: Engine) -> None:
    report = verified_seed(engine)
    wrong = [(c.as_written, [(f.field, f.written, f.pubmed) for f in c.fields])
             for c in report.citations if c.verdict not in ("verified", "unchecked")]  # fmt: skip
    assert wrong == [
        ("1. Nakahara H, et al. Arthritis Rheum 2003; 8:1521–1529.", [("volume", "8", "48")])
    ]
    assert sum(c.verdict == "verified" for c in report.citations) == 17
    assert sum(c.verdict == "unchecked" for c in report.citations) == 19
    assert [(d.page, d.label) for d in report.dangling] == [(1, "1"), (1, "3"), (1, "2")]
    last_page = max(c.page for c in report.claims)
    summary = [c.text for c in report.claims if c.page == last_page]
    assert set(summary) <= {u.text for u in report.unreferenced}
    assert report.uncited_references == []


def test_seed_deck_number_checks(engine: Engine) -> None:
    report = verified_seed(engine)
    by_text = {c.text: c for c in report.claims}
    robak = by_text[next(t for t in by_text if t.startswith("一项研究纳入66例RA患者"))]
    assert [(n.value, n.status, n.pmids) for n in robak.numbers] == [
        ("66", "found", ["9883970"]), ("24", "found", ["9883970"])
    ]  # fmt: skip
    anaemia = by_text[next(t for t in by_text if t.startswith("一项研究纳入105例"))]
    assert [(n.value, n.status) for n in anaemia.numbers] == [
        ("105", "not_checkable"), ("127", "not_checkable")
    ]  # fmt: skip
    assert "not resolved" in anaemia.numbers[0].reason


def test_verdicts_are_stored_and_follow_a_changed_record(engine: Engine) -> None:
    verified_seed(engine)
    retracted = replace(NAKAHARA, publication_types=["Retracted Publication"], volume="8")
    from evidence.pubmed.store import save_records

    with session_scope(engine) as session:
        save_records(session, [retracted])
        report = verify(session)
    nakahara = next(c for c in report.citations if c.pmid == "12794819")
    assert nakahara.verdict == "retracted" and nakahara.fields == []
    claim = next(c for c in report.claims if nakahara.id in c.citation_ids)
    assert any("retracted" in notice for notice in claim.notices)


def test_a_stored_e_pub_date_is_the_year_a_citation_may_give(engine: Engine) -> None:
    """The deck cites Nakahara 2003: were the issue dated 2004, a stored ArticleDate in 2003
    (published online) makes 2003 right; without it, the year is wrong."""
    from evidence.pubmed.store import save_records

    verified_seed(engine)
    for epub_date, fields in ((None, {"year", "volume"}), ("2003-05-30", {"volume"})):
        with session_scope(engine) as session:
            save_records(session, [replace(NAKAHARA, year=2004, epub_date=epub_date)])
            report = verify(session)
        nakahara = next(c for c in report.citations if c.pmid == "12794819")
        assert {difference.field for difference in nakahara.fields} == fields


def test_verify_command_json_html_and_fail_on(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    for args in (
        ["ingest", str(SEED_DECK)],
        ["pubmed", "import", str(SNAPSHOT)],
        ["enrich", "--offline"],
    ):
        assert runner.invoke(app, args, env=env).exit_code == 0
    # A terminal of 120 columns reads what differs on one line, beside the reference.
    monkeypatch.setattr(cli_console, "width", 120)
    table = runner.invoke(app, ["verify"], env=env).stdout
    assert any("volume: written 8, PubMed 48" in line for line in table.splitlines())
    result = runner.invoke(app, ["verify", "--format", "json"], env=env)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert set(report) == {"citations", "claims", "dangling", "unreferenced", "uncited_references"}
    mismatch = [c for c in report["citations"] if c["verdict"] == "mismatch"]
    assert [c["fields"] for c in mismatch] == [
        [{"field": "volume", "written": "8", "pubmed": "48"}]
    ]
    page = tmp_path / "report.html"
    assert (
        runner.invoke(app, ["verify", "--format", "html", "-o", str(page)], env=env).exit_code == 0
    )
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "RA患者贫血与血浆内IL-6浓度升高有关" in html
    assert "written 8, PubMed 48" in html
    gated = runner.invoke(app, ["verify", "--fail-on", "mismatch,retracted"], env=env)
    assert gated.exit_code == 6 and "1 mismatch" in gated.stderr
    assert runner.invoke(app, ["verify", "--fail-on", "retracted"], env=env).exit_code == 0
    bad = runner.invoke(app, ["verify", "--fail-on", "typo"], env=env)
    assert bad.exit_code == 2 and "typo" in bad.stderr
    # A gate given a document nobody stored fails, rather than passing an empty report.
    for command in (["verify", "--fail-on", "mismatch"], ["enrich", "--offline"]):
        missing = runner.invoke(app, [*command, "--document", "99"], env=env)
        assert missing.exit_code == 3 and "no document with id 99" in missing.stderr


FORMATTERS = [
    lambda s: s.replace("-", "–"),
    lambda s: s.replace(". ", "._ ", 1),
    lambda s: s.replace(";", "; "),
    lambda s: s.replace(":", ": "),
]


@settings(max_examples=60, deadline=None)
@given(
    record=st.sampled_from([r for r in RECORDS.values() if r.first_page and r.last_page]),
    formatting=st.lists(st.sampled_from(range(len(FORMATTERS))), max_size=3),
    abbreviate=st.booleans(),
)
def test_rendered_then_reformatted_citation_always_verifies(
    record: PubMedRecord, formatting: list[int], abbreviate: bool
) -> None:
    last = record.last_page or ""
    if abbreviate and record.first_page and len(last) == len(record.first_page):
        common = next(
            (i for i, (a, b) in enumerate(zip(record.first_page, last, strict=False)) if a != b), 0
        )
        last = last[common:]

    def render(volume: str | None) -> str:
        written = (
            f"{record.authors[0]}, et al. {record.iso_abbrev}. {record.year};"
            f"{volume}:{record.first_page}-{last}."
        )
        for index in formatting:
            written = FORMATTERS[index](written)
        return written

    assert differences(render(record.volume), record) == []
    wrong_volume = render(str(int(record.volume or 0) + 1))
    assert [d[0] for d in differences(wrong_volume, record)] == ["volume"]


def test_claims_citing_papers_newer_than_the_document_are_flagged(engine: Engine) -> None:
    verified_seed(engine)
    with session_scope(engine) as session:
        report = verify(session, as_of=date(2010, 1, 1))
    newer = {pmid for claim in report.claims for pmid in claim.published_after_document}
    assert "29725131" in newer  # Garbers 2018
    assert "9883970" not in newer  # Robak 1998
    with session_scope(engine) as session:
        assert all(not c.published_after_document for c in verify(session).claims)


GERIATRICS = PubMedRecord(
    pmid="24350597", authors=["Wilson RS"], journal="Journal of the American Geriatrics Society",
    iso_abbrev="J Am Geriatr Soc", year=2014, volume="62", issue="1", pages="16-24",
    first_page="16", last_page="24",
)  # fmt: skip


@pytest.mark.parametrize(
    ("journal", "differs"),
    [
        ("J Am Geriatr Scoc", True),  # misspelt: an editor must mend it
        ("J Am Geriatr Scoc 62", True),
        ("J Am Geriatr Soc", False),
        ("J. Am. Geriatr. Soc.", False),
        ("Journal of the American Geriatrics Society", False),
        ("J Am Geriatr Soc 62", False),  # a volume the parse left on the journal
    ],
)
def test_a_misspelt_journal_is_named_where_resolution_forgave_it(
    journal: str, differs: bool
) -> None:
    written = f"Wilson RS, et al. {journal}. 2014;62(1):16-24."
    expected = [("journal", journal, "J Am Geriatr Soc")] if differs else []
    assert [d for d in differences(written, GERIATRICS) if d[0] == "journal"] == expected


@pytest.mark.parametrize(
    ("written", "journal", "iso"),
    [
        ("J Hepatol", "Hepatology (Baltimore, Md.)", "Hepatology"),
        ("J Immunol", "Immunology", "Immunology"),
        ("J Neurol", "Neurology", "Neurology"),
    ],
)
def test_a_journal_of_x_is_not_x(written: str, journal: str, iso: str) -> None:
    record = replace(GERIATRICS, journal=journal, iso_abbrev=iso)
    found = differences(f"Wilson RS, et al. {written}. 2014;62(1):16-24.", record)
    assert ("journal", written, iso) in found


def test_a_group_pubmed_lists_first_is_not_the_author_cited_first() -> None:
    """PubMed lists "SPRINT MIND Investigators for the SPRINT Research Group" before
    Williamson JD, whom the journal prints first: citing Williamson is right; citing another
    person is not."""
    sprint = replace(
        GERIATRICS,
        authors=["SPRINT MIND Investigators for the SPRINT Research Group", "Williamson JD",
                 "Pajewski NM"],
    )  # fmt: skip
    assert differences("Williamson JD, et al. J Am Geriatr Soc. 2014;62(1):16-24.", sprint) == []
    assert differences("Pajewski NM, et al. J Am Geriatr Soc. 2014;62(1):16-24.", sprint) == [
        ("first_author", "Pajewski", "SPRINT MIND Investigators for the SPRINT Research Group")
    ]
