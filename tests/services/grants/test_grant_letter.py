"""The decision letter's words, without a database: in the applicant's bokmål or nynorsk, the
tilsegn with its amount, share, conditions and reporting deadline, the avslag with its reason
and the right to appeal; and a real PDF out."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from services.grants.letter import LetterFacts, _paragraphs, letter_language, letter_pdf

TILSEGN = LetterFacts(
    kind="tilsegn",
    municipality="Grong",
    organisation="Fossli Rådgjeving",
    organisasjonsnummer="931782258",
    application_id=7,
    title="Kanoturar",
    fund="Næringsfond",
    call="Utlysing 2026",
    decided_on=date(2026, 12, 3),
    by_board=True,
    amount=Decimal(600_000),
    share=Decimal("46.153846"),
    eligible_cost=Decimal(1_300_000),
    conditions=["Rapport kvart halvår."],
    reporting_deadline=date(2028, 6, 30),
)
AVSLAG = LetterFacts(
    kind="avslag",
    municipality="Grong",
    organisation="Fossli Rådgjeving",
    organisasjonsnummer="931782258",
    application_id=8,
    title="Kanoturar",
    fund="Næringsfond",
    call="Utlysing 2026",
    decided_on=date(2026, 12, 3),
    by_board=False,
    reason="Utanfor formålet til fondet.",
)


@pytest.mark.parametrize(
    ("person", "maalform", "letter"),
    [("nn", "nb", "nn"), ("nb", "nn", "nb"), ("en", "nn", "nn"), (None, "nb", "nb")],
)
def test_the_letter_is_in_the_applicants_own_language_or_the_municipalitys(
    person, maalform, letter
):
    assert letter_language(person, maalform) == letter


def _text(lang: str, facts: LetterFacts) -> str:
    title, body = _paragraphs(lang, facts)
    return title + "\n" + "\n".join(text for _, text in body)


def test_a_tilsegn_in_nynorsk_states_the_amount_share_conditions_and_deadline():
    text = _text("nn", TILSEGN)
    assert "Tilsegn om tilskot frå Næringsfond" in text
    assert "600\u00a0000\u00a0kr" in text and "46,15 %" in text
    assert "Rapport kvart halvår." in text and "30. juni 2028" in text
    assert "Programstyret avgjorde saka i møtet 3. desember 2026." in text


def test_a_rejection_in_bokmaal_gives_the_reason_and_the_right_to_appeal():
    text = _text("nb", AVSLAG)
    assert "Utanfor formålet til fondet." in text
    assert "innen tre uker" in text and "delegert myndighet" in text


def test_the_letter_is_a_pdf():
    assert letter_pdf("nb", TILSEGN).startswith(b"%PDF-")


def test_the_letter_pdf_is_tagged_in_its_language_with_its_title_and_says_what_it_says():
    reader = PdfReader(io.BytesIO(letter_pdf("nn", TILSEGN)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nn-NO" and "/StructTreeRoot" in root
    title, _ = _paragraphs("nn", TILSEGN)
    assert reader.metadata.title == title
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Tilsegn om tilskot frå Næringsfond" in text and "Rapport kvart halvår." in text
