"""The kind of evidence a paper is, from PubMed's publication types and MeSH, else its title and
abstract: so a reviewer sees at once that a clinical-sounding claim rests on a mouse study."""

from __future__ import annotations

import re

from evidence.pubmed.records import PubMedRecord

# In order of precedence: the first kind that applies is the paper's.
BY_PUBLICATION_TYPE = [
    ("meta_analysis", {"Meta-Analysis"}),
    ("systematic_review", {"Systematic Review"}),
    ("clinical_trial", {
        "Randomized Controlled Trial", "Clinical Trial", "Clinical Trial, Phase I",
        "Clinical Trial, Phase II", "Clinical Trial, Phase III", "Clinical Trial, Phase IV",
        "Controlled Clinical Trial", "Pragmatic Clinical Trial",
    }),
    ("review", {"Review"}),
    ("observational_study", {"Observational Study"}),
    ("case_report", {"Case Reports"}),
]  # fmt: skip
OBSERVATIONAL_MESH = {
    "Cohort Studies", "Case-Control Studies", "Cross-Sectional Studies", "Prospective Studies",
    "Retrospective Studies", "Longitudinal Studies",
}  # fmt: skip
ANIMAL_WORDS = re.compile(
    r"\b(mice|mouse|murine|rats?|monkeys?|macaques?|cynomolgus|primates?|rabbits?|dogs?|pigs?"
    r"|animal models?|transgenic)\b",
    re.IGNORECASE,
)
IN_VITRO_WORDS = re.compile(r"\b(in vitro|cultured|cell lines?|co-?culture)\b", re.IGNORECASE)
PATIENT_WORDS = re.compile(r"\b(patients|subjects|participants|volunteers)\b", re.IGNORECASE)
REVIEW_WORDS = re.compile(r"\b(in this review|we review|this review)\b", re.IGNORECASE)


def evidence_kind(record: PubMedRecord) -> str:
    """Return the kind of evidence a paper is: clinical_trial, review, animal_study, ..."""
    types = set(record.publication_types)
    for kind, names in BY_PUBLICATION_TYPE:
        if types & names:
            return kind
    descriptors = {str(m.get("descriptor")) for m in record.mesh}
    text = f"{record.title or ''} {record.abstract or ''}"
    if REVIEW_WORDS.search(text):
        return "review"
    if descriptors & OBSERVATIONAL_MESH:
        return "observational_study"
    animals = "Animals" in descriptors or ANIMAL_WORDS.search(text) is not None
    patients = "Humans" in descriptors and PATIENT_WORDS.search(text) is not None
    if patients and not animals:
        return "observational_study"
    if animals and not patients:
        return "animal_study"
    if IN_VITRO_WORDS.search(text) and not patients:
        return "in_vitro_study"
    if PATIENT_WORDS.search(text):
        return "observational_study"  # a study in patients that PubMed does not call a trial
    return "unknown"
