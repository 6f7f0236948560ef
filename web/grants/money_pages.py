"""What the pages of a tilsegn's money share: the names of payment kinds, states, the tilsegn's
states and KPIs."""

from __future__ import annotations

from services.errors import N_
from services.grants.payments import PaymentKind, PaymentState
from services.grants.tilsegn import TilsegnState

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
KPI_NAMES = {
    "new_jobs": N_("New jobs"),
    "secured_jobs": N_("Secured jobs"),
    "new_businesses": N_("New businesses"),
}
assert set(PAYMENT_STATES) == {s.value for s in PaymentState}  # noqa: S101 - every state named
assert set(PAYMENT_KINDS) == {k.value for k in PaymentKind}  # noqa: S101 - every kind named
assert set(TILSEGN_STATES) == {s.value for s in TilsegnState}  # noqa: S101 - every state named

MONEY_NAMES = {
    "PAYMENT_STATES": PAYMENT_STATES,
    "PAYMENT_KINDS": PAYMENT_KINDS,
    "REPORT_KINDS": REPORT_KINDS,
    "TILSEGN_STATES": TILSEGN_STATES,
    "KPI_NAMES": KPI_NAMES,
}
