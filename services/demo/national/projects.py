"""Fifty thousand PLP projects: each with its funding decision, the sub-projects it has gone
through (closed, with their reports), the go decision between each two, and where it stands
now — running, waiting for its owner's decision (some of them overdue), or stopped and closed.
A few are regional, shared with members of the lead's region by cost shares that make 100 %.
Written with the columns create_project and the decision use-cases write, per municipality."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from services.demo.national import World, names
from services.demo.national.bulk import insert_rows
from services.projects.rules import PHASE_ORDER
from tenants.context import Scope, tenant_tx

PHASES = [p.value for p in PHASE_ORDER]
PREFIX = {"forstudie": "Forstudie", "forprosjekt": "Forprosjekt",
          "hovudprosjekt": "Hovudprosjekt", "drift": "Drift"}  # fmt: skip
BUDGET = {"forstudie": (100, 500), "forprosjekt": (300, 1500), "hovudprosjekt": (1000, 10000),
          "drift": (500, 3000)}  # fmt: skip

PROJECT = {"tenant_id": "bigint", "title": "text", "description": "text", "programme_id": "bigint",
           "strategy_area_id": "bigint", "region_id": "bigint", "owner_person_id": "bigint",
           "owner_name": "text", "sponsor_name": "text", "manager_name": "text", "phase": "text",
           "status": "text", "approved_budget": "numeric", "created_at": "timestamptz",
           "closed_at": "timestamptz"}  # fmt: skip
DECISION = {"tenant_id": "bigint", "project_id": "bigint", "after_phase": "text",
            "next_phase": "text", "due_date": "date", "outcome": "text", "basis": "text",
            "approved_budget": "numeric", "decided_on": "date", "decided_by": "bigint",
            "decided_as": "text", "recorded_at": "timestamptz"}  # fmt: skip
SUB_PROJECT = {"tenant_id": "bigint", "project_id": "bigint", "phase": "text", "state": "text",
               "mandate": "text", "plan": "text", "budget": "numeric",
               "approved_budget": "numeric", "go_decision_id": "bigint", "period_start": "date",
               "period_end": "date", "closing_report": "text",
               "closed_at": "timestamptz"}  # fmt: skip


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def shares(lead_share: int, others: int) -> list[int]:
    """The lead's share, then the others' whole-number shares: together exactly 100."""
    rest = 100 - lead_share
    each = [rest // others] * others
    each[0] += rest - sum(each)
    return [lead_share, *each]


def plan_project(rng, today: date) -> dict:
    """One project's course: its phases so far with their dates, and where it stands now."""
    started = today - timedelta(days=rng.randint(0, 3650))
    first = 0 if rng.random() < 0.8 else 1
    phases, day = [], started
    for index in range(first, len(PHASES)):
        length = rng.randint(90, 330)
        phases.append((PHASES[index], day, day + timedelta(days=length)))
        day += timedelta(days=length + rng.randint(10, 40))
        if day >= today or rng.random() < 0.35:
            break
    last, _, last_end = phases[-1]
    if last_end >= today:
        status = "active"
    else:
        status = rng.choice(("closed", "closed", "awaiting_decision", "active"))
    if status == "awaiting_decision" and last == "drift":
        status = "closed"
    return {"started": started, "phases": phases, "status": status}


async def load(world: World) -> None:
    rng = world.rng_for("projects")
    weights = [rng.uniform(0.5, 1.5) for _ in world.places]
    scale = sum(weights)
    total = world.scale.projects
    plan = [round(total * w / scale) for w in weights]
    plan[0] += total - sum(plan)
    bar = world.progress("projects", total)
    for place, count in zip(world.places, plan, strict=True):
        async with tenant_tx(Scope(tenant_id=place.id, person_id=place.admin_id)):
            await _projects_of(world, rng, place, count)
        bar.advance(count)
    bar.close()


async def _projects_of(world: World, rng, place, count: int) -> None:
    today = world.today
    programme = world.programmes.get(place.id)
    neighbours = [m for m in world.region_members.get(place.region_id, []) if m != place.id]
    courses, rows, participants = [], [], []
    for seq in range(count):
        course = plan_project(rng, today)
        phase, _, _ = course["phases"][-1]
        budgets = {p: Decimal(rng.randint(*BUDGET[p]) * 1000) for p, _, _ in course["phases"]}
        linked = programme is not None and rng.random() < 0.7
        regional = bool(neighbours) and rng.random() < 0.02
        closed_at = _at(course["phases"][-1][2]) if course["status"] == "closed" else None
        topic = names.PROJECT_TOPICS[rng.randrange(len(names.PROJECT_TOPICS))]
        title = (
            f"{PREFIX[course['phases'][0][0]]}: {topic} {place.name}"
            f" ({course['started'].year}-{seq + 1:03d})"
        )
        rows.append((
            place.id, title, f"{topic} i {place.name}.",
            programme[0] if linked else None,
            rng.choice(programme[1]) if linked else None,
            place.region_id if regional else None,
            place.admin_id, "Kommunedirektøren", "Næringssjefen", "Prosjektleiar",
            phase, course["status"], budgets[phase], _at(course["started"]), closed_at,
        ))  # fmt: skip
        courses.append((title, course, budgets))
        if regional:
            others = rng.sample(neighbours, min(len(neighbours), rng.randint(1, 3)))
            participants.append(
                (title, [place.id, *others], shares(rng.choice((40, 50)), len(others)))
            )
    ids = {
        r["title"]: r["id"]
        for r in await insert_rows("project", PROJECT, rows, returning="id, title")
    }
    decisions = [d for title, course, budgets in courses
                 for d in _decisions(rng, place, ids[title], course, budgets, today)]  # fmt: skip
    made = await insert_rows("decision_point", DECISION, decisions,
                             returning="id, project_id, next_phase, outcome")  # fmt: skip
    starts = {(d["project_id"], d["next_phase"]): d["id"] for d in made
              if d["outcome"] in ("go", "go_with_conditions")}  # fmt: skip
    subs = []
    for title, course, budgets in courses:
        project_id = ids[title]
        for index, (phase, begun, ends) in enumerate(course["phases"]):
            running = index == len(course["phases"]) - 1 and course["status"] == "active"
            subs.append((
                place.id, project_id, phase, "active" if running else "closed",
                f"Mandat for {phase}", f"Plan for {phase}", budgets[phase], budgets[phase],
                starts[(project_id, phase)], begun, ends,
                None if running else f"Sluttrapport {phase}", None if running else _at(ends),
            ))  # fmt: skip
    await insert_rows("sub_project", SUB_PROJECT, subs)
    await insert_rows(
        "project_participant",
        {
            "tenant_id": "bigint",
            "project_id": "bigint",
            "municipality_id": "bigint",
            "cost_share": "numeric",
        },  # fmt: skip
        [
            (place.id, ids[title], member, Decimal(share))
            for title, members, cost in participants
            for member, share in zip(members, cost, strict=True)
        ],
    )
    world.counts["regional_projects"] = world.counts.get("regional_projects", 0) + len(participants)


def _decisions(rng, place, project_id, course, budgets, today) -> list[tuple]:
    """The funding decision, each go between two sub-projects, and the one it waits for or stopped at."""
    phases = course["phases"]
    first, started, _ = phases[0]
    rows = [(place.id, project_id, None, first, started, "go", "Finansieringsvedtak",
             budgets[first], started, place.admin_id, None, _at(started))]  # fmt: skip
    for (done, _, _), (following, begun, _) in zip(phases, phases[1:], strict=False):
        outcome = "go" if rng.random() < 0.85 else "go_with_conditions"
        rows.append((place.id, project_id, done, following, begun, outcome,
                     "Vedtak i styringsgruppa", budgets[following], begun, place.admin_id,
                     "prosjekteigar", _at(begun)))  # fmt: skip
    last, _, ended = phases[-1]
    following = PHASES[PHASES.index(last) + 1] if last != "drift" else None
    due = ended + timedelta(days=rng.randint(-60, 120))
    if course["status"] == "awaiting_decision":
        rows.append((place.id, project_id, last, following, due, None, "", None, None, None,
                     None, None))  # fmt: skip
    elif course["status"] == "closed":
        decided = min(ended + timedelta(days=14), today)
        rows.append((place.id, project_id, last, following, decided, "stop",
                     "Prosjektet er avslutta", None, decided, place.admin_id, "prosjekteigar",
                     _at(decided)))  # fmt: skip
    return rows
