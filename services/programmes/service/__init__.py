"""Use-cases of programmes: funding, board, strategy areas, action plans, KPIs, assessments.

Each runs inside the caller's tenant_tx() (the programme's municipality), never opens its
own, and appends what it changed to the tenant's audit chain in the same transaction.
"""

from services.programmes.service._common import ProgrammeNotFound
from services.programmes.service.action_plans import create_action_plan, move_action_plan
from services.programmes.service.assessments import record_status_assessment
from services.programmes.service.board import SEATS, add_board_member
from services.programmes.service.funding import FUNDING_SOURCES, add_funding_line
from services.programmes.service.kpis import (
    add_kpi,
    kpi_id_by_code,
    kpi_measurements,
    record_kpi_measurement,
    set_kpi_baseline,
    set_kpi_target,
)
from services.programmes.service.programmes import (
    KINDS,
    create_programme,
    move_programme_stage,
    neighbours,
    set_programme_members,
)
from services.programmes.service.strategy import set_strategy_areas
from services.programmes.service.views import (
    list_programmes,
    programme_id_by_name,
    programme_overview,
)

__all__ = [
    "FUNDING_SOURCES",
    "KINDS",
    "SEATS",
    "ProgrammeNotFound",
    "add_board_member",
    "add_funding_line",
    "add_kpi",
    "create_action_plan",
    "create_programme",
    "kpi_id_by_code",
    "kpi_measurements",
    "list_programmes",
    "move_action_plan",
    "move_programme_stage",
    "neighbours",
    "programme_id_by_name",
    "programme_overview",
    "record_kpi_measurement",
    "record_status_assessment",
    "set_kpi_baseline",
    "set_kpi_target",
    "set_programme_members",
    "set_strategy_areas",
]
