"""The decision letter (tilsegn or avslag) as a PDF in the applicant's language, bokmål or
nynorsk: what was decided, by whom, the amount, the share, the conditions and the reporting
deadline, or the reason and the right to appeal. Pure: the facts in, the PDF's bytes out.

The font is Debian's DejaVu Sans (the Makefile's `fonts`), as for the tender protocol: it
carries every Norwegian letter, and fpdf2 embeds only the glyphs used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.errors import N_
from services.i18n import gettext
from services.notifications.mails import day, kroner
from services.pdf import TaggedPDF

LETTER_LANGUAGES = ("nb", "nn")


@dataclass(frozen=True)
class LetterFacts:
    kind: str  # "tilsegn" or "avslag"
    municipality: str
    organisation: str
    organisasjonsnummer: str
    application_id: int
    title: str
    fund: str
    call: str
    decided_on: date
    by_board: bool  # the board in a meeting, or the official under delegation
    on_appeal: bool = False
    amount: Decimal | None = None
    share: Decimal | None = None
    eligible_cost: Decimal | None = None
    conditions: list[str] = field(default_factory=list)
    reporting_deadline: date | None = None
    reason: str = ""


def letter_language(person_language: str | None, maalform: str) -> str:
    """The applicant's own language when it is bokmål or nynorsk; else the municipality's."""
    if person_language in LETTER_LANGUAGES:
        return person_language
    return maalform if maalform in LETTER_LANGUAGES else "nb"


def letter_name(lang: str, facts: LetterFacts) -> str:
    word = N_("tilsegn") if facts.kind == "tilsegn" else N_("rejection")
    return f"{gettext(lang, word)}-{facts.application_id}.pdf"


def _percent(lang: str, value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


def _paragraphs(lang: str, f: LetterFacts) -> tuple[str, list[tuple[str, str]]]:
    """The letter's title and its paragraphs, each (style, text): h2, p or li."""
    values = {
        "municipality": f.municipality,
        "organisation": f.organisation,
        "title": f.title,
        "fund": f.fund,
        "decided": day(lang, f.decided_on.isoformat()),
    }

    def text(msgid: str) -> str:
        return gettext(lang, msgid, **values)

    def say(style: str, msgid: str) -> tuple[str, str]:
        return style, text(msgid)

    who = say(
        "p",
        N_("The programme board decided the case in its meeting on %(decided)s.")
        if f.by_board
        else N_("The case was decided on %(decided)s under delegated authority."),
    )
    body: list[tuple[str, str]] = []
    if f.on_appeal:
        body.append(say("p", N_("The board has considered your appeal against the rejection.")))
    if f.kind == "tilsegn":
        assert f.amount is not None and f.reporting_deadline is not None  # noqa: S101
        values |= {
            "amount": kroner(lang, str(f.amount)),
            "share": _percent(lang, f.share or Decimal(0)),
            "eligible": kroner(lang, str(f.eligible_cost or 0)),
            "deadline": day(lang, f.reporting_deadline.isoformat()),
        }
        title = text(N_("Tilsegn: grant from %(fund)s"))
        body += [
            say(
                "p",
                N_(
                    "%(municipality)s grants %(organisation)s %(amount)s for the project %(title)s."
                ),
            ),
            who,
            say("h2", N_("The amount and the share")),
            say(
                "p",
                N_(
                    "The grant is at most %(amount)s, which is %(share)s %% of the approved"
                    " eligible cost of %(eligible)s. If the project costs less, the grant is"
                    " reduced by the same share."
                ),
            ),
            say("h2", N_("Conditions")),
        ]
        body += [("li", c) for c in f.conditions] or [
            say("li", N_("No conditions beyond this letter's."))
        ]
        body += [
            say("h2", N_("Reporting")),
            say(
                "p",
                N_(
                    "Send the final report with the accounts of the project by %(deadline)s."
                    " The grant is paid against payment requests in Samspel; the last part"
                    " with the final report."
                ),
            ),
        ]
    else:
        title = text(N_("Rejection of your application to %(fund)s"))
        body += [
            say(
                "p",
                N_("%(municipality)s rejects the application from %(organisation)s for %(title)s."),
            ),
            who,
            say("h2", N_("The reason")),
            ("p", f.reason),
        ]
        if not f.on_appeal:
            body += [
                say("h2", N_("Your right to appeal")),
                say(
                    "p",
                    N_(
                        "You may appeal the decision within three weeks of receiving this"
                        " letter (the Public Administration Act, §§ 28 and 29). Appeal from"
                        " the application's page in Samspel, with your reasons; the"
                        " programme board decides the appeal."
                    ),
                ),
            ]
        else:
            body.append(say("p", N_("The board upheld the rejection. This decision is final.")))
    return title, body


def letter_pdf(lang: str, facts: LetterFacts) -> bytes:
    """The letter as a tagged PDF (services.pdf, as the receipt and the protocol): its language
    and title set, DejaVu Sans embedded, every heading and paragraph in the structure tree."""
    title, body = _paragraphs(lang, facts)
    pdf = TaggedPDF(
        title=title,
        author=facts.municipality,
        lang=lang,
        page_of=gettext(lang, N_("Page %(page)s of %(pages)s")),
    )
    pdf.block("P", facts.municipality, size=13, bold=True, line=7)
    pdf.ln(6)
    pdf.block("P", facts.organisation, size=10.5, line=5.5)
    organisation_number = gettext(
        lang, N_("Organisation number %(nr)s"), nr=facts.organisasjonsnummer
    )
    pdf.block("P", organisation_number, size=10.5, line=5.5)
    pdf.ln(4)
    ref = gettext(
        lang,
        N_("Our reference: application %(id)s, %(call)s"),
        id=facts.application_id,
        call=facts.call,
    )
    pdf.block("P", ref, size=9)
    pdf.block(
        "P", gettext(lang, N_("Date: %(day)s"), day=day(lang, facts.decided_on.isoformat())), size=9
    )
    pdf.ln(6)
    pdf.block("H1", title, size=15, bold=True, line=7.5)
    pdf.ln(2)
    for style, text in body:
        if style == "h2":
            pdf.ln(2)
            pdf.block("H2", text, size=11.5, bold=True, line=6.5)
        elif style == "li":
            pdf.block("P", f"•  {text}", size=10.5, line=5.5)
        else:
            pdf.block("P", text, size=10.5, line=5.5)
            pdf.ln(1.5)
    pdf.ln(8)
    pdf.block("P", gettext(lang, N_("Kind regards")), size=10.5, line=5.5)
    pdf.block("P", facts.municipality, size=10.5, bold=True, line=5.5)
    pdf.ln(4)
    unsigned = gettext(lang, N_("This letter was sent from Samspel and has no signature."))
    pdf.block("P", unsigned, size=8.5, line=5.5)
    return pdf.done()
