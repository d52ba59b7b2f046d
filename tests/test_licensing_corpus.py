"""The labelled corpus of bench/licensing_corpus.py through the database: every pair gets the
same level from the full lookup (candidates proposed by SQLite or PostgreSQL, then scored) as
from the matching module alone, with no exception. The suite runs on both databases, so both
give the same verdicts on it (issue 17)."""

import sys
from pathlib import Path

from licensing.lookup import Applicant, lookup
from licensing.matching import score_operator_names, score_person_names
from records.models import RecordStatus
from tests import factories

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.licensing_corpus import generated_pairs, pairs  # noqa: E402


def expected_level(kind: str, applicant: str, listed: str, settings) -> str:
    if kind == "person":
        return "possible" if score_person_names(applicant, listed).value >= 100 else ""
    value = score_operator_names(applicant, listed).value
    if value >= settings.LICENSING_LISTED_NAME_SCORE:
        return "listed"
    return "possible" if value >= settings.LICENSING_REVIEW_NAME_SCORE else ""


def disagreements_through_the_database(corpus, *, filer, bureau, settings) -> list[tuple]:
    """Each listed name as an active record, each applicant looked up through the database:
    the pairs whose level differs from the matching module's alone."""
    records = {}
    for _applicant, listed, kind, _label, _how in corpus:
        if (kind, listed) in records:
            continue
        if kind == "operator":
            subject = factories.operator(region=bureau, name=listed)
        else:
            subject = factories.practitioner(region=bureau, name=listed)
        record = factories.record(filer=filer, subject=subject, status=RecordStatus.PUBLISHED)
        records[(kind, listed)] = record.reference
    disagreements = []
    for applicant, listed, kind, _label, how in corpus:
        result = lookup(
            applicant=Applicant(
                kind="operator" if kind == "operator" else "person", name=applicant
            ),
            bureau=bureau,
            today=factories.datetime.date(2026, 3, 10),
        )
        found = {m["record"]: m["level"] for m in result.matches}
        got = found.get(records[(kind, listed)], "")
        want = expected_level(kind, applicant, listed, settings)
        if got != want:
            disagreements.append((applicant, listed, how, want, got))
    return disagreements


def test_the_corpus_gets_the_same_levels_through_the_database(fang, bureaus, settings):
    found = disagreements_through_the_database(
        pairs(), filer=fang, bureau=bureaus["xihu"], settings=settings
    )
    assert found == []


def test_the_generated_corpus_gets_the_same_levels_through_the_database(fang, bureaus, settings):
    """Swaps, one-letter Latin changes, variant characters, regions and company forms dropped
    or added (issue 17): 700 pairs, every level as the matching module gives it."""
    corpus = generated_pairs()
    levels = {expected_level(kind, a, b, settings) for a, b, kind, _label, _how in corpus}
    assert levels == {"listed", "possible", ""}  # the corpus reaches every level
    found = disagreements_through_the_database(
        corpus, filer=fang, bureau=bureaus["xihu"], settings=settings
    )
    assert found == []
