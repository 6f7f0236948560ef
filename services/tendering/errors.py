"""The refusals of the tendering use-cases, beside the rules' own (rules.py)."""

from __future__ import annotations

from services.errors import N_, Conflict, InvalidInput, NotAllowed, NotFound


class TenderNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("tender_not_found", N_("No such tender."), field="tender_id")


class BidNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("bid_not_found", N_("No such bid."), field="bid_id")


class DocumentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("document_not_found", N_("No such document."), field="document_id")


class QuestionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("question_not_found", N_("No such question."), field="question_id")


class NotAMember(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "tender_actor_not_member", N_("Only members with the right role may do this.")
        )


class OrganisationUnverified(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "organisation_unverified",
            N_(
                "Your organisation cannot bid before it is verified: someone who may sign for it"
                " in Enhetsregisteret (daglig leder, chair of the board or owner) must register"
                " it in Samspel."
            ),
        )


class InvalidTenderInput(InvalidInput):
    """A field of a tender, a question, an answer or a bid is missing or malformed."""


class TenderNotOpenForBids(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "tender_not_open_for_bids", N_("This tender does not take bids now."), field="tender_id"
        )


class BidDeadlinePassed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "bid_deadline_passed",
            N_("The deadline for bids has passed; the bid was not received."),
            field="bid_deadline",
        )


class QuestionsDeadlinePassed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "questions_deadline_passed",
            N_("The deadline for questions has passed, or the tender takes none."),
            field="question",
        )


class StandingBidExists(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "bid_already_standing",
            N_("Your organisation already has a bid in; withdraw it before sending a new one."),
        )


class BidCannotChange(Conflict):
    def __init__(self) -> None:
        super().__init__("bid_cannot_change", N_("This bid can no longer be changed."))


class DeadlineNotPassed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "bid_deadline_not_passed",
            N_("The bids stay sealed until the deadline has passed."),
            field="bid_deadline",
        )


class SameOpener(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "opening_needs_second_person",
            N_("A second person of the municipality must confirm the opening."),
        )


class ConflictOfInterest(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "conflict_of_interest",
            N_("Declare yourself free of conflicts of interest for this tender first."),
        )


class InvalidTenderState(Conflict):
    def __init__(self, state: str) -> None:
        super().__init__(
            "tender_state_refuses", N_("The tender's state does not allow this."), field="state"
        )
        self.state = state


class QualificationNotAssessed(Conflict):
    """The evaluation is complete only once every valid bid is assessed against the
    qualification requirements: an award must never go to a bid nobody checked."""

    def __init__(self, bidders: list[str]) -> None:
        super().__init__(
            "qualification_not_assessed",
            N_(
                "Record whether each bid meets the qualification requirements before the"
                " evaluation is completed. Not assessed yet: %(bidders)s."
            ),
            values={"bidders": ", ".join(bidders)},
        )


class WinnerNotQualified(Conflict):
    def __init__(self, bidder: str) -> None:
        super().__init__(
            "award_winner_not_qualified",
            N_(
                "The award cannot go to %(bidder)s: the bid has not been found to meet the"
                " qualification requirements."
            ),
            values={"bidder": bidder},
        )
