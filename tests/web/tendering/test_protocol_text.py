"""The protocol told without a database: each event a sentence with names, figures in the
reader's notation, an unknown event said rather than hidden; the PDF tagged across page breaks."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pypdf import PdfReader

from services.tendering.rules import AwardCriterion
from services.tendering.schemas import ProtocolEvent, TenderView
from web.tendering.municipality.protocol import heading
from web.tendering.municipality.protocol_pdf import protocol_pdf
from web.tendering.municipality.protocol_text import Names, protocol_entries

AT = datetime(2026, 12, 14, 11, 0, 5, tzinfo=UTC)  # 12.00.05 in Oslo
TENDER = TenderView(
    id=4,
    tenant_id=1,
    title="Prosjektleiing",
    description="",
    estimated_value=Decimal("1200000"),
    notice="local",
    award_criteria=[AwardCriterion("Kvalitet", 60), AwardCriterion("Pris", 40, is_price=True)],
    qualification_requirements=[],
    questions_deadline=AT,
    bid_deadline=AT,
    state="cancelled",
    documents_version=1,
    created_at=AT,
)
NAMES = Names(people={3: "Kari Nordmann", 5: "Ola Dunk"}, bidders={7: "Fjord AS", 8: "Li AS"})


def event(seq: int, action: str, actor: int | None = 3, **values) -> ProtocolEvent:
    return ProtocolEvent(seq, AT + timedelta(seconds=seq), actor, f"tender.{action}", values)


EVENTS = [
    event(
        59,
        "interest_declared",
        person_id=5,
        role="board_member",
        conflicted=True,
        note="Bror min eig Li AS.",
    ),
    event(60, "qualification_recorded", bid_id=8, qualified=False, reason="Manglar skatteattest"),
    event(
        61,
        "ranked",
        ranking=[
            {
                "bid_id": 7,
                "rank": 1,
                "total": "86.84",
                "scores": {"Kvalitet": "8.20", "Pris": "10.00"},
            }
        ],
    ),
    event(62, "cancelled", cancellation_reason="Budsjettet fall bort."),
    event(63, "merged_with_another", actor=None),
]


def test_each_event_is_a_sentence_with_names_numbered_from_one():
    entries = protocol_entries(TENDER, EVENTS, NAMES, "en")
    assert [e.number for e in entries] == [1, 2, 3, 4, 5]  # not the chain's 59…
    assert entries[0].when == "14 Dec 2026, 12:01:04"
    assert entries[0].sentence == (
        "Ola Dunk declared, as board member, a conflict of interest in this tender and takes no"
        " part in the evaluation: Bror min eig Li AS."
    )
    assert entries[1].sentence == (
        "Kari Nordmann found that the bid from Li AS does not meet the qualification"
        " requirements: Manglar skatteattest"
    )
    assert entries[2].table.rows == [["1", "Fjord AS", "8.20", "10.00", "86.84"]]
    assert entries[2].table.headers[2:] == ["Kvalitet (60\u00a0%)", "Pris (40\u00a0%)", "Total"]
    assert (
        entries[3].sentence == "Kari Nordmann cancelled the tender. Reason: Budsjettet fall bort."
    )
    # An event the protocol does not know yet is still told, never left out.
    assert entries[4].sentence == "Samspel: merged_with_another."


def test_norwegian_figures_in_a_norwegian_protocol():
    entries = protocol_entries(TENDER, EVENTS, NAMES, "nb")
    assert entries[0].when == "14.12.2026 kl. 12.01.04"
    assert entries[2].table.rows[0][2:] == ["8,20", "10,00", "86,84"]
    facts = " ".join(heading(TENDER, "Meråker", "nb").facts)
    assert "1\u00a0200\u00a0000\u00a0kr" in facts


def test_a_long_protocol_breaks_pages_with_every_part_still_tagged():
    many = [
        event(
            i,
            "ranked",
            ranking=[
                {"bid_id": 7, "rank": r, "total": "50.00", "scores": {"Kvalitet": "5", "Pris": "5"}}
                for r in range(1, 41)
            ],
        )
        for i in range(1, 6)
    ]
    entries = protocol_entries(TENDER, many, NAMES, "nn")
    pdf = PdfReader(io.BytesIO(protocol_pdf(heading(TENDER, "Grong", "nn"), entries, "nn")))
    assert len(pdf.pages) > 3
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "nn-NO" and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    kids = root["/StructTreeRoot"]["/K"][0]["/K"]
    # Every heading, sentence and row is in the structure: 5 entries × (1 + 41 rows) + headers
    # repeated after each page break, + the title, subtitle, facts and section heading.
    assert len(kids) > 5 * 42 + 6
    assert {k.get_object()["/S"] for k in kids} == {"/H1", "/H2", "/P"}
    text = "".join(p.extract_text() for p in pdf.pages)
    assert text.count("Fjord AS") == 5 * 40
