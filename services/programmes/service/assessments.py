"""Status assessments: the yearly score per strategy area, and the final evaluation."""

from __future__ import annotations

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput
from services.programmes.roles import MANAGERS
from services.programmes.schemas import ScoreInput
from services.programmes.service._common import (
    check_year,
    programme_row,
    require_role,
    strategy_areas,
)
from services.programmes.tables import AssessmentScore, StatusAssessment
from tenants.rows import insert_row, tenant


async def _check_scores(programme_id: int, kind: str, scores: list[ScoreInput]) -> None:
    """Each strategy area scored at most once (a yearly one: every area), each score 1 to 6."""
    areas = {a.id for a in await strategy_areas(programme_id)}
    given = [s.strategy_area_id for s in scores]
    if len(set(given)) != len(given) or not set(given) <= areas:
        raise InvalidInput(
            "assessment_areas_invalid",
            N_("Score each of the programme's strategy areas once."),
            field="scores",
        )
    if kind == "yearly" and set(given) != areas:
        raise InvalidInput(
            "assessment_areas_missing", N_("Score every strategy area."), field="scores"
        )
    if any(not 1 <= s.score <= 6 for s in scores):
        raise InvalidInput("assessment_score_invalid", N_("A score is 1 to 6."), field="scores")


async def _check_not_recorded(programme_id: int, kind: str, year: int) -> None:
    """One yearly assessment a year, one final evaluation a programme."""
    same = StatusAssessment.kind == kind
    if kind != "final":
        same &= StatusAssessment.year == year
    if await StatusAssessment.exists().where(
        (StatusAssessment.tenant_id == tenant())
        & (StatusAssessment.programme_id == programme_id)
        & same
    ):
        raise Conflict(
            "assessment_exists", N_("This assessment has already been recorded."), field="year"
        )


async def record_status_assessment(
    programme_id: int,
    *,
    kind: str,
    year: int,
    scores: list[ScoreInput],
    recommendations: str,
    assessor: str = "",
    summary: str = "",
    actor_person_id: int | None,
) -> int:
    """The yearly status assessment (a score per strategy area) or the final evaluation."""
    programme = await programme_row(programme_id)
    await require_role(actor_person_id, MANAGERS)
    if kind not in ("yearly", "final"):
        raise InvalidInput("assessment_kind_invalid", N_("Choose a kind."), field="kind")
    check_year(programme, year)
    await _check_scores(programme_id, kind, scores)
    await _check_not_recorded(programme_id, kind, year)
    assessment_id = await insert_row(
        StatusAssessment(
            tenant_id=tenant(),
            programme_id=programme_id,
            kind=kind,
            year=year,
            assessor=assessor.strip(),
            recommendations=recommendations.strip(),
            summary=summary.strip(),
        )
    )
    if scores:
        await AssessmentScore.insert(
            *(
                AssessmentScore(
                    tenant_id=tenant(),
                    assessment_id=assessment_id,
                    strategy_area_id=score.strategy_area_id,
                    score=score.score,
                    comment=score.comment.strip(),
                )
                for score in scores
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="status_assessment",
        entity_id=assessment_id,
        new_values={
            "programme_id": programme_id,
            "kind": kind,
            "year": year,
            "scores": {str(s.strategy_area_id): s.score for s in scores},
            "recommendations": recommendations.strip(),
        },
    )
    return assessment_id
