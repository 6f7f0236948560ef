"""The tendering use-cases; each runs inside the caller's tenant_tx() and never commits."""

from services.tendering.service.award import (
    award_notices,
    complete_tender,
    notify_award,
    sign_contract,
)
from services.tendering.service.bids import (
    own_bid,
    own_bids,
    read_bid,
    reconfirm_bid,
    submit_bid,
    withdraw_bid,
)
from services.tendering.service.evaluation import (
    complete_evaluation,
    declare_interest,
    opened_bids,
    ranking,
    record_qualification,
    score_bid,
)
from services.tendering.service.ocds import OCID_PREFIX, ocds_release_package
from services.tendering.service.opening import confirm_opening, opening_protocol
from services.tendering.service.protocol import tender_protocol
from services.tendering.service.tenders import (
    add_document,
    answer_question,
    ask_question,
    cancel_tender,
    clarifications,
    close_bids,
    create_tender,
    document_content,
    documents,
    due_for_closing,
    get_tender,
    publish_tender,
    published_tenders,
    questions,
    tenders_of_municipality,
)

__all__ = [
    "OCID_PREFIX",
    "ocds_release_package",
    "add_document",
    "answer_question",
    "ask_question",
    "award_notices",
    "cancel_tender",
    "clarifications",
    "close_bids",
    "complete_evaluation",
    "complete_tender",
    "confirm_opening",
    "create_tender",
    "declare_interest",
    "document_content",
    "documents",
    "due_for_closing",
    "get_tender",
    "notify_award",
    "opened_bids",
    "opening_protocol",
    "own_bid",
    "own_bids",
    "publish_tender",
    "published_tenders",
    "questions",
    "ranking",
    "read_bid",
    "reconfirm_bid",
    "record_qualification",
    "score_bid",
    "sign_contract",
    "submit_bid",
    "tender_protocol",
    "tenders_of_municipality",
    "withdraw_bid",
]
