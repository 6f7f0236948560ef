"""Every use-case a part offers is reached from a page or a worker (or the operator's command
line), or is listed here with the reason it has none: a use-case no person can reach is not done.

A use-case is a public function a part's `service` exports; its callers are searched for in
web/, workers/, services/cli.py and the parts' mails and figures (which the workers run).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from services.parts import PARTS

ROOT = Path(__file__).resolve().parents[2]

# Use-cases with no page and no worker, and why.
NO_CALLER = {
    "services.tenancy.service.ensure_region": "the operator creates regions through create_region",
    "services.tenancy.service.ensure_municipality": "the demo loader's idempotent twin of create_municipality",
    "services.tenancy.service.ensure_organisation": "the demo's; a business registers through register_organisation",
    "services.tenancy.service.ensure_person": "the demo's; a person is made at first login through access",
    "services.tenancy.service.grant_membership": "the demo's; people join through invitations",
    "services.programmes.service.programme_id_by_name": "the demo loader finds its programmes by name",
    "services.programmes.service.kpi_id_by_code": "the demo loader finds the standard KPIs by code",
    "services.programmes.service.kpi_measurements": "the overview reads the measurements through programme_overview",
    "services.projects.service.project_id_by_title": "the demo loader finds its projects by title",
    "services.projects.service.add_participant": "the page changes the whole set at once through set_cost_shares",
    "services.tendering.service.read_bid": "a sealed bid's content is read only at the opening (confirm_opening)",
    "services.tendering.service.own_bid": "the receipt page and its mails read a bid through bid_receipt",
    "services.dashboards.service.recompute_here": "the building block of the worker's recompute_municipality",
    "services.dashboards.service.compute_municipality": "the pure read behind recompute_here",
    "services.dashboards.service.recompute_region": "run by refresh_municipalities_and_regions for each region",
    "services.dashboards.service.recompute_municipality": "run by refresh_municipalities_and_regions",
    "services.dashboards.service.regions_of": "run by refresh_municipalities_and_regions",
    "services.grants.service.get_fund": "the case page reads its fund through case()",
    "services.grants.service.count_report_effects": "approve_report runs it in the same transaction",
    "services.grants.service.public_call": "an application reads its call through the applicant's use-cases",
    "services.projects.service.project_row": "the row every project use-case starts from",
    "services.projects.service.council_comments": "get_project reads them for the project page",
    "services.outbox.service.emit": "every use-case writes its events through it",
    "services.notifications.service.request_mail": "request_mails, request_mail_once and invite call it",
    "services.audit.service.record_change": "every use-case appends to the audit chain through it",
}


def _use_cases() -> dict[str, object]:
    found = {}
    # tenancy is access's own module of the tenancy tables' use-cases, not a part of its own
    packages = [part.package for part in PARTS] + ["services.tenancy"]
    for package in packages:
        for name in (f"{package}.service",):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            exported = getattr(module, "__all__", None) or [
                n for n in dir(module) if not n.startswith("_")
            ]
            for attr in exported:
                value = getattr(module, attr, None)
                if inspect.iscoroutinefunction(value) and value.__module__.startswith(package):
                    found[f"{name}.{attr}"] = value
    return found


def _callers_text() -> str:
    paths = [*ROOT.glob("web/**/*.py"), *ROOT.glob("workers/**/*.py"), ROOT / "services/cli.py"]
    paths += [*ROOT.glob("services/*/mails.py"), *ROOT.glob("services/*/figures.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def test_every_use_case_has_a_caller_or_a_reason():
    text = _callers_text()
    uncalled = sorted(
        name
        for name in _use_cases()
        if not re.search(rf"\b{name.rsplit('.', 1)[1]}\b", text) and name not in NO_CALLER
    )
    assert uncalled == [], "use-cases no page or worker reaches: " + ", ".join(uncalled)


def test_every_reason_names_a_use_case_that_still_has_no_caller():
    text = _callers_text()
    cases = _use_cases()
    stale = sorted(
        name
        for name in NO_CALLER
        if name not in cases or re.search(rf"\b{name.rsplit('.', 1)[1]}\b", text)
    )
    assert stale == [], "listed without a caller, but called or gone: " + ", ".join(stale)
