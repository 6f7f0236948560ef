"""Use-cases of PLP projects: start, sub-projects, decision points, status reports, participants.

Each runs inside the caller's tenant_tx(), never opens its own, and appends what it changed
to the audit chain of the session's municipality in the same transaction. The lead
municipality (the project's tenant) does everything; a participant of a regional project
reads it and adds status reports and documents (their audit events go to the participant's
own chain, naming the project); the region's council only reads.
"""

from services.projects.service._common import (
    VISIBLE,
    LeadOnly,
    ProjectNotFound,
    project_row,
)
from services.projects.service.council import (
    CouncilOnly,
    comment_on_status_report,
    council_comments,
)
from services.projects.service.decisions import (
    REVISE_DAYS,
    OwnerOnly,
    reach_decision_point,
    record_decision,
    set_decision_delegation,
)
from services.projects.service.due import (
    DecisionDue,
    ReportDue,
    decisions_due,
    status_reports_due,
)
from services.projects.service.lifecycle import (
    close_sub_project,
    create_project,
    plan_sub_project,
    set_steering_group,
)
from services.projects.service.participants import add_participant, set_cost_shares
from services.projects.service.permissions import (
    CreatorsOnly,
    MyPart,
    PlannersOnly,
    my_part,
)
from services.projects.service.reports import add_status_report
from services.projects.service.views import (
    get_project,
    list_projects,
    overdue_decision_points,
    participant_candidates,
    project_id_by_title,
    project_page,
    project_strategy_areas,
    strategy_area_choices,
)

__all__ = [
    "REVISE_DAYS",
    "CouncilOnly",
    "comment_on_status_report",
    "council_comments",
    "ReportDue",
    "status_reports_due",
    "decisions_due",
    "DecisionDue",
    "CreatorsOnly",
    "MyPart",
    "PlannersOnly",
    "my_part",
    "participant_candidates",
    "strategy_area_choices",
    "VISIBLE",
    "LeadOnly",
    "OwnerOnly",
    "ProjectNotFound",
    "add_participant",
    "add_status_report",
    "close_sub_project",
    "project_page",
    "create_project",
    "get_project",
    "list_projects",
    "overdue_decision_points",
    "plan_sub_project",
    "project_id_by_title",
    "project_row",
    "project_strategy_areas",
    "reach_decision_point",
    "record_decision",
    "set_cost_shares",
    "set_decision_delegation",
    "set_steering_group",
]
