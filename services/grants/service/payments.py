"""A tilsegn's payments: the organisation requests a part or the final payment (with its report,
costs so far, account number and attachments; locked once sent), the municipality approves,
pays or rejects it and records clawbacks. The lines never exceed the tilsegn: the service and
the database's guard both sum them under one lock per tilsegn."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import asyncpg

from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.files import FileInput
from services.grants import payments as rules
from services.grants import tilsegn as lifecycle
from services.grants.money_schemas import PaymentView, ReportView, TilsegnView
from services.grants.payments import PaymentKind, PaymentState
from services.grants.roles import APPLICANTS, ASSESSORS
from services.grants.rules import check_at_most
from services.grants.schemas import AttachmentView
from services.grants.service._common import require_municipal_role, require_organisation_role
from services.grants.tables import GrantPaymentAttachment, GrantPaymentRequest
from services.outbox.service import emit
from services.tendering.rules import check_document
from tenants.context import connection, fetch_structs
from tenants.rows import insert_row, tenant

MAX_ATTACHMENTS = 10


class NotATilsegn(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_tilsegn_not_found", N_("No such tilsegn."))


class PaymentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_payment_not_found", N_("No such payment request."))


class PaymentStep(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_payment_step",
            N_("The payment request is no longer at the step this was meant for."),
        )


class ReportApprovedOnce(Conflict):
    def __init__(self) -> None:
        super().__init__("grant_report_approved", N_("The report has been approved already."))


class PaymentLocked(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_payment_locked", N_("A sent payment request or report cannot be changed.")
        )


@contextmanager
def money_refusals() -> Iterator[None]:
    """The guards' SQLSTATEs (migrations/0004_grant_money.sql) as the domain's refusals."""
    try:
        yield
    except asyncpg.UniqueViolationError as error:
        raise rules.FinalRequested() from error
    except asyncpg.PostgresError as error:
        code = getattr(error, "sqlstate", None)
        if code == "GR020":
            raise NotATilsegn() from error
        if code == "GR021":
            raise rules.ExceedsTilsegn(Decimal(0)) from error
        if code == "GR022":
            raise rules.ClawbackTooLarge(Decimal(0)) from error
        if code == "GR023":
            raise rules.FinalRequested() from error
        if code == "GR024":
            raise PaymentLocked() from error
        if code == "GR025":
            raise PaymentStep() from error
        if code == "GR026":
            raise lifecycle.TilsegnStep() from error
        if code == "GR027":
            raise lifecycle.TilsegnClosed() from error
        if code == "GR028":
            raise lifecycle.FinalReportAlone() from error
        if code == "GR029":
            raise ReportApprovedOnce() from error
        raise


# --- reading --------------------------------------------------------------------------------------

_TILSEGN = (
    "select a.tenant_id, a.id as application_id, a.title, m.name as municipality_name,"
    " a.organisation_id, o.name as organisation_name, a.granted_amount, a.reporting_deadline,"
    " a.tilsegn_state, a.tilsegn_reason, a.tilsegn_moved_at,"
    " coalesce((select sum(l.amount) from grant_cost_line l where l.tenant_id = a.tenant_id"
    " and l.application_id = a.id), 0) as approved_costs"
    " from grant_application a join municipality m on m.id = a.tenant_id"
    " join organisation o on o.id = a.organisation_id"
    " where a.state = 'granted' and a.id = $1"
)

_PAYMENTS = (
    "select p.id, p.tenant_id, p.application_id, a.title as application_title,"
    " o.name as organisation_name, o.organisasjonsnummer, p.kind, p.amount, p.costs_incurred,"
    " p.account_number, p.report_id, r.text as report_text, r.approved_at as report_approved_at,"
    " p.state, p.reason, p.requested_at,"
    " p.decided_at, p.paid_at from grant_payment_request p"
    " join grant_application a on a.tenant_id = p.tenant_id and a.id = p.application_id"
    " join organisation o on o.id = p.organisation_id"
    " left join grant_report r on r.tenant_id = p.tenant_id and r.id = p.report_id"
)


def _mine(as_applicant: bool, alias: str = "a") -> str:
    return (
        f"{alias}.organisation_id = app_organisation_id()"
        if as_applicant
        else f"{alias}.tenant_id = app_tenant_id()"
    )


async def _attachments(tenant_id: int, payment_ids: Sequence[int]) -> dict[int, list]:
    rows = await connection().fetch(
        "select payment_id, id, name, media_type, size from grant_payment_attachment"
        " where tenant_id = $1 and payment_id = any($2::bigint[]) order by id",
        tenant_id,
        list(payment_ids),
    )
    found: dict[int, list] = {}
    for payment_id, *file in rows:
        found.setdefault(payment_id, []).append(AttachmentView(*file))
    return found


def _report(r) -> ReportView:
    values = dict(r)
    values["kpi_effects"] = {k: Decimal(v) for k, v in json.loads(values["kpi_effects"]).items()}
    return ReportView(**values)


async def tilsegn(application_id: int, *, as_applicant: bool) -> TilsegnView:
    """A granted application's money, as its organisation or its municipality sees it."""
    db = connection()
    row = await db.fetchrow(f"{_TILSEGN} and {_mine(as_applicant)}", application_id)
    if row is None:
        raise NotATilsegn()
    tenant_id = row["tenant_id"]
    payments = await db.fetch(
        f"{_PAYMENTS} where p.tenant_id = $1 and p.application_id = $2 order by p.id",
        tenant_id,
        application_id,
    )
    attachments = await _attachments(tenant_id, [p["id"] for p in payments])
    lines = [PaymentView(**dict(p), attachments=attachments.get(p["id"], [])) for p in payments]
    reports = await db.fetch(
        "select id, application_id, kind, text, kpi_effects::text as kpi_effects, submitted_at,"
        " approved_at, effects_counted_at from grant_report where tenant_id = $1 and application_id = $2"
        " order by id",
        tenant_id,
        application_id,
    )
    current = rules.balance(
        row["granted_amount"], [rules.Line(p.kind, p.state, p.amount) for p in lines]
    )
    return TilsegnView(
        **dict(row),
        standing=current.standing,
        paid=current.paid,
        remaining=current.remaining,
        final_requested=current.final_requested,
        payments=lines,
        reports=[_report(r) for r in reports],
    )


async def payment_queue(state: str | None = None) -> list[PaymentView]:
    """The municipality's payment requests and clawbacks, by state, the oldest first."""
    return await fetch_structs(
        PaymentView,
        f"{_PAYMENTS} where p.tenant_id = app_tenant_id() and ($1::text is null or p.state = $1)"
        " order by p.requested_at, p.id",
        state,
    )


async def payment_attachment(payment_id: int, attachment_id: int) -> tuple[str, str, bytes]:
    row = await connection().fetchrow(
        "select d.name, d.media_type, d.content from grant_payment_attachment d"
        " join grant_payment_request p on p.tenant_id = d.tenant_id and p.id = d.payment_id"
        " where p.tenant_id = app_tenant_id() and p.id = $1 and d.id = $2",
        payment_id,
        attachment_id,
    )
    if row is None:
        raise NotFound("grant_attachment_not_found", N_("No such attachment."))
    return row["name"], row["media_type"], row["content"]


# --- the organisation's requests -----------------------------------------------------------------


async def _lock_tilsegn(tenant_id: int, application_id: int) -> None:
    """The lock the database's guard takes too: one tilsegn's lines are summed one at a time."""
    await connection().execute(
        "select pg_advisory_xact_lock(hashtextextended('grant_payment:' || $1::bigint || ':'"
        " || $2::bigint, 0))",
        tenant_id,
        application_id,
    )


async def tilsegn_under_lock(application_id: int, *, as_applicant: bool) -> TilsegnView:
    """The tilsegn as it is once its lines are locked against concurrent requests."""
    current = await tilsegn(application_id, as_applicant=as_applicant)
    await _lock_tilsegn(current.tenant_id, application_id)
    return await tilsegn(application_id, as_applicant=as_applicant)


def _check_documents(documents: Sequence[FileInput]) -> None:
    check_at_most(
        len(documents),
        MAX_ATTACHMENTS,
        "grant_too_many_attachments",
        N_("At most %(limit)s attachments."),
        "documents",
    )
    for d in documents:
        check_document(d.name, d.media_type, d.content)


def check_effects(effects: dict[str, Decimal]) -> dict[str, str]:
    for value in effects.values():
        if not Decimal(value).is_finite():
            raise InvalidInput("grant_effect_invalid", N_("Write a number."), field="effects")
    return {code: str(Decimal(value)) for code, value in effects.items()}


_INSERT_REPORT = (
    "insert into grant_report (tenant_id, application_id, organisation_id, kind, text,"
    " kpi_effects, submitted_by) values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning id"
)


def _report_args(row, kind: str, text: str, kpi_effects: dict[str, Decimal], person_id: int):
    text = required_text(text, "report", 20_000)
    effects = json.dumps(check_effects(kpi_effects))
    return (row.tenant_id, row.application_id, row.organisation_id, kind, text, effects, person_id)


async def insert_report(
    row, *, kind: str, text: str, kpi_effects: dict[str, Decimal], person_id: int
) -> int:
    args = _report_args(row, kind, text, kpi_effects, person_id)
    with money_refusals():
        return await connection().fetchval(_INSERT_REPORT, *args)


async def request_payment(
    application_id: int,
    *,
    kind: str,
    amount: Decimal,
    costs_incurred: Decimal,
    account_number: str,
    report: str,
    kpi_effects: dict[str, Decimal] | None = None,
    documents: Sequence[FileInput] = (),
    person_id: int,
) -> int:
    """A part or the final payment, with the report it carries (a status report, or the final
    report with the effects achieved); sent at once, then locked. Returns the request's id."""
    await require_organisation_role(person_id, APPLICANTS)
    if kind not in (PaymentKind.PART, PaymentKind.FINAL):
        raise InvalidInput(
            "grant_payment_kind", N_("Choose a part or the final payment."), field="kind"
        )
    if kind == PaymentKind.FINAL and not report.strip():
        raise InvalidInput(
            "grant_final_report_missing",
            N_(
                "The final payment carries the final report: write what the project did and achieved."
            ),
            field="report",
        )
    account = inputs.account_number(account_number)
    costs = inputs.amount(costs_incurred, "costs_incurred")
    _check_documents(documents)
    current = await tilsegn_under_lock(application_id, as_applicant=True)
    lifecycle.check_open(current.tilsegn_state)
    rules.check_request(kind, amount, _balance(current))
    report_kind = "final" if kind == PaymentKind.FINAL else "status"
    args = _report_args(current, report_kind, report, kpi_effects or {}, person_id)
    db = connection()
    with money_refusals():
        # One statement: the database checks at its end that a final report rides with its
        # final payment (0005_tilsegn.sql), so the two go in together.
        row = await db.fetchrow(
            f"with report as ({_INSERT_REPORT})"
            " insert into grant_payment_request (tenant_id, application_id, organisation_id, kind,"
            " amount, costs_incurred, account_number, report_id, state, requested_by)"
            " select $1, $2, $3, $8, $9, $10, $11, report.id, 'submitted', $7 from report"
            " returning id, report_id",
            *args,
            kind,
            amount,
            costs,
            account,
        )
        payment_id, report_id = row["id"], row["report_id"]
        if documents:
            await GrantPaymentAttachment.insert(
                *(
                    GrantPaymentAttachment(
                        tenant_id=current.tenant_id,
                        payment_id=payment_id,
                        name=d.name.strip(),
                        media_type=d.media_type,
                        size=len(d.content),
                        sha256=hashlib.sha256(d.content).digest(),
                        content=d.content,
                    )
                    for d in documents
                )
            )
    where = {"lead_municipality_id": current.tenant_id, "application_id": application_id}
    await emit("grants.payment_requested", {**where, "payment_id": payment_id})
    await emit("grants.report_submitted", {**where, "report_id": report_id})
    return payment_id


def _balance(current: TilsegnView) -> rules.Balance:
    return rules.balance(
        current.granted_amount, [rules.Line(p.kind, p.state, p.amount) for p in current.payments]
    )


# --- the municipality's decisions ----------------------------------------------------------------


async def decide_payment(
    payment_id: int, *, outcome: str, reason: str = "", actor_person_id: int | None
) -> str:
    """Approve, pay or reject a request (a rejection with its reason); pay a clawback's repayment."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    if outcome not in set(rules.OUTCOMES):
        raise InvalidInput("grant_payment_outcome", N_("Choose to approve, pay or reject."))
    row = await (
        GrantPaymentRequest.select(GrantPaymentRequest.state, GrantPaymentRequest.application_id)
        .where((GrantPaymentRequest.tenant_id == tenant()) & (GrantPaymentRequest.id == payment_id))
        .lock_rows()
        .first()
    )
    if row is None:
        raise PaymentNotFound()
    if not rules.may_move(row["state"], outcome):
        raise PaymentStep()
    if outcome == PaymentState.REJECTED:
        reason = required_text(reason, "reason", 10_000)
    with money_refusals():
        # SQL here: the step decides which columns change (its case expressions), stamped by
        # the statement's clock (clock_timestamp()), which infra.columns gives Piccolo only as a
        # default.
        await connection().execute(
            "update grant_payment_request set state = $2,"
            " reason = case when $2 = 'rejected' then $3 else reason end,"
            " decided_by = case when $2 = 'paid' then decided_by else $4 end,"
            " decided_at = case when $2 = 'paid' then decided_at else clock_timestamp() end,"
            " paid_by = case when $2 = 'paid' then $4 end,"
            " paid_at = case when $2 = 'paid' then clock_timestamp() end"
            " where tenant_id = app_tenant_id() and id = $1",
            payment_id,
            outcome,
            reason or None,
            actor_person_id,
        )
    await record_change(
        actor_person_id=actor_person_id,
        action=f"payment_{outcome}",
        entity="grant_payment_request",
        entity_id=payment_id,
        old_values={"state": row["state"]},
        new_values={"state": outcome, **({"reason": reason} if reason else {})},
    )
    await emit(
        f"grants.payment_{outcome}",
        {"payment_id": payment_id, "application_id": row["application_id"]},
    )
    return outcome


async def record_clawback(
    application_id: int, *, amount: Decimal, reason: str, actor_person_id: int | None
) -> int:
    """Claw back part of what was paid: a negative line, approved at once, paid when repaid."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    reason = required_text(reason, "reason", 10_000)
    current = await tilsegn_under_lock(application_id, as_applicant=False)
    lifecycle.check_clawback(current.tilsegn_state)
    line = -abs(amount)
    rules.check_request(PaymentKind.CLAWBACK, line, _balance(current))
    with money_refusals():
        payment_id = await insert_row(
            GrantPaymentRequest(
                tenant_id=tenant(),
                application_id=application_id,
                organisation_id=current.organisation_id,
                kind=PaymentKind.CLAWBACK,
                amount=line,
                state=PaymentState.APPROVED,
                reason=reason,
                requested_by=actor_person_id,
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="clawback",
        entity="grant_payment_request",
        entity_id=payment_id,
        new_values={"application_id": application_id, "amount": line, "reason": reason},
    )
    await emit(
        "grants.clawback_recorded", {"payment_id": payment_id, "application_id": application_id}
    )
    return payment_id
