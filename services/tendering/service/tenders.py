"""Tenders from draft to bids closed: create, documents, publish, questions, close, cancel, list."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from services.errors import N_, DomainError, InvalidInput, refuse_all
from services.outbox.service import emit
from services.tendering.errors import (
    DeadlineNotPassed,
    DocumentNotFound,
    InvalidTenderInput,
    InvalidTenderState,
    QuestionNotFound,
    QuestionsDeadlinePassed,
)
from services.tendering.roles import MANAGERS
from services.tendering.rules import (
    TenderState,
    check_document,
    deadline_after_change,
    deadline_refusals,
    required_notice,
    validate_award_criteria,
)
from services.tendering.schemas import (
    ClarificationView,
    DocumentChange,
    DocumentView,
    PublicTenderView,
    QuestionView,
    TenderDraft,
    TenderView,
)
from services.tendering.service._common import (
    audit,
    db_now,
    load_public_tender,
    load_tender,
    lock_bids,
    move_tender,
    require_member,
    require_organisation_member,
    tender_view,
)
from services.tendering.tables import Tender, TenderClarification, TenderDocument, TenderQuestion
from tenants.context import connection, fetch_structs
from tenants.rows import insert_row, tenant


def _check_text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidTenderInput(
            f"{field}_required", N_("Fill in this field (not too long)."), field=field
        )
    return value


def _value(estimated_value: Decimal | int | str) -> Decimal:
    try:
        return Decimal(estimated_value)
    except (InvalidOperation, TypeError):
        raise InvalidTenderInput(
            "estimated_value_invalid", N_("Write the value in NOK."), field="estimated_value"
        ) from None


class _Checked:
    """A tender's editable fields, checked once for create and update alike; every refused
    field at once, and deadlines in the past refused already in a draft."""

    def __init__(self, draft: TenderDraft, *, now: datetime) -> None:
        refusals: dict[str, DomainError] = {}

        def check(field: str, judge):
            try:
                return judge()
            except InvalidInput as refusal:
                refusals.setdefault(refusal.field or field, refusal)
                return None

        self.title = check("title", lambda: _check_text(draft.title, "title", 300))
        self.value = check("estimated_value", lambda: _value(draft.estimated_value))
        self.notice = self.value is not None and check(
            "estimated_value", lambda: required_notice(self.value)
        )
        criteria = list(draft.award_criteria)
        check("award_criteria", lambda: validate_award_criteria(criteria))
        self.criteria = [
            {"name": c.name.strip(), "weight": c.weight, "is_price": c.is_price} for c in criteria
        ]
        self.requirements = [r.strip() for r in draft.qualification_requirements if r.strip()]
        deadlines = deadline_refusals(draft.questions_deadline, draft.bid_deadline, now)
        for field, refusal in deadlines.items():
            refusals.setdefault(field, refusal)
        refuse_all(refusals)
        self.description = draft.description.strip()
        self.questions_deadline, self.bid_deadline = draft.questions_deadline, draft.bid_deadline

    @property
    def values(self) -> dict:
        """The tender's editable columns, with their checked values."""
        return {
            Tender.title: self.title,
            Tender.description: self.description,
            Tender.estimated_value: self.value,
            Tender.notice: self.notice.value,
            Tender.award_criteria: self.criteria,
            Tender.qualification_requirements: self.requirements,
            Tender.questions_deadline: self.questions_deadline,
            Tender.bid_deadline: self.bid_deadline,
        }

    def audited(self, row) -> dict:
        return {
            "title": self.title,
            "estimated_value": str(self.value),
            "notice": self.notice.value,
            "award_criteria": json.loads(row["award_criteria"]),
            "requirements": self.requirements,
            "questions_deadline": self.questions_deadline.isoformat(),
            "bid_deadline": self.bid_deadline.isoformat(),
        }


async def create_tender(draft: TenderDraft, *, actor_person_id: int) -> TenderView:
    """A draft tender of the transaction's municipality; nobody outside it sees a draft."""
    await require_member(actor_person_id, MANAGERS)
    t = _Checked(draft, now=await db_now())
    [row] = await Tender.insert(
        Tender({**t.values, Tender.tenant_id: tenant(), Tender.created_by: actor_person_id})
    ).returning(*Tender.all_columns())
    await audit("created", row["id"], actor_person_id, t.audited(row))
    return tender_view(row)


async def update_tender(tender_id: int, draft: TenderDraft, *, actor_person_id: int) -> TenderView:
    """Change a draft; once published a tender changes only by its documents (which bidders
    are told to reconfirm against), so a published one is refused."""
    await require_member(actor_person_id, MANAGERS)
    tender = await load_tender(tender_id, lock=True)
    if tender["state"] != TenderState.DRAFT:
        raise InvalidTenderState(tender["state"])
    t = _Checked(draft, now=await db_now())
    [row] = (
        await Tender.update(t.values)
        .where(
            (Tender.tenant_id == tenant())
            & (Tender.id == tender_id)
            & (Tender.state == TenderState.DRAFT)
        )
        .returning(*Tender.all_columns())
    )
    await audit("edited", tender_id, actor_person_id, t.audited(row))
    return tender_view(row)


async def publish_tender(tender_id: int, *, actor_person_id: int) -> TenderView:
    """Draft → published; both deadlines must still lie ahead on the database's clock."""
    await require_member(actor_person_id, MANAGERS)
    tender = await load_tender(tender_id, lock=True)
    refuse_all(
        deadline_refusals(tender["questions_deadline"], tender["bid_deadline"], await db_now())
    )
    row = await move_tender(
        tender, TenderState.PUBLISHED, actor_person_id=actor_person_id, stamp="published_at"
    )
    await emit("tendering.published", {"tender_id": tender_id})
    return tender_view(row)


async def add_document(
    tender_id: int, *, actor_person_id: int, name: str, media_type: str, content: bytes
) -> DocumentChange:
    """Add a document; once published, a change raises the documents version (every bid in
    must be reconfirmed) and a change late in the period moves the deadline."""
    await require_member(actor_person_id, MANAGERS)
    check_document(name, media_type, content)
    tender = await load_tender(tender_id, lock=True)
    version, deadline, moved = tender["documents_version"], tender["bid_deadline"], False
    if tender["state"] == TenderState.PUBLISHED:
        await lock_bids(tender["tenant_id"], tender_id)  # bids in flight land before the change
        deadline = deadline_after_change(await db_now(), tender["bid_deadline"])
        moved, version = deadline != tender["bid_deadline"], version + 1
        await Tender.update(
            {Tender.documents_version: version, Tender.bid_deadline: deadline}
        ).where((Tender.tenant_id == tenant()) & (Tender.id == tender_id))
    elif tender["state"] != TenderState.DRAFT:
        raise InvalidTenderState(tender["state"])
    document_id = await insert_row(
        TenderDocument(
            tenant_id=tenant(),
            tender_id=tender_id,
            name=name.strip(),
            media_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).digest(),
            content=content,
            documents_version=version,
        )
    )
    await audit(
        "document_added",
        tender_id,
        actor_person_id,
        {
            "document_id": document_id,
            "name": name.strip(),
            "sha256": hashlib.sha256(content).hexdigest(),
            "documents_version": version,
            "bid_deadline": deadline.isoformat(),
            "deadline_moved": moved,
        },
    )
    if tender["state"] == TenderState.PUBLISHED:
        await emit(
            "tendering.documents_changed",
            {"tender_id": tender_id, "documents_version": version, "deadline_moved": moved},
        )
    return DocumentChange(document_id, version, deadline, moved)


async def documents(tender_id: int) -> list[DocumentView]:
    """A tender's documents: the municipality's own (drafts too), anyone's once published."""
    columns = "id, name, media_type, size, encode(sha256, 'hex') as sha256, documents_version,"
    return await fetch_structs(
        DocumentView,
        f"select {columns} added_at from tender_document where tender_id = $1 order by id",
        tender_id,
    ) or await connection().fetch(
        f"select {columns} added_at from public_tender_documents($1) order by id", tender_id
    )


async def document_content(tender_id: int, document_id: int) -> bytes:
    content = await connection().fetchval(
        "select content from tender_document where tender_id = $1 and id = $2",
        tender_id,
        document_id,
    ) or await connection().fetchval(
        "select content from public_tender_documents($1) where id = $2", tender_id, document_id
    )
    if content is None:
        raise DocumentNotFound()
    return content


async def get_tender(tender_id: int) -> TenderView:
    """A tender as the transaction sees it: its municipality any, everyone else once published."""
    row = await connection().fetchrow("select * from tender where id = $1", tender_id)
    if row is None:
        return tender_view(await load_public_tender(tender_id))  # raises TenderNotFound
    return tender_view(row)


async def tenders_of_municipality(
    states: Sequence[str] | None = None,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> list[TenderView]:
    """The municipality's tenders, newest first; a page is `limit` of them from just past
    `after`, the (created_at, id) of the last row of the page before."""
    created, tender_id = after if after else (None, None)
    rows = await connection().fetch(
        "select * from tender where tenant_id = app_tenant_id()"
        " and ($1::text[] is null or state = any($1))"
        " and ($2::timestamptz is null or (created_at, id) < ($2, $3::bigint))"
        " order by created_at desc, id desc limit $4",
        list(states) if states else None,
        created,
        tender_id,
        limit,
    )
    return [tender_view(r) for r in rows]


# The published tenders of every municipality that the list's filters keep: $1 the states,
# $2 a kommunenummer, $3 a region's slug, $4 and $5 the span of the bid deadline.
_PUBLISHED_FILTERED = """
        from public_tenders() t join municipality m on m.id = t.tenant_id
        where t.state <> 'draft' and t.state = any($1::text[])
          and ($2::text is null or m.kommunenummer = $2)
          and ($3::text is null or exists (
                select 1 from region_member rm join region r on r.id = rm.region_id
                where rm.municipality_id = t.tenant_id and r.slug = $3))
          and ($4::timestamptz is null or t.bid_deadline >= $4)
          and ($5::timestamptz is null or t.bid_deadline < $5)"""


async def published_tenders(
    *,
    kommunenummer: str | None = None,
    region_slug: str | None = None,
    deadline_from: datetime | None = None,
    deadline_before: datetime | None = None,
    states: Sequence[str] = (TenderState.PUBLISHED,),
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
    latest_award_first: bool = False,
) -> list[PublicTenderView]:
    """Published tenders of every municipality, for anyone, logged in or not, by deadline
    (with `latest_award_first`, the latest award notice first: the awards' list).

    A page of them: `limit` rows from just past `after`, the (deadline, id) of the last row
    of the page before (a keyset: every page costs the same, however far into the list).
    """
    after_deadline, after_id = after if after else (None, None)
    rows = await connection().fetch(
        f"""
        select t.id, t.tenant_id, m.kommunenummer, m.name as municipality_name,
               array(select r.slug from region_member rm join region r on r.id = rm.region_id
                     where rm.municipality_id = t.tenant_id order by r.slug) as region_slugs,
               t.title, t.description, t.estimated_value, t.notice, t.state,
               t.questions_deadline, t.bid_deadline, t.published_at,
               t.award_outcome -> 'winner' ->> 'organisation_name' as winner_name,
               t.award_notified_at
        {_PUBLISHED_FILTERED}
          and ($6::timestamptz is null or (t.bid_deadline, t.id) > ($6, $7::bigint))
        order by case when $9 then t.award_notified_at end desc nulls last, t.bid_deadline, t.id
        limit $8
        """,
        [str(s) for s in states],
        kommunenummer,
        region_slug,
        deadline_from,
        deadline_before,
        after_deadline,
        after_id,
        limit,
        latest_award_first,
    )
    return [PublicTenderView(**{**dict(r), "region_slugs": list(r["region_slugs"])}) for r in rows]


async def count_published_tenders(
    *,
    kommunenummer: str | None = None,
    region_slug: str | None = None,
    deadline_from: datetime | None = None,
    deadline_before: datetime | None = None,
    states: Sequence[str] = (TenderState.PUBLISHED,),
) -> int:
    """How many tenders published_tenders lists with these filters, on all its pages."""
    return await connection().fetchval(
        f"select count(*) {_PUBLISHED_FILTERED}",
        [str(s) for s in states],
        kommunenummer,
        region_slug,
        deadline_from,
        deadline_before,
    )


async def due_for_closing() -> list[tuple[int, int]]:
    """(tenant_id, tender_id) of published tenders whose deadline has passed, in every
    municipality: the scheduler closes each in a transaction of its tenant."""
    rows = await connection().fetch(
        "select tenant_id, id from public_tenders() where state = 'published'"
        " and bid_deadline <= clock_timestamp() order by bid_deadline"
    )
    return [(r["tenant_id"], r["id"]) for r in rows]


async def close_bids(tender_id: int, *, actor_person_id: int | None = None) -> TenderView:
    """Published → bids closed, once the database's clock has reached the deadline."""
    tender = await load_tender(tender_id, lock=True)
    return tender_view(await close_locked(tender, actor_person_id))


async def close_locked(tender, actor_person_id: int | None):
    if tender["state"] != TenderState.PUBLISHED:
        raise InvalidTenderState(tender["state"])
    await lock_bids(tender["tenant_id"], tender["id"])
    if await db_now() < tender["bid_deadline"]:
        raise DeadlineNotPassed()
    row = await move_tender(
        tender, TenderState.BIDS_CLOSED, actor_person_id=actor_person_id, stamp="bids_closed_at"
    )
    await emit("tendering.bids_closed", {"tender_id": tender["id"]})
    return row


async def cancel_tender(tender_id: int, *, actor_person_id: int, reason: str) -> TenderView:
    """Cancelled, with a reason, from any state before the contract is signed."""
    await require_member(actor_person_id, MANAGERS)
    tender = await load_tender(tender_id, lock=True)
    row = await move_tender(
        tender,
        TenderState.CANCELLED,
        actor_person_id=actor_person_id,
        reason=reason,
        stamp="cancelled_at",
        extra={"cancellation_reason": (reason or "").strip()},
    )
    await emit("tendering.cancelled", {"tender_id": tender_id})
    return tender_view(row)


async def ask_question(tender_id: int, *, person_id: int, question: str) -> int:
    """A supplier's question, before the questions deadline (the database's clock).

    Not in the municipality's audit chain yet: it enters with its answer.
    """
    question = _check_text(question, "question", 4000)
    organisation_id = await require_organisation_member(person_id)
    tender = await load_public_tender(tender_id)
    open_now = await connection().fetchval(
        "select $1 = 'published' and clock_timestamp() < $2",
        tender["state"],
        tender["questions_deadline"],
    )
    if not open_now:
        raise QuestionsDeadlinePassed()
    return await insert_row(
        TenderQuestion(
            tenant_id=tender["tenant_id"],
            tender_id=tender_id,
            organisation_id=organisation_id,
            asked_by=person_id,
            question=question,
        )
    )


async def questions(tender_id: int) -> list[QuestionView]:
    """The municipality's questions of a tender, or an organisation's own."""
    return await fetch_structs(
        QuestionView,
        "select id, tender_id, organisation_id, question, asked_at, clarification_id"
        " from tender_question where tender_id = $1 order by asked_at, id",
        tender_id,
    )


async def answer_question(
    tender_id: int,
    *,
    actor_person_id: int,
    answer: str,
    question_id: int | None = None,
    question: str | None = None,
) -> ClarificationView:
    """Publish a question and its answer for every supplier, without who asked.

    `question` rewrites the asked text (to take out what names the asker); without a
    question_id it publishes a clarification nobody asked for.
    """
    await require_member(actor_person_id, MANAGERS)
    answer = _check_text(answer, "answer", 8000)
    tender = await load_tender(tender_id, lock=True)
    if tender["state"] != TenderState.PUBLISHED:
        raise InvalidTenderState(tender["state"])
    asked = None
    if question_id is not None:
        asked = (
            await TenderQuestion.select(TenderQuestion.question, TenderQuestion.asked_at)
            .where(
                (TenderQuestion.tenant_id == tenant())
                & (TenderQuestion.tender_id == tender_id)
                & (TenderQuestion.id == question_id)
            )
            .first()
        )
        if asked is None:
            raise QuestionNotFound()
    text = _check_text(question or (asked["question"] if asked else ""), "question", 4000)
    [row] = await TenderClarification.insert(
        TenderClarification(
            tenant_id=tenant(),
            tender_id=tender_id,
            question=text,
            answer=answer,
            answered_by=actor_person_id,
        )
    ).returning(
        TenderClarification.id,
        TenderClarification.tender_id,
        TenderClarification.question,
        TenderClarification.answer,
        TenderClarification.published_at,
    )
    if asked is not None:
        await TenderQuestion.update({TenderQuestion.clarification_id: row["id"]}).where(
            (TenderQuestion.tenant_id == tenant()) & (TenderQuestion.id == question_id)
        )
    await audit(
        "question_answered",
        tender_id,
        actor_person_id,
        {
            "clarification_id": row["id"],
            "question_id": question_id,
            "asked_at": asked["asked_at"].isoformat() if asked else None,
        },
    )
    await emit("tendering.clarification_published", {"tender_id": tender_id, "id": row["id"]})
    return ClarificationView(**row)


async def clarifications(tender_id: int) -> list[ClarificationView]:
    return await fetch_structs(
        ClarificationView,
        "select id, tender_id, question, answer, published_at from public_clarifications($1)"
        " order by published_at, id",
        tender_id,
    )
