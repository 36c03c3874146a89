"""Read a long Word manuscript (3,000 paragraphs by default, each citing by superscript numbers,
then its reference list) and print paragraphs/s, against the naive way in the same run: asking
python-docx for each paragraph's style and text, as the reader did until session 9 (python-docx
looks the default style up anew for every paragraph that names none, 165 styles a time).

    python bench/read_docx.py [--paragraphs 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from io import BytesIO
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidence.ingest.extract import extract_document  # noqa: E402
from evidence.ingest.readers import read_document_bytes  # noqa: E402

REFERENCE = "Nemeth E, Rivera S, Gabayan V, et al. J Clin Invest. 2004;113(9):1271-1276."


def build_manuscript(paragraphs: int) -> bytes:
    """Prose paragraphs, each with a bold phrase and a superscript citation; 20 references."""
    document = docx.Document()
    for n in range(paragraphs):
        paragraph = document.add_paragraph(f"In cohort {n}, tocilizumab lowered IL-6 driven ")
        paragraph.add_run("hepcidin").bold = True
        paragraph.add_run(" and corrected the anaemia of patients with RA.")
        paragraph.add_run(f"{n % 20 + 1}").font.superscript = True
    document.add_paragraph("References")
    for n in range(1, 21):
        document.add_paragraph(f"{n}. {REFERENCE}")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def naive_read(data: bytes) -> int:
    """Each paragraph's style and text through python-docx's own properties."""
    document = docx.Document(BytesIO(data))
    return sum(len(p.text) + len(p.style.name or "") for p in document.paragraphs)


def seconds(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=3000)
    args = parser.parse_args()
    data = build_manuscript(args.paragraphs)
    source = read_document_bytes(data, filename="manuscript.docx")
    linked = sum(1 for claim in extract_document(source).claims if claim.cites)
    ours = min(seconds(lambda: read_document_bytes(data, filename="m.docx")) for _ in range(3))
    naive = min(seconds(lambda: naive_read(data)) for _ in range(3))
    print(
        f"Word manuscript: {args.paragraphs:,} paragraphs, {linked:,} claims linked by superscripts"
    )
    print(f"evidence's reader: {ours:.2f} s, {args.paragraphs / ours:,.0f} paragraphs/s")
    print(f"naive (python-docx's style and text of each paragraph): {naive:.2f} s", end="; ")
    print(f"evidence's reader is {naive / ours:.1f}x faster")


if __name__ == "__main__":
    main()
