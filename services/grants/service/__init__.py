"""Use-cases of grants: funds and calls, an organisation's applications, the municipality's
assessment and decision. Each runs inside the caller's tenant_tx() and never opens its own;
the municipality's steps enter its audit chain and outbox in the same transaction.
"""

from services.grants.service._common import (
    ApplicationLocked,
    ApplicationNotFound,
    CallClosed,
    CallNotFound,
    FundNotFound,
)
from services.grants.service.applications import (
    own_application,
    save_application,
    start_application,
    submit_application,
)
from services.grants.service.cases import (
    BoardDecides,
    Case,
    assess_application,
    case,
    decide_application,
)
from services.grants.service.funds import (
    create_fund,
    get_fund,
    list_calls,
    list_funds,
    open_call,
    public_call,
    public_calls,
    strategy_area_choices,
)
from services.grants.service.views import case_queue, own_applications

__all__ = [
    "ApplicationLocked",
    "ApplicationNotFound",
    "BoardDecides",
    "CallClosed",
    "CallNotFound",
    "Case",
    "FundNotFound",
    "assess_application",
    "case",
    "case_queue",
    "create_fund",
    "decide_application",
    "get_fund",
    "list_calls",
    "list_funds",
    "open_call",
    "own_application",
    "own_applications",
    "public_call",
    "public_calls",
    "save_application",
    "start_application",
    "strategy_area_choices",
    "submit_application",
]
