"""services/parts.py is the one list of the parts: what derives from it names every piece of
every part, and the shared machinery (dashboards, notifications) names none of them."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from infra.migrate import MigrationSource
from services import parts
from services.dashboards import service as dashboards
from services.notifications.mails import templates
from services.outbox.rules import valid_kind
from services.parts import PARTS, Part, install, installed, migration_sources

ROOT = Path(__file__).resolve().parents[2]
# The migrations' labels are keys in schema_migration: a renamed or moved part would have its
# migrations run again on a database that has them.
APPLIED_ORDER = [
    "tenants",
    "audit",
    "outbox",
    "access",
    "programmes",
    "projects",
    "tendering",
    "dashboards",
    "grants",
]


def test_the_migrations_run_part_by_part_in_the_order_databases_have_them():
    import services.schema

    assert [s.label for s in services.schema.MIGRATIONS] == APPLIED_ORDER
    assert services.schema.MIGRATIONS == migration_sources(PARTS)


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_every_piece_a_part_names_exists(part: Part):
    has_folder = (ROOT / part.package.replace(".", "/") / "migrations").is_dir()
    assert has_folder == part.migrations
    if part.migrations:
        assert MigrationSource(part.name, part.package).scripts()
    for module in (*part.routes, part.actors, part.figures, part.mails):
        if module is not None:
            assert importlib.util.find_spec(module) is not None, module
    if part.actors:
        assert part.actors.startswith("workers.actors."), part.actors
    if part.figures:
        assert part.figures == f"{part.package}.figures"
    if part.mails:
        assert part.mails == f"{part.package}.mails"
    if part.demo:
        assert callable(parts.resolve(part.demo))


def test_a_slice_belongs_to_one_part_and_is_changed_by_events_of_named_parts():
    names = {p.name for p in PARTS}
    slices = dashboards.slices()
    assert [s.name for s in slices] == ["programmes", "projects", "tenders", "grants"]
    for s in slices:
        assert s.changed_by, s.name
        for kind in s.changed_by:
            assert valid_kind(kind) and kind.split(".")[0] in names, kind


def test_each_mail_template_is_written_by_one_part():
    assert sorted(templates()) == [
        "award_notice",
        "bid_to_reconfirm",
        "clarification_published",
        "decision_point_overdue",
        "grant_decision_letter",
        "grant_report_due",
        "invitation",
        "new_tender_followed",
        "standstill_ended",
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


SHARED = [
    *sorted((ROOT / "services/dashboards").glob("*.py")),
    *sorted((ROOT / "services/notifications").glob("*.py")),
    ROOT / "workers/actors/dashboards.py",
    ROOT / "workers/actors/mail.py",
    ROOT / "workers/actors/__init__.py",
]


@pytest.mark.parametrize("path", SHARED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shared_machinery_imports_no_part_that_brings_figures_or_mails(path: Path):
    # Access is the exception: every mail goes to a person, and access knows who they are.
    parts_with_pieces = {p.package for p in PARTS if p.figures or p.mails} - {"services.access"}
    wrong = {
        name
        for name in _imports(path)
        for package in parts_with_pieces
        if name == package or name.startswith(package + ".")
    }
    assert wrong == set()


def test_installing_parts_is_undone_and_refuses_two_of_one_name():
    extra = Part("extra", "services.extra")
    with install((*PARTS, extra)):
        assert installed()[-1] == extra
    assert installed() == PARTS
    with pytest.raises(ValueError, match="two parts of one name"):
        with install((*PARTS, Part("tendering", "services.other"))):
            pass
    assert installed() == PARTS
