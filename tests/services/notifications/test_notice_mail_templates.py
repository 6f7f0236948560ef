"""The mails about tenders and projects are written in the recipient's language, values filled in."""

import pytest

from services.notifications.mails import MailRequest, compose, templates

KEY = bytes(range(32))
LINK = "https://samspel.example/o/123456785/tenders/7"
# 13:05 UTC on 12 March is 14:05 in Norway (winter time).
ENDS = "2026-03-12T13:05:00+00:00"


def award(language: str, awarded: bool) -> MailRequest:
    return MailRequest(
        to="dagleg.leiar@bedrift.example",
        template="award_notice",
        language=language,
        values={
            "tender": "Prosjektleiing forprosjekt",
            "municipality": "Grong kommune",
            "organisation": "Namdal Rådgjeving AS",
            "awarded": "yes" if awarded else "no",
            "winner": "Snåsa Utvikling AS",
            "reasons": "Best forhold mellom pris og kvalitet.",
            "standstill_ends_at": ENDS,
            "link": LINK,
        },
    )


@pytest.mark.parametrize(
    ("language", "awarded", "subject", "phrases"),
    [
        (
            "nb",
            True,
            "Tilbudet ditt på Prosjektleiing forprosjekt er valgt",
            ["til Namdal Rådgjeving AS", "Karensperioden slutter 12. mars 2026 kl. 14:05"],
        ),
        (
            "nn",
            True,
            "Tilbodet ditt på Prosjektleiing forprosjekt er valt",
            ["til Namdal Rådgjeving AS", "Karensperioden sluttar 12. mars 2026 kl. 14:05"],
        ),
        (
            "en",
            True,
            "Your bid for Prosjektleiing forprosjekt has been chosen",
            ["to Namdal Rådgjeving AS", "ends on 12 March 2026 at 14:05"],
        ),
        (
            "nb",
            False,
            "Tilbudet ditt på Prosjektleiing forprosjekt ble ikke valgt",
            ["kontrakten til Snåsa Utvikling AS", "Karensperioden slutter 12. mars 2026"],
        ),
        (
            "nn",
            False,
            "Tilbodet ditt på Prosjektleiing forprosjekt vart ikkje valt",
            ["kontrakten til Snåsa Utvikling AS", "Karensperioden sluttar 12. mars 2026"],
        ),
        (
            "en",
            False,
            "Your bid for Prosjektleiing forprosjekt was not chosen",
            ["the contract to Snåsa Utvikling AS", "ends on 12 March 2026 at 14:05"],
        ),
    ],
)
def test_an_award_notice_tells_the_bidder_whether_it_won_in_its_language(
    language, awarded, subject, phrases
):
    mail = compose(award(language, awarded), KEY)
    body = mail.get_content()
    assert mail["Subject"] == subject
    assert mail["Content-Language"] == language
    assert "Best forhold mellom pris og kvalitet." in body and LINK in body
    assert "Grong kommune" in body
    for phrase in phrases:
        assert phrase in body


def test_an_unknown_language_falls_back_to_bokmaal():
    request = award("de", True)
    assert compose(request, KEY)["Subject"] == compose(award("nb", True), KEY)["Subject"]


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("nb", "Karensperioden for Prosjektleiing er over", "kan kontrakten nå signeres"),
        ("nn", "Karensperioden for Prosjektleiing er over", "kan kontrakten no signerast"),
        ("en", "The standstill period for Prosjektleiing has ended", "may now be signed"),
    ],
)
def test_the_end_of_a_standstill_tells_the_municipality_it_may_sign(language, subject, phrase):
    mail = compose(
        MailRequest(
            to="sakshandsamar@grong.example",
            template="standstill_ended",
            language=language,
            values={
                "tender": "Prosjektleiing",
                "municipality": "Grong kommune",
                "standstill_ends_at": ENDS,
                "link": "https://samspel.example/k/5045/tenders/7",
            },
        ),
        KEY,
    )
    body = mail.get_content()
    assert mail["Subject"] == subject
    assert phrase in body and "Grong kommune" in body
    assert "https://samspel.example/k/5045/tenders/7" in body


@pytest.mark.parametrize(
    ("language", "subject", "phrases"),
    [
        (
            "nb",
            "En beslutning er på overtid: Felles næringsselskap",
            ["frist 1. juni 2025", "prosjekteier"],
        ),
        (
            "nn",
            "Ei avgjerd er på overtid: Felles næringsselskap",
            ["frist 1. juni 2025", "prosjekteigar"],
        ),
        (
            "en",
            "A decision is overdue: Felles næringsselskap",
            ["due on 1 June 2025", "project owner"],
        ),
    ],
)
def test_an_overdue_decision_point_reminds_the_owner_in_their_language(language, subject, phrases):
    mail = compose(
        MailRequest(
            to="eigar@lierne.example",
            template="decision_point_overdue",
            language=language,
            values={
                "project": "Felles næringsselskap",
                "municipality": "Lierne kommune",
                "due_date": "2025-06-01",
                "link": "https://samspel.example/k/5042/projects/3",
            },
        ),
        KEY,
    )
    body = mail.get_content()
    assert mail["Subject"] == subject
    assert "Lierne kommune" in body and "https://samspel.example/k/5042/projects/3" in body
    for phrase in phrases:
        assert phrase in body


def test_every_template_is_registered():
    assert {"invitation", "award_notice", "standstill_ended", "decision_point_overdue"} <= set(
        templates()
    )
