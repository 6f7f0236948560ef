"""What the pages of a tilsegn's money share: the names of payment kinds and states, of the
tilsegn's states, and (the programmes' own) of the KPIs a report gives effects for."""

from __future__ import annotations

from services.errors import N_
from services.grants.payments import PaymentKind, PaymentState
from services.grants.tilsegn import TilsegnState
from web.programmes.pages import STANDARD_KPI_NAMES

PAYMENT_STATES = {
    "submitted": N_("Sent, awaiting the municipality"),
    "approved": N_("Approved"),
    "paid": N_("Paid"),
    "rejected": N_("Rejected"),
}
PAYMENT_KINDS = {
    "part": N_("Part payment"),
    "final": N_("Final payment"),
    "clawback": N_("Clawback"),
}
TILSEGN_STATES = {
    "active": N_("Active"),
    "part_paid": N_("Part paid"),
    "final_requested": N_("Final payment requested"),
    "settled": N_("Settled"),
    "withdrawn": N_("Withdrawn by the applicant"),
    "cancelled": N_("Cancelled by the municipality"),
    "clawed_back": N_("Clawed back"),
}
REPORT_KINDS = {"status": N_("Status report"), "final": N_("Final report")}
assert set(PAYMENT_STATES) == {s.value for s in PaymentState}  # noqa: S101 - every state named
assert set(PAYMENT_KINDS) == {k.value for k in PaymentKind}  # noqa: S101 - every kind named
assert set(TILSEGN_STATES) == {s.value for s in TilsegnState}  # noqa: S101 - every state named

MONEY_NAMES = {
    "PAYMENT_STATES": PAYMENT_STATES,
    "PAYMENT_KINDS": PAYMENT_KINDS,
    "REPORT_KINDS": REPORT_KINDS,
    "TILSEGN_STATES": TILSEGN_STATES,
    "KPI_NAMES": STANDARD_KPI_NAMES,  # the effects a report gives are the standard KPIs
}
