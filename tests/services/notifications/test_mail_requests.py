"""Mails are written in the recipient's language, and a secret link travels sealed."""

import pytest

from services.notifications.mails import MailRequest, compose
from services.notifications.sealing import seal, unseal

KEY = bytes(range(32))
LINK = "https://samspel.example/invitations/one-time-token"


def invitation(language: str) -> MailRequest:
    return MailRequest(
        to="ny@grong.example",
        template="invitation",
        language=language,
        values={"place": "Grong", "scope": "municipality", "role": "evaluator", "inviter": "Arne"},
        sealed={"link": seal(KEY, LINK)},
    )


@pytest.mark.parametrize(
    ("language", "subject", "role"),
    [
        ("nb", "Du er invitert til Grong i Samspel", "Evaluator"),
        ("nn", "Du er invitert til Grong i Samspel", "Evaluator"),
        ("en", "You are invited to Grong in Samspel", "Evaluator"),
    ],
)
def test_an_invitation_mail_is_written_in_the_recipients_language(language, subject, role):
    mail = compose(invitation(language), KEY)
    body = mail.get_content()
    assert mail["Subject"] == subject
    assert mail["Content-Language"] == language
    assert LINK in body and "Arne" in body and role in body


def test_the_nynorsk_and_bokmaal_bodies_differ():
    assert (
        compose(invitation("nb"), KEY).get_content() != compose(invitation("nn"), KEY).get_content()
    )


def test_a_sealed_link_shows_nothing_of_the_token_and_opens_only_with_the_key():
    sealed = seal(KEY, LINK)
    assert "one-time-token" not in sealed
    assert unseal(KEY, sealed) == LINK
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        unseal(bytes(32), sealed)


def test_a_decision_letter_travels_as_a_pdf_attachment_in_the_recipients_language():
    import base64

    from services.notifications.mails import MailAttachment

    request = MailRequest(
        to="mette@fossli.example",
        template="grant_decision_letter",
        language="nn",
        values={
            "kind": "tilsegn",
            "title": "Kanoturar",
            "municipality": "Grong",
            "fund": "Næringsfond",
            "link": "https://samspel.example/o/931782258/grants/applications/7",
        },
        attachments=[
            MailAttachment(
                "tilsegn-7.pdf", "application/pdf", base64.b64encode(b"%PDF-1.4 x").decode()
            )
        ],
    )
    mail = compose(request, KEY)
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "tilsegn-7.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_payload(decode=True) == b"%PDF-1.4 x"
    assert mail["Content-Language"] == "nn" and "Kanoturar" in mail["Subject"]
    assert "tilskot" in mail["Subject"]
    assert "ligg ved som PDF" in mail.get_body(preferencelist=("plain",)).get_content()
