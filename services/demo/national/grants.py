"""Grant funds, a call a year for ten years, and five thousand applications with balanced cost
and financing plans, assessed with rules.assess and granted or rejected.

Funds and calls go in as each municipality. Applications to this year's open calls go in as
the applying organisation and are submitted through the application guard (which stamps the
database's clock), as submit_application does. Applications to the calls of past years cannot
pass that guard today (the call is closed), so they go in as the schema owner in one
transaction with the guards off (bulk.history_writer), submitted and decided when they were.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from services.demo.national import World
from services.demo.national.bulk import history_writer, insert_rows
from services.grants.rules import FundRules, assess, receipt_digest
from services.grants.schemas import PlanLine
from tenants.context import Scope, connection, tenant_tx

GUARDS = {
    "grant_application": ["grant_application_guard"],
    "grant_cost_line": ["grant_cost_line_guard"],
    "grant_financing_line": ["grant_financing_line_guard"],
}
APPLICATION = {"tenant_id": "bigint", "call_id": "bigint", "organisation_id": "bigint",
               "created_by": "bigint", "title": "text", "summary": "text", "project": "text",
               "effects": "text"}  # fmt: skip
DECIDED = {**APPLICATION, "state": "text", "created_at": "timestamptz",
           "submitted_at": "timestamptz", "submitted_by": "bigint", "receipt_sha256": "bytea",
           "assessed_by": "bigint", "assessed_at": "timestamptz", "eligible_cost": "numeric",
           "requested_amount": "numeric", "grantable_amount": "numeric", "share": "numeric",
           "decided_by": "bigint", "decided_at": "timestamptz", "granted_amount": "numeric",
           "rejection_reason": "text", "conditions": "text", "reporting_deadline": "date",
           "recommendation": "text", "recommendation_reason": "text", "recommended_by": "bigint",
           "recommended_at": "timestamptz", "contact_email": "text",
           "contact_language": "text", "tilsegn_state": "text",
           "tilsegn_moved_at": "timestamptz"}  # fmt: skip
COST = {"tenant_id": "bigint", "application_id": "bigint", "position": "int",
        "description": "text", "amount": "numeric"}  # fmt: skip
FINANCING = {"tenant_id": "bigint", "application_id": "bigint", "position": "int",
             "source": "text", "description": "text", "amount": "numeric"}  # fmt: skip
COSTS = ("Innleigd kompetanse", "Eigne timar", "Utstyr", "Marknadsføring", "Reiser")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), UTC)


def plans(rng) -> tuple[list[PlanLine], list[PlanLine]]:
    """A cost plan and a financing plan that balance: this fund's part, the rest the applicant's."""
    costs = [PlanLine(d, Decimal(rng.randint(20, 400) * 1000))
             for d in rng.sample(COSTS, rng.randint(2, 4))]  # fmt: skip
    eligible = sum(c.amount for c in costs)
    asked = (eligible * Decimal(rng.choice((30, 40, 50, 55))) / 100).quantize(Decimal(1000))
    financing = [PlanLine("Søkt tilskot", asked, source="this_fund"),
                 PlanLine("Eigenfinansiering", eligible - asked, source="own")]  # fmt: skip
    return costs, financing


async def load(world: World) -> None:
    rng = world.rng_for("grants")
    calls = await _funds_and_calls(world, rng)
    open_calls = [c for c in calls if c[3] >= world.today]
    past_calls = [c for c in calls if c[3] < world.today]
    total = world.scale.applications
    now_count = min(total, round(total * 0.15)) if open_calls else 0
    bar = world.progress("applications", total)
    await _today(world, rng, open_calls, now_count, bar)
    await _history(world, rng, past_calls, total - now_count, bar)
    bar.close()


async def _funds_and_calls(world: World, rng) -> list[tuple]:
    """(tenant, call id, opens_on, closes_on, fund rules, officer) of every call made."""
    made = []
    year = world.today.year
    for index, place in enumerate(world.places):
        programme = world.programmes.get(place.id)
        if programme is None and index % 3:
            continue
        rules = FundRules(Decimal(50), Decimal(rng.choice((500, 1000))) * 1000, Decimal(200_000))
        async with tenant_tx(Scope(tenant_id=place.id, person_id=place.admin_id)):
            fund = await connection().fetchval(
                "insert into grant_fund (tenant_id, programme_id, strategy_area_id, name,"
                " max_share, max_amount, decision_limit, created_by)"
                " values (app_tenant_id(), $1, $2, $3, $4, $5, $6, $7) returning id",
                programme[0] if programme else None,
                programme[1][0] if programme else None,
                f"Næringsfond {place.name}",
                rules.max_share,
                rules.max_amount,
                rules.decision_limit,
                place.admin_id,
            )
            rows = []
            for y in range(year - world.scale.kpi_years + 1, year + 1):
                opens, closes = date(y, 1, 15), date(y, 10, 1)
                if y == year:
                    opens, closes = (
                        world.today - timedelta(days=60),
                        world.today + timedelta(days=30),
                    )
                rows.append((place.id, fund, f"Utlysing {y}", "Tilskot til næringsutvikling.",
                             opens, closes, place.admin_id))  # fmt: skip
            calls = await insert_rows(
                "grant_call",
                {
                    "tenant_id": "bigint",
                    "fund_id": "bigint",
                    "title": "text",
                    "description": "text",
                    "opens_on": "date",
                    "closes_on": "date",
                    "created_by": "bigint",
                },  # fmt: skip
                rows,
                returning="id, opens_on, closes_on",
            )
        made += [(place.id, c["id"], c["opens_on"], c["closes_on"], rules, place.officer_id)
                 for c in calls]  # fmt: skip
    return made


def _texts(rng, index: int) -> tuple[str, str, str, str]:
    return (
        f"Utvikling av ny verksemd (søknad {index:05d})",
        "Kort samandrag av prosjektet.",
        "Prosjektet utviklar eit nytt produkt for marknaden.",
        "Fleire arbeidsplassar.",
    )


def _receipt(call_id, organisation_id, texts, costs, financing) -> bytes:
    title, summary, project, effects = texts
    return receipt_digest({
        "call_id": call_id, "organisation_id": organisation_id, "title": title,
        "summary": summary, "project": project, "effects": effects,
        "costs": [[c.description, str(c.amount)] for c in costs],
        "financing": [[f.source, f.description, str(f.amount)] for f in financing],
        "attachments": [],
    })  # fmt: skip


async def _today(world: World, rng, calls, count: int, bar) -> None:
    """Applications to open calls, each written and submitted by its organisation's person."""
    for index in range(count):
        tenant_id, call_id, *_ = rng.choice(calls)
        organisation_id, _, person, _ = rng.choice(world.businesses)
        texts = _texts(rng, index)
        costs, financing = plans(rng)
        async with tenant_tx(Scope(organisation_id=organisation_id, person_id=person)):
            made = await insert_rows(
                "grant_application", APPLICATION,
                [(tenant_id, call_id, organisation_id, person, *texts)], returning="id",
            )  # fmt: skip
            key = made[0]["id"]
            await insert_rows(
                "grant_cost_line",
                COST,
                [(tenant_id, key, n, c.description, c.amount) for n, c in enumerate(costs)],
            )
            await insert_rows("grant_financing_line", FINANCING, [
                (tenant_id, key, n, f.source, f.description, f.amount)
                for n, f in enumerate(financing)])  # fmt: skip
            if rng.random() < 0.8:
                await connection().execute(
                    "update grant_application set state = 'submitted', submitted_by = $3,"
                    " receipt_sha256 = $4, (contact_email, contact_language) = (select email,"
                    " language from person where id = $3) where tenant_id = $1 and id = $2",
                    tenant_id, key, person,
                    _receipt(call_id, organisation_id, texts, costs, financing),
                )  # fmt: skip
        bar.advance()


async def _history(world: World, rng, calls, count: int, bar) -> None:
    rows, lines = [], {}
    for index in range(count):
        tenant_id, call_id, opens, closes, rules, officer = rng.choice(calls)
        organisation_id, _, person, email = rng.choice(world.businesses)
        texts = _texts(rng, 50_000 + index)
        costs, financing = plans(rng)
        created = opens + timedelta(days=rng.randint(0, (closes - opens).days))
        assessed = created + timedelta(days=rng.randint(5, 30))
        decided = assessed + timedelta(days=rng.randint(5, 30))
        a = assess(costs, financing, rules)
        state = rng.choices(("granted", "rejected", "in_assessment"), (60, 35, 5))[0]
        # Above the officials' limit the board decides, on the official's recommendation.
        board = a.board_decides and state != "in_assessment"
        rows.append((
            tenant_id, call_id, organisation_id, person, *texts, state, _at(created),
            _at(created), person, _receipt(call_id, organisation_id, texts, costs, financing),
            officer, _at(assessed), a.eligible_cost, a.requested, a.grantable, a.share,
            None if state == "in_assessment" else officer,
            None if state == "in_assessment" else _at(decided),
            a.grantable if state == "granted" and a.grantable > 0 else None,
            "Prosjektet fell utanfor retningslinene." if state == "rejected" else None,
            "Rapport ved prosjektslutt." if state == "granted" else "",
            decided + timedelta(days=365) if state == "granted" else None,
            state if board else None, "Tilrådd etter vurdering." if board else "",
            officer if board else None, _at(assessed) if board else None, email, "nb",
            # A generated tilsegn has had no payment yet: it stands active since its decision.
            "active" if state == "granted" else None,
            _at(decided) if state == "granted" else None,
        ))  # fmt: skip
        if state == "granted" and a.grantable <= 0:
            raise AssertionError("a generated plan asked for nothing")
        lines[texts[0]] = (tenant_id, costs, financing)
    async with history_writer(world.settings, GUARDS) as owner:
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            made = await owner.fetch(_unnest_sql("grant_application", DECIDED, "id, title"),
                                     *[list(c) for c in zip(*chunk, strict=True)])  # fmt: skip
            costs_rows, financing_rows = [], []
            for r in made:
                tenant_id, costs, financing = lines[r["title"]]
                costs_rows += [(tenant_id, r["id"], n, c.description, c.amount)
                               for n, c in enumerate(costs)]  # fmt: skip
                financing_rows += [(tenant_id, r["id"], n, f.source, f.description, f.amount)
                                   for n, f in enumerate(financing)]  # fmt: skip
            await owner.copy_records_to_table("grant_cost_line", records=costs_rows,
                                              columns=list(COST))  # fmt: skip
            await owner.copy_records_to_table("grant_financing_line", records=financing_rows,
                                              columns=list(FINANCING))  # fmt: skip
            bar.advance(len(chunk))


def _unnest_sql(table: str, columns: dict[str, str], returning: str) -> str:
    unnest = ", ".join(f"${i + 1}::{t}[]" for i, t in enumerate(columns.values()))
    return (f"insert into {table} ({', '.join(columns)}) select * from unnest({unnest})"
            f" returning {returning}")  # fmt: skip
