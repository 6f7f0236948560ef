"""A project's story in PLP order: each sub-project, then the decision point that followed it."""

from __future__ import annotations

from collections import defaultdict

from services.projects.schemas import DecisionPointView, ProjectDetail, SubProjectView


def timeline(detail: ProjectDetail) -> list[dict]:
    """[{"kind": "sub_project" | "decision", "item": …}], the funding decision first."""
    after: dict[str | None, list[DecisionPointView]] = defaultdict(list)
    for point in detail.decision_points:
        after[point.after_phase].append(point)
    entries: list[dict] = [{"kind": "decision", "item": p} for p in after.pop(None, [])]
    sub: SubProjectView
    for sub in detail.sub_projects:
        entries.append({"kind": "sub_project", "item": sub})
        entries.extend({"kind": "decision", "item": p} for p in after.pop(sub.phase, []))
    for rest in after.values():  # a stop's point of a phase without its own row, kept in view
        entries.extend({"kind": "decision", "item": p} for p in rest)
    return entries
