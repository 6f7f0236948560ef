"""Twenty thousand tenders over ten years, and two hundred thousand bids sealed as submit_bid
seals them (services/tendering/sealing.py: AES-GCM under the tender's derived key, the SHA-256
receipt of the same bytes).

The tenders go in as each municipality, with the columns create_tender writes and the states and
stamps their course left. The bids on the tenders open today go in as each bidding
organisation, through the bid guard, which stamps them with the database's clock. The bids on
tenders whose deadline has passed cannot pass that guard today, so they go in as the schema
owner in one transaction with the guard off (bulk.history_writer), received before their
deadline, and opened: the plain columns hold what unsealing the sealed content gives.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from services.demo.national import World, names
from services.demo.national.bulk import history_writer, insert_rows
from services.tendering.rules import required_notice
from services.tendering.sealing import SealedBid, receipt_digest, seal, unseal_row
from tenants.context import Scope, tenant_tx

CRITERIA = (
    (("Kvalitet", 60, False), ("Pris", 40, True)),
    (("Kvalitet", 50, False), ("Kompetanse", 20, False), ("Pris", 30, True)),
    (("Gjennomføring", 40, False), ("Pris", 60, True)),
)
REQUIREMENTS = json.dumps(["Skatteattest", "Firmaattest", "Relevant erfaring"])
# Where each tender's course ends, and how often; the open and the draft ones are today's.
ENDS = (("draft", 3), ("published", 10), ("cancelled", 4), ("unsuccessful", 2), ("opened", 4),
        ("evaluated", 4), ("award_notified", 3), ("standstill", 3), ("contract_signed", 17),
        ("completed", 50))  # fmt: skip
COURSE = ("published", "bids_closed", "opened", "evaluated", "award_notified", "standstill",
          "contract_signed", "completed")  # fmt: skip
STAMPS = {"published": "published_at", "bids_closed": "bids_closed_at", "opened": "opened_at",
          "evaluated": "evaluated_at", "award_notified": "award_notified_at",
          "contract_signed": "contract_signed_at", "completed": "completed_at"}  # fmt: skip
TENDER = {"tenant_id": "bigint", "title": "text", "description": "text",
          "estimated_value": "numeric", "notice": "text", "award_criteria": "jsonb",
          "qualification_requirements": "jsonb", "questions_deadline": "timestamptz",
          "bid_deadline": "timestamptz", "state": "text", "created_by": "bigint",
          "created_at": "timestamptz", "published_at": "timestamptz",
          "bids_closed_at": "timestamptz", "opened_at": "timestamptz",
          "evaluated_at": "timestamptz", "award_notified_at": "timestamptz",
          "standstill_ends_at": "timestamptz", "contract_signed_at": "timestamptz",
          "completed_at": "timestamptz", "cancelled_at": "timestamptz",
          "cancellation_reason": "text"}  # fmt: skip
BID_COLUMNS = ("tenant_id", "tender_id", "organisation_id", "submitted_by", "idempotency_key",
               "received_at", "receipt_sha256", "sealed_content", "documents_version", "price",
               "answers", "documents", "valid", "qualified", "total_score", "rank")  # fmt: skip


def course(rng, now: datetime) -> dict:
    """One tender's dates and the state its course has reached by now."""
    end = rng.choices([e for e, _ in ENDS], [w for _, w in ENDS])[0]
    if end in ("draft", "published"):
        deadline = now + timedelta(days=rng.randint(2, 60), minutes=rng.randint(0, 1439))
        created = now - timedelta(days=rng.randint(1, 20))
        return {
            "state": end,
            "created_at": created,
            "bid_deadline": deadline,
            "published_at": created + timedelta(hours=2) if end == "published" else None,
        }
    created = now - timedelta(days=rng.randint(90, 3650), minutes=rng.randint(0, 1439))
    published = created + timedelta(days=1)
    deadline = published + timedelta(days=rng.randint(21, 35))
    stamps = {"state": "published", "created_at": created, "published_at": published,
              "bid_deadline": deadline}  # fmt: skip
    if end == "cancelled":
        stamps |= {"state": "cancelled", "cancelled_at": published + timedelta(days=5),
                   "cancellation_reason": "Behovet fall bort."}  # fmt: skip
        return stamps
    if end == "unsuccessful":
        return stamps | {"state": "unsuccessful", "bids_closed_at": deadline}
    day = deadline
    steps = {"bids_closed": 0, "opened": 1, "evaluated": 7, "award_notified": 5, "standstill": 0,
             "contract_signed": 12, "completed": rng.randint(90, 300)}  # fmt: skip
    for state in COURSE[1 : COURSE.index(end) + 1]:
        day += timedelta(days=steps[state])
        if day > now:
            break
        stamps["state"] = state
        if state in STAMPS:
            stamps[STAMPS[state]] = day
        if state == "award_notified":
            stamps["standstill_ends_at"] = day + timedelta(days=10)
    return stamps


def bid_counts(rng, tenders: int, bids: int, most: int) -> list[int]:
    """How many bids each of `tenders` gets: about the mean each, `bids` in all."""
    mean = bids / max(tenders, 1)
    counts = [max(1, min(most, round(rng.uniform(0.4, 1.6) * mean))) for _ in range(tenders)]
    step, index = (1 if sum(counts) < bids else -1), 0
    while sum(counts) != bids and tenders:
        if 1 <= counts[index] + step <= most:
            counts[index] += step
        index = (index + 1) % tenders
    return counts


async def load(world: World) -> None:
    rng = world.rng_for("tenders")
    weights = [rng.uniform(0.5, 1.5) for _ in world.places]
    plan = [round(world.scale.tenders * w / sum(weights)) for w in weights]
    plan[0] += world.scale.tenders - sum(plan)
    bar = world.progress("tenders", world.scale.tenders)
    tenders = []  # (tenant_id, tender_id, course, criteria, value)
    for place, count in zip(world.places, plan, strict=True):
        rows, courses = [], []
        for seq in range(count):
            c = course(rng, world.now)
            criteria = rng.choice(CRITERIA)
            value = Decimal(rng.choice((rng.randint(50, 99), rng.randint(100, 1299),
                                        rng.randint(1300, 5000))) * 1000)  # fmt: skip
            topic = names.TENDER_TOPICS[rng.randrange(len(names.TENDER_TOPICS))]
            title = f"{topic} {place.name} ({c['created_at'].year}/{seq + 1:03d})"
            rows.append((
                place.id, title, f"{topic} for {place.name} kommune.", value,
                required_notice(value).value,
                json.dumps([{"name": n, "weight": w, "is_price": p} for n, w, p in criteria]),
                REQUIREMENTS, c["bid_deadline"] - timedelta(days=7), c["bid_deadline"],
                c["state"], place.officer_id, c["created_at"], c.get("published_at"),
                c.get("bids_closed_at"), c.get("opened_at"), c.get("evaluated_at"),
                c.get("award_notified_at"), c.get("standstill_ends_at"),
                c.get("contract_signed_at"), c.get("completed_at"), c.get("cancelled_at"),
                c.get("cancellation_reason"),
            ))  # fmt: skip
            courses.append((title, c, criteria, value))
        async with tenant_tx(Scope(tenant_id=place.id, person_id=place.officer_id)):
            made = await insert_rows("tender", TENDER, rows, returning="id, title")
        ids = {r["title"]: r["id"] for r in made}
        tenders += [(place.id, ids[t], c, crit, v) for t, c, crit, v in courses]
        bar.advance(count)
    bar.close()
    await _bids(world, rng, tenders)


def _content(rng, world: World, tenant_id, tender_id, business, criteria, value) -> SealedBid:
    price = (value * Decimal(rng.uniform(0.7, 1.2))).quantize(Decimal(1000))
    return SealedBid(
        tenant_id=tenant_id,
        tender_id=tender_id,
        organisation_id=business[0],
        idempotency_key=f"national-{tender_id}-{rng.getrandbits(64):016x}",
        price=max(price, Decimal(1000)),
        answers={n: f"Vårt svar på {n.lower()}." for n, _, is_price in criteria if not is_price},
    )


async def _bids(world: World, rng, tenders: list) -> None:
    taking = [t for t in tenders if t[2]["state"] not in ("draft", "cancelled", "unsuccessful")]
    counts = bid_counts(rng, len(taking), world.scale.bids, len(world.businesses))
    bar = world.progress("sealing bids", world.scale.bids)
    today_by_org: dict[int, list[tuple]] = {}
    history: list[tuple] = []
    for (tenant_id, tender_id, c, criteria, value), n in zip(taking, counts, strict=True):
        bidders = rng.sample(world.businesses, n)
        scores = sorted((rng.uniform(40, 100) for _ in bidders), reverse=True)
        for rank, business in enumerate(bidders, start=1):
            content = _content(rng, world, tenant_id, tender_id, business, criteria, value)
            sealed = seal(world.sealing_key, content)
            row = (tenant_id, tender_id, business[0], business[2], content.idempotency_key,
                   receipt_digest(content), sealed)  # fmt: skip
            if c["state"] == "published":
                today_by_org.setdefault(business[0], []).append(row)
            else:
                history.append(_opened(rng, world, row, c, rank, scores[rank - 1]))
        bar.advance(n)
    bar.close()
    bar = world.progress("bids now", len(today_by_org))
    for organisation_id, rows in today_by_org.items():
        async with tenant_tx(Scope(organisation_id=organisation_id, person_id=rows[0][3])):
            await insert_rows(
                "bid",
                {
                    "tenant_id": "bigint",
                    "tender_id": "bigint",
                    "organisation_id": "bigint",
                    "submitted_by": "bigint",
                    "idempotency_key": "text",
                    "receipt_sha256": "bytea",
                    "sealed_content": "bytea",
                },  # fmt: skip
                [(*row,) for row in rows],
            )
        bar.advance()
    bar.close()
    bar = world.progress("bids history", len(history))
    async with history_writer(world.settings, {"bid": ["bid_guard"]}) as owner:
        for start in range(0, len(history), 20_000):
            chunk = history[start : start + 20_000]
            await owner.copy_records_to_table("bid", records=chunk, columns=BID_COLUMNS)
            bar.advance(len(chunk))
        # The award went to the best-ranked bid, as notify_award records it.
        await owner.execute(
            "update tender t set winning_bid_id = b.id from bid b"
            " where b.tenant_id = t.tenant_id and b.tender_id = t.id and b.rank = 1"
            " and t.award_notified_at is not null"
        )
    bar.close()


def _opened(rng, world: World, row: tuple, c: dict, rank: int, score: float) -> tuple:
    """A bid of a tender past its deadline: received before it, and opened (once it was)."""
    tenant_id, tender_id, organisation_id, person, key, digest, sealed = row
    window = (c["bid_deadline"] - c["published_at"]).total_seconds()
    received = c["published_at"] + timedelta(seconds=rng.uniform(0, window - 1))
    if c.get("opened_at") is None:
        plain = (None, None, None, None, None, None, None)
    else:
        opened = unseal_row(world.sealing_key, {
            "sealed_content": sealed, "tenant_id": tenant_id, "tender_id": tender_id,
            "organisation_id": organisation_id, "idempotency_key": key})  # fmt: skip
        evaluated = c.get("evaluated_at") is not None
        plain = (
            opened.price,
            json.dumps(opened.answers),
            "[]",
            True,
            True if evaluated else None,
            Decimal(f"{score:.4f}") if evaluated else None,
            rank if evaluated else None,
        )
    return (tenant_id, tender_id, organisation_id, person, key, received, digest, sealed, 1,
            *plain)  # fmt: skip
