"""Exports: the seed deck's cited works as BibTeX, RIS and CSL-JSON (ingested, enriched offline
from the shipped snapshot and verified, on SQLite and PostgreSQL), read back by other libraries
(pybtex, rispy, citeproc-py) and, when it is installed, by classic BibTeX itself."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pybtex.database
import pytest
import rispy
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from evidence.cli import app
from evidence.db import make_engine
from evidence.export import ExportOptions, ExportWork, Policy, select_works
from evidence.export.bibtex import export_bibtex, latex_escape, protect_capitals
from evidence.export.citekeys import assign_citekeys, split_author
from evidence.export.csljson import export_csljson
from evidence.export.ris import export_ris
from evidence.models import Claim, ClaimCitation
from evidence.search import search_claims
from tests.conftest import PROJECT, seed_deck

SNAPSHOT = PROJECT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
SEED_PMIDS = 14
SEED_WORKS = 30


def seed(engine: Engine) -> list[ExportWork]:
    seed_deck(engine)
    with Session(engine) as session:
        return select_works(session).works


def work(**overrides: object) -> ExportWork:
    values: dict[str, object] = {
        "key": "", "resolved": True, "authors": ["Rose-John S", "Lefèvre J-M", "Müller JM"],
        "title": "IL-1β & TNF in 50% of Köln's patients: a #1_study.",
        "journal": "Arthritis & Rheumatism", "year": 2003, "month": "Jun", "volume": "48",
        "issue": "6", "first_page": "1521", "last_page": "1529",
        "doi": "10.1000/a_b%2Fc", "pmid": "12794819", "verdict": "verified",
    }  # fmt: skip
    values.update(overrides)
    return assign_citekeys([ExportWork(**values)])[0]  # type: ignore[arg-type]


UTF8_ENTRY = r"""@article{rosejohn2003il,
  author = {Rose-John, S. and Lefèvre, J.-M. and Müller, J. M.},
  title = {{IL-1β} \& {TNF} in 50\% of {Köln}'s patients: a \#1\_study.},
  journal = {Arthritis \& Rheumatism},
  year = {2003},
  month = jun,
  volume = {48},
  number = {6},
  pages = {1521--1529},
  doi = {10.1000/a_b%2Fc},
  pmid = {12794819},
  url = {https://pubmed.ncbi.nlm.nih.gov/12794819/}
}
"""
LATEX_ENTRY = r"""@article{rosejohn2003il,
  author = {Rose-John, S. and Lef{\`e}vre, J.-M. and M{\"u}ller, J. M.},
  title = {{IL-1$\beta$} \& {TNF} in 50\% of {K{\"o}ln}'s patients: a \#1\_study.},
  journal = {Arthritis \& Rheumatism},
  year = {2003},
  month = jun,
  volume = {48},
  number = {6},
  pages = {1521--1529},
  doi = {10.1000/a_b%2Fc},
  pmid = {12794819},
  url = {https://pubmed.ncbi.nlm.nih.gov/12794819/}
}
"""
UNRESOLVED_ENTRY = r"""@misc{dayer2010rheumatology,
  author = {Dayer, J.-M. and Choy, E.},
  journal = {Rheumatology},
  year = {2010},
  volume = {49},
  pages = {15--24},
  note = {Not resolved to PubMed; as written: Jean-Michel Dayer et al., Rheumatology 2010;49:15{\textbackslash{}textendash}24.; Verification: unchecked; PubMed checked: never}
}
"""


@pytest.mark.parametrize(
    ("the_work", "latex", "options", "expected"),
    [
        (work(), False, ExportOptions(), UTF8_ENTRY),
        (work(), True, ExportOptions(), LATEX_ENTRY),
        (
            work(
                resolved=False,
                authors=["Dayer J-M", "Choy E"],
                title=None,
                journal="Rheumatology",
                year=2010,
                month=None,
                issue=None,
                volume="49",
                first_page="15",
                last_page="24",
                doi=None,
                pmid=None,
                verdict=None,
                as_written="Jean-Michel Dayer et al., Rheumatology 2010;49:15{\\textendash}24.",
            ),  # fmt: skip
            False,
            ExportOptions(status=True),
            UNRESOLVED_ENTRY,
        ),
    ],
    ids=["utf8", "latex", "unresolved"],
)
def test_bibtex_writer_exact_text(
    the_work: ExportWork, latex: bool, options: ExportOptions, expected: str
) -> None:
    assert export_bibtex([the_work], options, latex_escape=latex) == expected


@pytest.mark.parametrize(
    ("title", "latex", "written"),
    [
        ("IL-6 knockout mice", False, "{IL-6} knockout mice"),
        ("Interleukin-6: from bench to bedside", False, "Interleukin-6: from bench to bedside"),
        ("Role of mIL-6R in Japanese RA", False, "Role of {mIL-6R} in {Japanese} {RA}"),
        ("TNF-α and Ångström", True, r"{TNF-$\alpha$} and {{\AA}ngstr{\"o}m}"),
        ("50% of _x_ #1", True, r"50\% of \_x\_ \#1"),
    ],
)
def test_title_capitals_survive_sentence_case(title: str, latex: bool, written: str) -> None:
    escape = latex_escape if latex else str
    assert protect_capitals(title, escape) == written


def unbraced(title: str | None) -> str | None:
    """Return a title without the braces that protect its capitals."""
    return title.replace("{", "").replace("}", "") if title else title


def unescaped(text: str | None) -> str | None:
    """Return UTF-8 BibTeX's text as written: LaTeX's special characters unescaped."""
    for char in "&%$#_":
        text = text.replace("\\" + char, char) if text else text
    return text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Stępień", r"St{\k{e}}pie{\'n}"),
        (
            "Müller & Sons: 100% _under_ #2 for $5",
            r"M{\"u}ller \& Sons: 100\% \_under\_ \#2 for \$5",
        ),
        ("IL-1β, TNF-α and Γ", r"IL-1$\beta$, TNF-$\alpha$ and $\Gamma$"),
        # LaTeX has no \omicron and no capitals that look Latin; ς is its \varsigma.
        ("λ-ο, Λ, Α, Ο, ς", r"$\lambda$-o, $\Lambda$, A, O, $\varsigma$"),
        ("APOE ϵ4, ϑ, ϕ", r"APOE $\epsilon$4, $\vartheta$, $\phi$"),  # symbol forms
        ("Hashizume M et al，Int Rev Immunol", "Hashizume M et al,Int Rev Immunol"),
        ("naïve Ångström", r"na{\"\i}ve {\AA}ngstr{\"o}m"),
    ],
)
def test_latex_escape(text: str, escaped: str) -> None:
    assert latex_escape(text) == escaped


def test_citekeys_are_readable_unique_and_suffixed_on_collision() -> None:
    a = ExportWork(key="", resolved=True, authors=["Nakahara H"], year=2003, title="Anti-IL-6")
    b = ExportWork(key="", resolved=True, authors=["Nákahara H"], year=2003, title="The anti")
    c = ExportWork(key="", resolved=False, authors=["张三"], year=None, title=None)
    assert [w.key for w in assign_citekeys([a, b, c])] == [
        "nakahara2003antia", "nakahara2003antib", "anonnd",
    ]  # fmt: skip


def test_retracted_and_unverified_works_can_be_marked_or_left_out() -> None:
    retracted = work(retracted=True, verdict="retracted", pmid="1")
    unchecked = work(verdict=None, pmid="2", authors=["Kudo O"])
    works = assign_citekeys([retracted, unchecked, work(pmid="3", authors=["Mihara M"])])
    keep = pybtex.database.parse_string(export_bibtex(works), "bibtex")
    assert len(keep.entries) == 3
    out = export_bibtex(works, ExportOptions(retracted=Policy.exclude, unverified=Policy.exclude))
    assert list(pybtex.database.parse_string(out, "bibtex").entries) == ["mihara2003il"]
    marked = export_bibtex(works, ExportOptions(retracted=Policy.mark, unverified=Policy.mark))
    fields = {
        k: e.fields for k, e in pybtex.database.parse_string(marked, "bibtex").entries.items()
    }
    assert fields["rosejohn2003il"]["note"] == "RETRACTED"
    assert fields["rosejohn2003il"]["keywords"] == "retracted"
    assert fields["kudo2003il"]["note"] == "Unverified (unchecked)"
    assert "note" not in fields["mihara2003il"]
    ris = rispy.loads(export_ris(works, ExportOptions(retracted=Policy.exclude)))
    assert [r["accession_number"] for r in ris] == ["2", "3"]


def test_seed_bibtex_has_one_entry_per_distinct_work(engine: Engine) -> None:
    works = seed(engine)
    text = export_bibtex(works, ExportOptions(status=True))
    entries = pybtex.database.parse_string(text, "bibtex").entries
    assert len(entries) == len(works) == SEED_WORKS
    assert all(key.isascii() and key.isalnum() and key.islower() for key in entries)
    resolved = [w for w in works if w.resolved]
    assert len({w.pmid for w in resolved}) == len(resolved) == SEED_PMIDS
    for w in resolved:
        fields = entries[w.key].fields
        assert fields["pmid"] == w.pmid
        assert fields.get("doi") == w.doi  # where PubMed has one, byte for byte
        assert fields["url"] == f"https://pubmed.ncbi.nlm.nih.gov/{w.pmid}/"
        assert "PubMed checked: " in fields["note"] and "never" not in fields["note"]
    assert sum(bool(w.doi) for w in resolved) == 12  # Nakahara and Chourbaji have none
    unresolved = [w for w in works if not w.resolved]
    assert len(unresolved) == SEED_WORKS - SEED_PMIDS
    for w in unresolved:
        # pybtex reads runs of white space as one space, as BibTeX does.
        written = " ".join((w.as_written or "").split())
        note = unescaped(entries[w.key].fields["note"]) or ""
        assert note.startswith(f"Not resolved to PubMed; as written: {written}")
    nakahara = next(w for w in works if w.pmid == "12794819")
    assert nakahara.key == "nakahara2003anti"
    assert nakahara.verdict == "mismatch"  # the deck writes volume 8 once


def test_seed_bibtex_exact_entry(engine: Engine) -> None:
    works = [w for w in seed(engine) if w.pmid == "12794819"]
    assert export_bibtex(works) == (
        "@article{nakahara2003anti,\n"
        "  author = {Nakahara, H. and others},\n"  # the snapshot keeps the first author only
        "  title = {Anti-interleukin-6 receptor antibody therapy reduces vascular endothelial"
        " growth factor production in rheumatoid arthritis},\n"
        # NLM's title as a reference list prints it, and its ISO abbreviation beside it.
        "  journal = {Arthritis and Rheumatism},\n"
        "  shortjournal = {Arthritis Rheum},\n"
        "  year = {2003},\n"
        "  month = jun,\n"
        "  volume = {48},\n"
        "  number = {6},\n"
        "  pages = {1521--1529},\n"
        "  pmid = {12794819},\n"
        "  url = {https://pubmed.ncbi.nlm.nih.gov/12794819/}\n"
        "}\n"
    )


@pytest.mark.parametrize("latex", [False, True], ids=["utf8", "latex"])
def test_seed_bibtex_round_trips_through_pybtex(engine: Engine, latex: bool) -> None:
    works = seed(engine) + [
        work(pmid="1", doi="10.1016/S0140-6736(00)03155-X", authors=["Kudo O"]),
        work(pmid="2", doi="10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E"),
        work(pmid="3", doi="10.1000/a_b%2Fc#x", authors=["Weiss G"]),
    ]
    works = assign_citekeys(works)
    text = export_bibtex(works, latex_escape=latex)
    if latex:
        assert text.isascii()
    entries = pybtex.database.parse_string(text, "bibtex").entries
    for w in works:
        entry = entries[w.key]
        assert entry.fields.get("doi") == w.doi
        assert entry.fields.get("url") == w.url
        assert entry.fields.get("year") == (str(w.year) if w.year else None)
        assert entry.fields.get("volume") == w.volume
        assert entry.fields.get("pages") == w.pages
        people = entry.persons.get("author", [])
        assert len(people) == len(w.authors) + (0 if w.authors_complete else 1)
        if not latex:
            assert unescaped(unbraced(entry.fields.get("title"))) == w.title
            assert unescaped(entry.fields.get("journal")) == w.journal
            surnames = [" ".join(p.last_names) for p in people[: len(w.authors)]]
            assert surnames == [
                s if i else "{" + s + "}" for s, i in (split_author(a) for a in w.authors)
            ]


def test_biber_and_lualatex_typeset_the_utf8_export(engine: Engine, tmp_path: Path) -> None:
    """The UTF-8 export is for biber: LaTeX must typeset every field, "&" and "%" included,
    which it reads as commands when they are not escaped."""
    tools = [shutil.which(name) for name in ("biber", "lualatex")]
    if None in tools:
        pytest.skip("no biber or lualatex (Debian: apt-get install biber texlive-luatex)")
    tricky = work(
        pmid="32540476", title="DEHP & 20% Intralipid: $5 #1_study ~ a^b \\ {beta}",
        journal="Alzheimer's & dementia : the journal of the Alzheimer's Association",
        authors=["Gómez-Reino JJ", "Research & Development Group"],
    )  # fmt: skip
    text = export_bibtex(assign_citekeys([*seed(engine), tricky]))
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[backend=biber]{biblatex}"
        "\\addbibresource{refs.bib}\\begin{document}\\nocite{*}\\printbibliography"
        "\\end{document}\n"
    )
    latex = ["lualatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for command in (latex, ["biber", "doc"], latex):
        run = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
        )
        assert run.returncode == 0, run.stdout[-3000:]
    assert "Intralipid" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")


def test_classic_bibtex_reads_the_latex_export_without_warnings(
    engine: Engine, tmp_path: Path
) -> None:
    bibtex = shutil.which("bibtex")
    if bibtex is None:
        pytest.skip("no bibtex binary (Debian: apt-get install texlive-binaries texlive-base)")
    text = export_bibtex(seed(engine), ExportOptions(status=True), latex_escape=True)
    (tmp_path / "refs.bib").write_text(text, encoding="ascii")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n")
    run = subprocess.run(
        [bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    if "couldn't open style file plain.bst" in run.stdout:
        pytest.skip("bibtex has no plain.bst (Debian: apt-get install texlive-base)")
    assert run.returncode == 0, run.stdout
    assert "Warning" not in run.stdout and "error" not in run.stdout.lower(), run.stdout
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\bibitem") == SEED_WORKS
    assert "{IL-6} knockout mice" in bbl  # plain.bst sentence-cases titles; braces keep "IL-6"


def test_seed_ris_parses_with_rispy(engine: Engine) -> None:
    works = seed(engine)
    records = rispy.loads(export_ris(works, ExportOptions(status=True)))
    assert len(records) == SEED_WORKS
    by_pmid = {r.get("accession_number"): r for r in records}
    mihara = by_pmid["16102523"]
    assert mihara["type_of_reference"] == "JOUR"
    assert mihara["authors"] == ["Mihara, M"]
    assert (mihara["start_page"], mihara["end_page"]) == ("1731", "1740")
    assert mihara["doi"] == "10.1016/j.intimp.2005.05.010"
    assert mihara["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/16102523/"]
    notes = [r for r in records if any("Not resolved" in n for n in r.get("notes", []))]
    assert len(notes) == SEED_WORKS - SEED_PMIDS


def test_seed_csljson_renders_through_citeproc(engine: Engine) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export_csljson(seed(engine)))
    assert len(items) == SEED_WORKS
    assert len({item["id"] for item in items}) == SEED_WORKS
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"]) for item in items]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == SEED_WORKS
    nakahara = next(r for r in rendered if r.startswith("Nakahara"))
    assert "2003" in nakahara and "Arthritis and Rheumatism" in nakahara
    assert "1521-1529" in nakahara or "1521–1529" in nakahara


def test_query_selects_the_works_its_claims_cite(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as session:
        anemia = select_works(session, query="anemia").works
        nothing = select_works(session, query="zzzzqqq").works
    assert anemia and len(anemia) < SEED_WORKS
    assert "23147894" in {w.pmid for w in anemia}  # Weiss and Schett: anaemia
    assert nothing == []


def every_claim_found(session: Session, words: str) -> list[int]:
    """Page through a search to its end, 7 claims a page."""
    found: list[int] = []
    cursor: str | None = None
    while True:
        page = search_claims(session, q=words, limit=7, cursor=cursor)
        found += [hit.id for hit in page.items]
        if (cursor := page.next_cursor) is None:
            return found


@pytest.mark.parametrize("words", ["IL-6", "anemia", "贫血 anemia", "破骨"])
def test_a_search_selects_the_works_of_every_claim_it_pages_through(
    engine: Engine, words: str
) -> None:
    seed(engine)
    with Session(engine) as session:
        found = every_claim_found(session, words)
        cited = set(
            session.exec(
                select(ClaimCitation.citation_id).where(col(ClaimCitation.claim_id).in_(found))
            )
        )
        works = select_works(session, query=words).works
    assert len(found) > 3 and cited
    assert {i for w in works for i in w.citation_ids} == cited


def test_topic_selects_the_works_of_its_claims_and_narrows_one_claim(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as session:
        claims = session.exec(select(Claim)).all()
        topic = next(c.topic for c in claims if c.topic and "贫血" in c.topic)
        topical = {c.id for c in claims if c.topic and topic in c.topic}
        links = session.exec(select(ClaimCitation.claim_id, ClaimCitation.citation_id)).all()
        cited = {citation for claim, citation in links if claim in topical}
        other = next(claim for claim, _ in links if claim not in topical)
        works = select_works(session, topic=topic).works
        assert select_works(session, topic=topic, claim_id=other).works == []
    assert {i for w in works for i in w.citation_ids} == cited


def test_export_command_writes_each_format_to_a_file(database_url: str, tmp_path: Path) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    for name in ("bibtex", "ris", "csljson"):
        out = tmp_path / f"refs.{name}"
        result = runner.invoke(
            app, ["export", "--format", name, "--latex", "--status", "-o", str(out)], env=env
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {SEED_WORKS} works" in result.stdout
        assert out.stat().st_size > 1000
    bib = (tmp_path / "refs.bibtex").read_text(encoding="utf-8")
    assert bib.count("\n@") + 1 == SEED_WORKS
    both = runner.invoke(app, ["export", "--exclude-retracted", "--mark-retracted"], env=env)
    assert both.exit_code == 2


def test_claim_selects_the_works_it_cites(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as session:
        claim = session.exec(
            select(Claim).where(col(Claim.text).contains("IL-6可以诱导贫血的发生"))
        ).one()
        cited = session.exec(
            select(ClaimCitation.citation_id).where(ClaimCitation.claim_id == claim.id)
        ).all()
        works = select_works(session, claim_id=claim.id).works
    assert cited and 1 <= len(works) <= len(cited)
    assert {i for w in works for i in w.citation_ids} == set(cited)
    with Session(engine) as session:
        assert select_works(session, claim_id=claim.id, query="贫血").works == works
        assert select_works(session, claim_id=claim.id, query="osteoclast").works == []
        # A claim the search does not find gives nothing, even when a found one cites the same.
        links = session.exec(select(ClaimCitation.claim_id, ClaimCitation.citation_id)).all()
        found = set(every_claim_found(session, "IL-6"))
        cited_by_found = {citation for c, citation in links if c in found}
        missed = next(c for c, citation in links if c not in found and citation in cited_by_found)
        assert select_works(session, claim_id=missed, query="IL-6").works == []


def test_export_command_exports_one_claims_works(database_url: str) -> None:
    env = {"EVIDENCE_DATABASE_URL": database_url}
    runner = CliRunner()
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        claim = session.exec(select(Claim).where(col(Claim.text).contains("破骨细胞形成"))).first()
    engine.dispose()
    assert claim is not None
    result = runner.invoke(
        app, ["export", "--format", "csljson", "--claim", str(claim.id)], env=env
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert 1 <= len(items) < SEED_WORKS
    missing = runner.invoke(app, ["export", "--claim", "999999"], env=env)
    assert missing.exit_code == 3 and "999999" in missing.output


def test_medline_braced_greek_is_exported_as_the_letters() -> None:
    """MEDLINE wrote Greek in titles as "A{beta}"; every format gets "Aβ"."""
    from evidence.export import _title

    assert _title("A{beta} and TNF-{alpha} in {Delta}F508 mice.") == "Aβ and TNF-α in ΔF508 mice"
    # Unicode names λ "LAMDA": "{lambda}" was looked up by its name, and the export failed.
    assert _title("Phage {lambda} and {Lambda}.") == "Phage λ and Λ"
    assert _title("Apolipoprotein E {varepsilon}4.") == "Apolipoprotein E ε4"
    assert _title("Sets {a, b} stay.") == "Sets {a, b} stay"


@pytest.mark.parametrize("month", ["Jun", "06", "6"])
def test_the_month_reaches_every_format_however_pubmed_writes_it(month: str) -> None:
    """PubMed writes a month "Jun" or "06"; BibTeX, RIS and CSL-JSON all carry it."""
    the_work = work(month=month)
    assert "month = jun" in export_bibtex([the_work])
    ris = export_ris([the_work])
    assert "DA  - 2003/06//" in ris.split("\r\n")
    assert json.loads(export_csljson([the_work]))[0]["issued"] == {"date-parts": [[2003, 6]]}


def test_ris_lines_end_as_the_specification_says() -> None:
    """Each RIS line ends with a carriage return and a line feed; rispy reads it."""
    ris = export_ris([work(), work(pmid="2", title="Another paper on hepcidin")])
    assert "\n" not in ris.replace("\r\n", "")
    assert len(rispy.loads(ris)) == 2


@pytest.mark.parametrize(
    ("nlm", "printed"),
    [
        ("The New England journal of medicine", "The New England Journal of Medicine"),
        ("Epidemiology (Cambridge, Mass.)", "Epidemiology"),
        ("BMJ (Clinical research ed.)", "BMJ"),
        ("Brain : a journal of neurology", "Brain"),
        ("Nature reviews. Rheumatology", "Nature Reviews Rheumatology"),
        ("Arthritis research & therapy", "Arthritis Research & Therapy"),
        ("JAMA neurology", "JAMA Neurology"),
        ("eLife", "eLife"),
        ("Journal of neuro-oncology", "Journal of Neuro-Oncology"),
    ],
)
def test_journal_titles_print_as_reference_lists_print_them(nlm: str, printed: str) -> None:
    """NLM's sentence-case catalogue titles, with what tells them apart, are title-cased and
    left without the place, edition or subtitle."""
    from evidence.export.journals import journal_title

    assert journal_title(nlm) == printed


@pytest.mark.parametrize(
    ("pubmed", "bibtex", "csl", "ris"),
    [
        # Initials of any alphabet, and of two letters, are initials still.
        ("Cavalheiro ÉA", "Cavalheiro, É. A.", {"family": "Cavalheiro", "given": "É. A."},
         "Cavalheiro, ÉA"),
        ("Gustafsson JÅ", "Gustafsson, J. Å.", {"family": "Gustafsson", "given": "J. Å."},
         "Gustafsson, JÅ"),
        ("Kubo Si", "Kubo, Si.", {"family": "Kubo", "given": "Si."}, "Kubo, Si"),
        ("Lefèvre J-M", "Lefèvre, J.-M.", {"family": "Lefèvre", "given": "J.-M."}, "Lefèvre, J-M"),
        ("van der Heijde D", "van der Heijde, D.", {"family": "van der Heijde", "given": "D."},
         "van der Heijde, D"),
        # A collective name's lower-case word makes it one, whatever capitals end it.
        ("Consortium on DLB", "{Consortium on DLB}", {"literal": "Consortium on DLB"},
         "Consortium on DLB"),
    ],
)  # fmt: skip
def test_authors_pubmed_writes_are_people_or_groups_in_every_format(
    pubmed: str, bibtex: str, csl: dict[str, str], ris: str
) -> None:
    the_work = work(authors=[pubmed, "Smith J"])
    assert f"author = {{{bibtex} and Smith, J.}}" in export_bibtex([the_work])
    assert json.loads(export_csljson([the_work]))[0]["author"][0] == csl
    assert f"AU  - {ris}" in export_ris([the_work]).split("\r\n")


@pytest.mark.parametrize(
    ("title", "braced"),
    [
        # Sentence case: a capital inside the title is a name or an acronym, kept.
        ("IL-6 in Japanese patients with rheumatoid arthritis",
         "{IL-6} in {Japanese} patients with rheumatoid arthritis"),
        # Title Case: only what a sentence case must keep (acronyms) is braced.
        ("PHGDH Defines a Metabolic Subtype in Lung Adenocarcinomas with Poor Prognosis",
         "{PHGDH} Defines a Metabolic Subtype in Lung Adenocarcinomas with Poor Prognosis"),
        # A translated title in brackets: the style keeps the bracket, not the capital after it.
        ("[Hospitalized surgical patients in Spain]", "[{Hospitalized} surgical patients in {Spain}]"),
    ],
)  # fmt: skip
def test_titles_brace_what_a_sentence_case_style_must_keep(title: str, braced: str) -> None:
    assert protect_capitals(title) == braced


def test_the_latex_export_writes_letters_latex_lacks_in_ascii() -> None:
    assert (
        latex_escape("⍺-synuclein, ɛ4, Α-helix") == r"$\alpha$-synuclein, $\varepsilon$4, A-helix"
    )


@pytest.mark.parametrize(
    ("kind", "bibtex", "ris", "csl"),
    [
        ("data_on_file", "@misc{", "GEN", "document"),
        ("prescribing_information", "@manual{", "GEN", "document"),
        ("book", "@book{", "BOOK", "book"),
        ("web_page", "@misc{", "ELEC", "webpage"),
    ],
)
def test_what_pubmed_cannot_hold_is_no_journal_article(
    kind: str, bibtex: str, ris: str, csl: str
) -> None:
    """ "Data on file. Roche; 2018": its parse's journal is the company that holds it."""
    the_work = work(resolved=False, kind=kind, journal="Roche", volume=None, issue=None,
                    first_page=None, last_page=None, pmid=None, doi=None,
                    title="Tocilizumab exposure in clinical trials")  # fmt: skip
    text = export_bibtex([the_work])
    assert text.startswith(bibtex) and "journal =" not in text and "{Roche}" in text
    record = rispy.loads(export_ris([the_work]))[0]
    assert record["type_of_reference"] == ris and record.get("publisher") == "Roche"
    item = json.loads(export_csljson([the_work]))[0]
    assert item["type"] == csl and item["publisher"] == "Roche" and "container-title" not in item


@pytest.mark.parametrize(
    ("pubmed", "bibtex"),
    [
        ("de los Santos JM", "de los Santos, J. M."),
        ("zur Hausen H", "zur Hausen, H."),
        ("von dem Bussche A", "von dem Bussche, A."),
        ("af Klinteberg B", "af Klinteberg, B."),
        ("Study Group for RA", "{Study Group for RA}"),
    ],
)
def test_a_surnames_particles_keep_a_person_a_person(pubmed: str, bibtex: str) -> None:
    from evidence.export.bibtex import bibtex_author

    assert bibtex_author(pubmed) == bibtex


def test_an_article_without_authors_stays_an_article() -> None:
    """An editorial PubMed lists no authors for keeps its journal, volume and pages, which a
    misc entry's styles leave out; `key` sorts it."""
    text = export_bibtex([work(authors=[], title="Alzheimer's disease: recent progress")])
    assert text.startswith("@article{anon2003alzheimer")
    assert "journal = {Arthritis \\& Rheumatism}" in text and "pages = {1521--1529}" in text
    assert "key = {Alzheimer's disease: recent progress}" in text


def test_the_key_of_an_article_without_authors_is_cut_before_it_is_escaped() -> None:
    """Cut after escaping, "… &" would end in a lone backslash that eats the closing brace."""
    title = "Editorial on the dementia care pathway & its reviewers"  # "&" is its 40th character
    text = export_bibtex([work(authors=[], title=title)])
    assert "key = {Editorial on the dementia care pathway \\&}" in text
    assert len(pybtex.database.parse_string(text, "bibtex").entries) == 1
