"""A refusal's figures reach the user in their own language."""

from decimal import Decimal

from services.errors import N_, InvalidInput
from services.programmes.rules import SharesNotHundred


def test_a_refusal_with_figures_is_translated_with_the_figures_in_place():
    refusal = SharesNotHundred(Decimal("99.5"))
    assert str(refusal) == "The strategy areas' shares sum to 99.5 %, not 100 %."
    # With the decimal comma of the reader's language (services.formats).
    assert (
        refusal.translated("nb") == "Satsingsområdenes andeler blir til sammen 99,5 %, ikke 100 %."
    )
    assert (
        refusal.translated("nn") == "Delane til satsingsområda blir til saman 99,5 %, ikkje 100 %."
    )
    assert refusal.translated("en") == "The strategy areas' shares sum to 99.5 %, not 100 %."


def test_a_refusal_names_a_moment_on_oslos_clock_in_the_readers_language():
    from datetime import UTC, datetime

    from services.tendering.rules import StandstillNotOver

    refusal = StandstillNotOver(datetime(2026, 12, 10, 23, 0, tzinfo=UTC))
    assert "11.12.2026 kl. 00.00" in refusal.translated("nn")
    assert "11 Dec 2026, 00:00" in refusal.translated("en")


def test_a_refusal_without_figures_is_translated_as_it_stands():
    refusal = InvalidInput("x", N_("Write a valid e-mail address."))
    assert refusal.translated("en") == "Write a valid e-mail address."
    assert refusal.translated("nb") == "Skriv en gyldig e-postadresse."


def test_a_refusal_names_a_state_in_the_readers_language_never_by_its_code():
    from services.programmes.rules import InvalidStageTransition, ProgrammeStage
    from services.projects.rules import InvalidSubProjectTransition, SubProjectState

    refusal = InvalidSubProjectTransition(SubProjectState.CLOSED, SubProjectState.PLANNED)
    assert refusal.translated("en") == "A sub-project cannot go from Closed to Planned."
    assert "Avslutta" in refusal.translated("nn") and "Planlagt" in refusal.translated("nn")
    assert "closed" not in refusal.translated("nn")
    stage = InvalidStageTransition(ProgrammeStage.AVKLARING, ProgrammeStage.GJENNOMFORING)
    assert "Avklaring" in stage.translated("nn") and "Gjennomføring" in stage.translated("nn")
    assert "gjennomforing" not in stage.translated("nn")
