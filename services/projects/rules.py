"""PLP's pure rules: which sub-project comes next, who decides, what a decision does."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum

import msgspec

from services.errors import N_, Conflict, InvalidInput, Term, TransitionRefused

HUNDRED = Decimal(100)


class SubProjectPhase(StrEnum):
    FORSTUDIE = "forstudie"
    FORPROSJEKT = "forprosjekt"
    HOVUDPROSJEKT = "hovudprosjekt"
    DRIFT = "drift"


PHASE_ORDER: tuple[SubProjectPhase, ...] = tuple(SubProjectPhase)

# A mature idea may skip the forstudie; nothing may start later than the forprosjekt.
STARTING_PHASES = frozenset({SubProjectPhase.FORSTUDIE, SubProjectPhase.FORPROSJEKT})


class DecisionOutcome(StrEnum):
    GO = "go"
    GO_WITH_CONDITIONS = "go_with_conditions"
    REVISE = "revise"
    STOP = "stop"


class ProjectRole(StrEnum):
    PROSJEKTEIGAR = "prosjekteigar"
    PROSJEKTANSVARLEG = "prosjektansvarleg"
    PROSJEKTLEIAR = "prosjektleiar"
    STYRINGSGRUPPE = "styringsgruppe"
    PROGRAMSTYRE = "programstyre"


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    AWAITING_DECISION = "awaiting_decision"
    CLOSED = "closed"


class SubProjectState(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


SUBPROJECT_TRANSITIONS: Mapping[SubProjectState, frozenset[SubProjectState]] = {
    SubProjectState.PLANNED: frozenset({SubProjectState.ACTIVE}),
    SubProjectState.ACTIVE: frozenset({SubProjectState.CLOSED}),
    SubProjectState.CLOSED: frozenset(),
}


# The names a reader sees for the codes (pages and refusals alike).
PHASE_NAMES = {
    "forstudie": N_("Pre-study"),
    "forprosjekt": N_("Pre-project"),
    "hovudprosjekt": N_("Main project"),
    "drift": N_("Operation"),
}

SUB_PROJECT_STATE_NAMES = {
    "planned": N_("Planned"),
    "active": N_("Running"),
    "closed": N_("Closed"),
}


class ProjectState(msgspec.Struct, frozen=True):
    """Where a project stands: its current sub-project and the budget approved for it."""

    phase: SubProjectPhase
    status: ProjectStatus
    approved_budget: Decimal


class InvalidStartingPhase(InvalidInput):
    def __init__(self, phase: SubProjectPhase) -> None:
        super().__init__(
            "project_starting_phase_invalid",
            N_("A project starts at the pre-study or the pre-project, not at %(phase)s."),
            field="phase",
            values={"phase": Term(PHASE_NAMES[phase])},
        )
        self.phase = phase


class ProjectClosed(Conflict):
    def __init__(self) -> None:
        super().__init__("project_closed", N_("The project is closed; nothing follows."))


class NotAtDecisionPoint(Conflict):
    def __init__(self, status: ProjectStatus) -> None:
        super().__init__(
            "project_not_at_decision_point",
            N_("The project is not at a decision point."),
        )
        self.status = status


class SubProjectNotRunning(Conflict):
    def __init__(self, status: ProjectStatus) -> None:
        super().__init__(
            "project_not_running",
            N_("Only a running sub-project reaches a decision point."),
        )
        self.status = status


class NoPhaseAfterDrift(Conflict):
    def __init__(self) -> None:
        super().__init__("project_no_phase_after_drift", N_("Operation is the last sub-project."))


class InvalidBudget(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            "project_budget_invalid",
            N_("A go approves the next sub-project's budget: give a budget of 0 NOK or more."),
            field="requested_budget",
        )


class InvalidSubProjectTransition(TransitionRefused):
    def __init__(self, current: SubProjectState, target: SubProjectState) -> None:
        super().__init__(
            "subproject_transition_refused",
            N_("A sub-project cannot go from %(current)s to %(target)s."),
            current,
            target,
            SUB_PROJECT_STATE_NAMES,
        )


class ClosingReportRequired(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "subproject_closing_report_required",
            N_("A sub-project is closed with its closing report."),
            field="closing_report",
        )


class CostShareNotPositive(InvalidInput):
    def __init__(self, municipalities: list[str]) -> None:
        super().__init__(
            "cost_share_not_positive",
            N_("Every participant needs a cost share above 0 %%: %(municipalities)s."),
            field="cost_shares",
            values={"municipalities": ", ".join(municipalities)},
        )
        self.municipalities = municipalities


class CostSharesNotHundred(InvalidInput):
    def __init__(self, total: Decimal) -> None:
        super().__init__(
            "cost_shares_not_100",
            N_("The participants' cost shares sum to %(total)s %%, not 100 %%."),
            field="cost_shares",
            values={"total": total},  # written with the reader's decimal mark
        )
        self.total = total


class LeadWithoutShare(InvalidInput):
    def __init__(self, lead: str) -> None:
        super().__init__(
            "lead_municipality_without_share",
            N_("The lead municipality %(lead)s must be a participant with a cost share."),
            field="lead_municipality",
            values={"lead": lead},
        )
        self.lead = lead


def next_phase(phase: SubProjectPhase) -> SubProjectPhase | None:
    index = PHASE_ORDER.index(phase) + 1
    return PHASE_ORDER[index] if index < len(PHASE_ORDER) else None


def check_starting_phase(phase: SubProjectPhase) -> None:
    if phase not in STARTING_PHASES:
        raise InvalidStartingPhase(phase)


def may_record_decision(actor_roles: Collection[str], delegated_to_board: bool) -> bool:
    """Only the owner decides, or the programme board when the owner has delegated to it."""
    if ProjectRole.PROSJEKTEIGAR in actor_roles:
        return True
    return delegated_to_board and ProjectRole.PROGRAMSTYRE in actor_roles


def start_project(phase: SubProjectPhase, approved_budget: Decimal) -> ProjectState:
    """Funding the project is its first go: its first sub-project starts with that budget."""
    check_starting_phase(phase)
    return ProjectState(phase, ProjectStatus.ACTIVE, _budget(approved_budget))


def reach_decision_point(state: ProjectState) -> ProjectState:
    """The running sub-project is done; the owner now decides what follows."""
    if state.status == ProjectStatus.CLOSED:
        raise ProjectClosed()
    if state.status != ProjectStatus.ACTIVE:
        raise SubProjectNotRunning(state.status)
    if next_phase(state.phase) is None:
        raise NoPhaseAfterDrift()
    return msgspec.structs.replace(state, status=ProjectStatus.AWAITING_DECISION)


def apply_decision(
    state: ProjectState, outcome: DecisionOutcome, requested_budget: Decimal | None = None
) -> ProjectState:
    """The project after the owner's decision.

    A stop closes the project whenever it comes, so nothing is left running; the other
    outcomes need a decision point. A go (with or without conditions) starts the next
    sub-project with `requested_budget` approved; a revise leaves the project waiting.
    """
    if state.status == ProjectStatus.CLOSED:
        raise ProjectClosed()
    if outcome == DecisionOutcome.STOP:
        return msgspec.structs.replace(state, status=ProjectStatus.CLOSED)
    if state.status != ProjectStatus.AWAITING_DECISION:
        raise NotAtDecisionPoint(state.status)
    if outcome == DecisionOutcome.REVISE:
        return state
    following = next_phase(state.phase)
    if following is None:
        raise NoPhaseAfterDrift()
    return ProjectState(following, ProjectStatus.ACTIVE, _budget(requested_budget))


def check_subproject_transition(
    current: SubProjectState, target: SubProjectState, *, has_closing_report: bool = False
) -> None:
    if target not in SUBPROJECT_TRANSITIONS[current]:
        raise InvalidSubProjectTransition(current, target)
    if target == SubProjectState.CLOSED and not has_closing_report:
        raise ClosingReportRequired()


def validate_cost_shares(shares: Mapping[str, Decimal], lead_municipality: str) -> None:
    """Each participant's share (kommunenummer → per cent) is above 0; together they make 100."""
    shares = {municipality: Decimal(share) for municipality, share in shares.items()}
    not_positive = [m for m, share in shares.items() if not (share.is_finite() and share > 0)]
    if not_positive:
        raise CostShareNotPositive(not_positive)
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise CostSharesNotHundred(total)
    if lead_municipality not in shares:
        raise LeadWithoutShare(lead_municipality)


def split_by_cost_shares(amount: Decimal, shares: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each participant's part of an amount of a regional project, to the øre, by its cost share.

    The parts sum to the amount exactly (largest remainder: every part is its share rounded
    down, and the øre left over go to the largest fractions, a tie to the lower id), so a
    region that sums its members' parts counts each krone once. Every participant computes
    the same split from the same shares, each in its own transaction.
    """
    ore = int((Decimal(amount) * 100).to_integral_value())
    exact = {m: ore * Decimal(share) / HUNDRED for m, share in shares.items()}
    parts = {m: int(value) for m, value in exact.items()}
    left = ore - sum(parts.values())
    for m in sorted(exact, key=lambda m: (parts[m] - exact[m], m))[:left]:
        parts[m] += 1
    return {m: Decimal(part).scaleb(-2) for m, part in parts.items()}


class NextStep(StrEnum):
    """The one step a project waits for, in PLP's order."""

    PLAN = "plan"  # write the mandate, plan and budget of the sub-project that follows
    CLOSE = "close"  # close the running sub-project with its closing report
    DECISION_POINT = "decision_point"  # set the date the owner decides
    DECIDE = "decide"  # the owner (or the board by delegation) decides
    NONE = "none"  # closed: nothing follows


class StepTakers(StrEnum):
    """Who may take a step: the planners (owner, sponsor, manager, case officer, admin) or
    the decision makers (the owner, and the board when the owner has delegated to it)."""

    PLANNERS = "planners"
    OWNER = "owner"
    OWNER_OR_BOARD = "owner_or_board"
    NOBODY = "nobody"


def next_step(
    state: ProjectState, current: SubProjectState | None, following_planned: bool
) -> NextStep:
    """What the project waits for: the next sub-project planned while the current one runs,
    then the current one closed with its report, then the decision point set, then decided."""
    if state.status == ProjectStatus.CLOSED:
        return NextStep.NONE
    if state.status == ProjectStatus.AWAITING_DECISION:
        return NextStep.DECIDE
    if current == SubProjectState.CLOSED:
        return NextStep.DECISION_POINT
    if next_phase(state.phase) is not None and not following_planned:
        return NextStep.PLAN
    return NextStep.CLOSE


def step_takers(step: NextStep, delegated_to_board: bool) -> StepTakers:
    if step == NextStep.NONE:
        return StepTakers.NOBODY
    if step == NextStep.DECIDE:
        return StepTakers.OWNER_OR_BOARD if delegated_to_board else StepTakers.OWNER
    return StepTakers.PLANNERS


def is_overdue(due_date: date, today: date, decided: bool) -> bool:
    """A decision point is overdue from the day after its due date until it is decided."""
    return not decided and today > due_date


def _budget(amount: Decimal | None) -> Decimal:
    if amount is None:
        raise InvalidBudget()
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise InvalidBudget()
    return amount


# Documents: what may be uploaded is decided by the file's first bytes, not by its name
# or the type the browser claims; the name and the claim must agree with what it is.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT_TYPES: Mapping[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}


class DocumentEmpty(InvalidInput):
    def __init__(self) -> None:
        super().__init__("document_empty", N_("The file is empty."), field="file")


class DocumentTooLarge(InvalidInput):
    def __init__(self, size: int) -> None:
        super().__init__("document_too_large", N_("The file is larger than 20 MB."), field="file")
        self.size = size


class DocumentTypeRefused(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            "document_type_refused",
            N_("Upload a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file."),
            field="file",
        )


def sniff_content_type(content: bytes) -> str | None:
    """The document type the bytes themselves show, or None for anything else."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return None


def _office_type(content: bytes) -> str | None:
    # .docx and .xlsx are zip packages; the part that names the main document tells them apart.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check_document(name: str, claimed_type: str, content: bytes) -> str:
    """The content type to store, or a refusal: empty, over 20 MB, or not what it claims to be."""
    if not content:
        raise DocumentEmpty()
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(len(content))
    actual = sniff_content_type(content)
    claimed = claimed_type.split(";")[0].strip().lower()
    if actual is None or claimed != actual:
        raise DocumentTypeRefused()
    if not name.lower().endswith(DOCUMENT_TYPES[actual]):
        raise DocumentTypeRefused()
    return actual
