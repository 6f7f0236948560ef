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
from services.grants.service.appeals import appeal_of, lodge_appeal
from services.grants.service.applications import (
    own_application,
    save_application,
    start_application,
    submit_application,
)
from services.grants.service.attachments import (
    add_attachments,
    attachment,
    attachments_of,
    remove_attachment,
)
from services.grants.service.cases import (
    BoardDecides,
    Case,
    assess_application,
    case,
    decide_application,
    recommend_application,
)
from services.grants.service.fund_boards import add_fund_board_member, fund_boards, people_choices
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
from services.grants.service.habilitet import declarations, declare_member
from services.grants.service.letters import letter, letters_of
from services.grants.service.lifecycle import cancel_tilsegn, withdraw_tilsegn
from services.grants.service.meetings import (
    create_meeting,
    decide_in_meeting,
    gather_agenda,
    programme_choices,
    record_attendance,
)
from services.grants.service.minutes import MeetingNotFound, board_of, list_meetings, meeting
from services.grants.service.payments import (
    decide_payment,
    payment_attachment,
    payment_queue,
    record_clawback,
    request_payment,
    tilsegn,
)
from services.grants.service.ranking import call_ranking, rank_applications
from services.grants.service.reports import approve_report, count_report_effects, send_report
from services.grants.service.state_aid import (
    exchange_rate,
    exchange_rates,
    set_exchange_rate,
    state_aid_of,
)
from services.grants.service.statistics import (
    municipality_statistics,
    region_statistics,
    statistics_years,
)
from services.grants.service.views import case_queue, own_applications

__all__ = [
    "MeetingNotFound",
    "add_attachments",
    "add_fund_board_member",
    "appeal_of",
    "attachment",
    "attachments_of",
    "board_of",
    "call_ranking",
    "create_meeting",
    "decide_in_meeting",
    "declarations",
    "declare_member",
    "gather_agenda",
    "letter",
    "letters_of",
    "list_meetings",
    "lodge_appeal",
    "meeting",
    "programme_choices",
    "people_choices",
    "rank_applications",
    "record_attendance",
    "recommend_application",
    "remove_attachment",
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
    "fund_boards",
    "open_call",
    "own_application",
    "own_applications",
    "public_call",
    "public_calls",
    "save_application",
    "start_application",
    "strategy_area_choices",
    "submit_application",
    # the money of a tilsegn: state aid, payments, reports, statistics
    "approve_report",
    "cancel_tilsegn",
    "count_report_effects",
    "decide_payment",
    "exchange_rate",
    "exchange_rates",
    "municipality_statistics",
    "payment_attachment",
    "payment_queue",
    "record_clawback",
    "region_statistics",
    "request_payment",
    "send_report",
    "set_exchange_rate",
    "state_aid_of",
    "statistics_years",
    "tilsegn",
    "withdraw_tilsegn",
]
