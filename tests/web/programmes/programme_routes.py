"""The programme set-up, action-plan and assessment routes' cases for tests/web/test_route_table.py:
CSRF attempts, and asks for another tenant's programmes, plans, KPIs and documents. The route
table wraps them in its own Attempt and Ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.programmes import service as programmes
from services.programmes.schemas import GoalInput, ScoreInput
from services.projects import documents
from services.tenancy import service as tenancy
from tenants.context import tenant_tx
from tests.web.browsing import OPERATOR, new_tenant
from tests.web.projects.plp_pages import Plp, new_plp

LIST = "/k/{kommunenummer:str}/programmes"
ONE = LIST + "/{programme_id:int}"
KPI = ONE + "/kpis/{kpi_id:int}"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PROGRAMME_TABLES = (
    "programme_member",
    "funding_line",
    "board_member",
    "strategy_area",
    "action_plan",
    "action_plan_goal",
    "action_plan_step",
    "status_assessment",
    "assessment_score",
)

# --- the world: B's programme (made by the route table's new_plp) gets a plan and an assessment --


async def _plan_and_assessment(plp: Plp) -> tuple[int, int, int]:
    area = plp.areas["Reiseliv"]
    async with tenant_tx(plp.scope()):
        plan = await programmes.create_action_plan(
            plp.programme_id, 2026, [GoalInput(area, "Mål")], actor_person_id=plp.owner.id
        )
        assessment = await programmes.record_status_assessment(
            plp.programme_id,
            kind="yearly",
            year=2025,
            scores=[ScoreInput(a, 4) for a in plp.areas.values()],
            recommendations="Tilrådd",
            actor_person_id=plp.owner.id,
        )
        document = await documents.add_document(
            content=PDF,
            name="vurdering.pdf",
            claimed_type="application/pdf",
            assessment_id=assessment,
            actor_person_id=plp.owner.id,
        )
    return plan, assessment, document.id


async def add_programme_parts(w) -> None:
    """After the route table's own programmes: B's plan, assessment and its document, and A's."""
    for side in ("a", "b"):
        plan, assessment, document = await _plan_and_assessment(w.extra[f"plp_{side}"])
        w.extra[f"plan_{side}"] = plan
        w.extra[f"assessment_{side}"] = assessment
        w.extra[f"assessment_document_{side}"] = document


async def programme_rows(w) -> dict[str, list[dict]]:
    """A's and B's programme rows beyond the route table's own, as each municipality sees them."""
    found: dict[str, list[dict]] = {}
    for tenant in (w.a, w.b):
        async with tenant_tx(tenant.id) as tx:
            for table in PROGRAMME_TABLES:
                rows = await tx.connection.fetch(f"select * from {table}")  # noqa: S608
                found[f"{tenant.kommunenummer}:{table}"] = sorted(map(dict, rows), key=repr)
    return found


# --- CSRF: (client, path, data, probe, files) for an attempt that would change something --------


async def _fresh(site, settings, make=None):
    plp = await new_plp(settings)
    made = None
    if make:
        async with tenant_tx(plp.scope()):
            made = await make(plp)
    client = await site.browser(plp.owner.pid)

    async def probe():
        async with tenant_tx(plp.scope()):
            view = await programmes.programme_overview(plp.programme_id)
            return view, await programmes.list_programmes()

    return plp, made, client, probe


def _one(plp: Plp, tail: str = "") -> str:
    return f"{plp.base}/programmes/{plp.programme_id}{tail}"


async def csrf_create(site, settings):
    plp, _, client, probe = await _fresh(site, settings)
    data = {"name": "CSRF", "kind": "omstilling", "period_start": "2026", "period_end": "2027"}
    return client, f"{plp.base}/programmes", data, probe, None


def _simple(tail: str, data: dict):
    async def case(site, settings):
        plp, _, client, probe = await _fresh(site, settings)
        return client, _one(plp, tail), data, probe, None

    return case


async def csrf_members(site, settings):
    plp, _, client, probe = await _fresh(site, settings)
    neighbour = await new_tenant("Grannekommune")
    async with tenant_tx(OPERATOR):
        await tenancy.add_to_region(plp.tenant.region_id, neighbour.id)
    return client, _one(plp, "/members"), {f"member-{neighbour.id}": "on"}, probe, None


async def csrf_strategy(site, settings):
    plp, _, client, probe = await _fresh(site, settings)
    data = {}
    for n, (name, area) in enumerate(plp.areas.items()):
        data |= {
            f"id-{n}": str(area),
            f"name_nb-{n}": name,
            f"name_nn-{n}": name,
            f"share-{n}": "50",
        }
    return client, _one(plp, "/strategy"), data, probe, None


async def csrf_baseline(site, settings):
    async def kpi(plp):
        return await programmes.kpi_id_by_code(plp.programme_id, "new_jobs")

    plp, kpi_id, client, probe = await _fresh(site, settings, kpi)
    return client, _one(plp, f"/kpis/{kpi_id}/baseline"), {"baseline": "5"}, probe, None


async def csrf_draft(site, settings):
    plp, _, client, probe = await _fresh(site, settings)
    data = {"year": "2026", f"goal-{plp.areas['Reiseliv']}": "CSRF"}
    return client, _one(plp, "/plans"), data, probe, None


async def csrf_step(site, settings):
    async def plan(plp):
        goal = GoalInput(plp.areas["Reiseliv"], "Mål")
        return await programmes.create_action_plan(
            plp.programme_id, 2026, [goal], actor_person_id=plp.owner.id
        )

    plp, plan_id, client, probe = await _fresh(site, settings, plan)
    path = _one(plp, f"/plans/{plan_id}/state")
    return client, path, {"state": "board_approved"}, probe, None


async def csrf_assessment(site, settings):
    plp, _, client, probe = await _fresh(site, settings)
    data = {"kind": "yearly", "year": "2025"} | {f"score-{a}": "4" for a in plp.areas.values()}
    files = {"documents": ("vurdering.pdf", PDF, "application/pdf")}
    return client, _one(plp, "/assessments"), data, probe, files


CSRF = {
    ("POST", LIST): csrf_create,
    ("POST", ONE + "/stage"): _simple("/stage", {"stage": "strategi_og_forankring"}),
    ("POST", ONE + "/members"): csrf_members,
    ("POST", ONE + "/funding"): _simple(
        "/funding", {"source": "state", "year": "2026", "amount": "1"}
    ),
    ("POST", ONE + "/board"): _simple(
        "/board", {"name": "CSRF", "seat": "observer", "term_start": "2026-01-01"}
    ),
    ("POST", ONE + "/strategy"): csrf_strategy,
    ("POST", ONE + "/kpis"): _simple("/kpis", {"name": "CSRF"}),
    ("POST", KPI + "/baseline"): csrf_baseline,
    ("POST", ONE + "/plans"): csrf_draft,
    ("POST", ONE + "/plans/{plan_id:int}/state"): csrf_step,
    ("POST", ONE + "/assessments"): csrf_assessment,
}

# --- another tenant's ids: (label, who, values, status, data) -------------------------------------


def _ids(nr: str, side: str, **more: str) -> Callable[[Any], dict]:
    """A's or B's kommunenummer with `side`'s programme, its KPI, plan, assessment, document."""

    def values(w) -> dict:
        plp = w.extra[f"plp_{side}"]
        found = {
            "kommunenummer": getattr(w, nr).kommunenummer,
            "programme_id": plp.programme_id,
            "kpi_id": w.extra[f"kpi_{side}"],
            "plan_id": w.extra[f"plan_{side}"],
            "assessment_id": w.extra[f"assessment_{side}"],
            "document_id": w.extra[f"assessment_document_{side}"],
        }
        return found | {key: w.extra[value] for key, value in more.items()}

    return values


B_UNDER_A = "the guard passes; the use-case finds no such programme of A's"


def _asks(data: dict | None = None, *, own: int = 0, **more: str) -> list:
    asks = [
        ("B's kommunenummer and B's ids", "admin_a", _ids("b", "b", **more), 404, data or {}),
        ("A's kommunenummer and B's ids", "admin_a", _ids("a", "b", **more), 404, data or {}),
    ]
    if own:
        asks.insert(0, ("A's own", "admin_a", _ids("a", "a"), own, {}))
    return asks


def _kommune_only(own: int = 200, data: dict | None = None) -> list:
    asks = [("B's kommunenummer", "admin_a", _ids("b", "b"), 404, data or {})]
    if own:
        asks.insert(0, ("A's own", "admin_a", _ids("a", "a"), own, {}))
    return asks


CROSS = {
    ("GET", LIST + "/new"): _kommune_only(),
    ("POST", LIST): _kommune_only(0, {"name": "Inntrengar", "kind": "omstilling"}),
    ("GET", ONE + "/setup"): _asks(own=200),
    ("GET", ONE + "/plans"): _asks(own=200),
    ("GET", ONE + "/assessments"): _asks(own=200),
    # The sum names nothing of a programme's: it adds up what the browser sends.
    ("GET", ONE + "/strategy/sum"): _kommune_only(),
    ("POST", ONE + "/stage"): _asks({"stage": "strategi_og_forankring"}),
    ("POST", ONE + "/members"): _asks({"member-1": "on"}),
    ("POST", ONE + "/funding"): _asks({"source": "state", "year": "2026", "amount": "1"}),
    ("POST", ONE + "/board"): _asks({"name": "X", "seat": "observer", "term_start": "2026-01-01"}),
    ("POST", ONE + "/strategy"): _asks({"name_nb-0": "X", "name_nn-0": "X", "share-0": "100"}),
    ("POST", ONE + "/kpis"): _asks({"name": "Inntrengar"}),
    ("POST", KPI + "/baseline"): [
        *_asks({"baseline": "1"}),
        (
            "A's programme, B's KPI",
            "admin_a",
            _ids("a", "a", kpi_id="kpi_b"),
            404,
            {"baseline": "1"},
        ),
    ],
    ("POST", ONE + "/plans"): _asks({"year": "2027", "goal-1": "X"}),
    ("POST", ONE + "/plans/{plan_id:int}/state"): [
        *_asks({"state": "board_approved"}),
        (
            "A's programme, B's plan",
            "admin_a",
            _ids("a", "a", plan_id="plan_b"),
            404,
            {"state": "board_approved"},
        ),
    ],
    ("POST", ONE + "/assessments"): _asks({"kind": "yearly", "year": "2026"}),
    ("GET", ONE + "/assessments/{assessment_id:int}/documents/{document_id:int}"): [
        *_asks(),
        (
            "A's programme, B's assessment and document",
            "admin_a",
            _ids("a", "a", assessment_id="assessment_b", document_id="assessment_document_b"),
            404,
            {},
        ),
        (
            "A's own assessment, B's document",
            "admin_a",
            _ids("a", "a", document_id="assessment_document_b"),
            404,
            {},
        ),
    ],
}
