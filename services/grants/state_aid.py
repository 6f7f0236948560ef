"""De minimis: the support one organisation has had, summed across funds, municipalities and
the last three years, against the ceiling of EU regulation 2023/2831 (in the EEA), in euro at
the rate the operator sets. Pure: the sums come in, the verdict goes out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from services.errors import N_, Conflict, InvalidInput

# EUR 300 000 over any three years; migrations/0004_grant_money.sql holds the same figure.
CEILING_EUR = Decimal(300_000)
YEARS = 3
CENT = Decimal("0.01")
# NOK for one euro: anything outside is a typing error, not an exchange rate.
RATE_RANGE = (Decimal("1"), Decimal("100"))


@dataclass(frozen=True, slots=True)
class StateAid:
    """An organisation's de minimis position if this grant were given."""

    earlier_nok: Decimal  # granted to it in the last three years, this application left out
    this_nok: Decimal  # what this application would get
    nok_per_eur: Decimal

    @property
    def total_nok(self) -> Decimal:
        return self.earlier_nok + self.this_nok

    @property
    def total_eur(self) -> Decimal:
        return to_eur(self.total_nok, self.nok_per_eur)

    @property
    def earlier_eur(self) -> Decimal:
        return to_eur(self.earlier_nok, self.nok_per_eur)

    @property
    def ceiling_nok(self) -> Decimal:
        return (CEILING_EUR * self.nok_per_eur).quantize(CENT, ROUND_HALF_UP)

    @property
    def room_nok(self) -> Decimal:
        """What may still be granted to the organisation without passing the ceiling."""
        exact = CEILING_EUR * self.nok_per_eur - self.earlier_nok
        return max(exact.quantize(CENT, ROUND_DOWN), Decimal(0))

    @property
    def room_after_nok(self) -> Decimal:
        """What would still be left under the ceiling once this grant is given."""
        return max(self.room_nok - self.this_nok, Decimal(0))

    @property
    def passes_ceiling(self) -> bool:
        # Exact, as the database's guard compares: NOK over the rate against the ceiling.
        return self.total_nok > CEILING_EUR * self.nok_per_eur


def to_eur(nok: Decimal, nok_per_eur: Decimal) -> Decimal:
    return (nok / nok_per_eur).quantize(CENT, ROUND_HALF_UP)


def state_aid(earlier_nok: Decimal, this_nok: Decimal, nok_per_eur: Decimal) -> StateAid:
    if nok_per_eur <= 0:
        raise ValueError("an exchange rate is above 0")
    return StateAid(Decimal(earlier_nok), Decimal(this_nok), Decimal(nok_per_eur))


class CeilingPassed(Conflict):
    def __init__(self, aid: StateAid) -> None:
        super().__init__(
            "grant_de_minimis_ceiling",
            N_(
                "Refused under the de minimis rules: with this grant the organisation would have"
                " had EUR %(total)s in support over three years, above the ceiling of"
                " EUR %(ceiling)s. At most NOK %(room)s can still be granted to it."
            ),
            values={
                "total": _grouped(aid.total_eur),
                "ceiling": _grouped(CEILING_EUR),
                "room": _grouped(aid.room_nok),
            },
        )


def check_ceiling(aid: StateAid) -> None:
    """A grant that would take the organisation past the ceiling is refused, with that reason."""
    if aid.passes_ceiling:
        raise CeilingPassed(aid)


def check_rate(nok_per_eur: Decimal) -> Decimal:
    low, high = RATE_RANGE
    if not low <= nok_per_eur <= high or nok_per_eur != nok_per_eur.quantize(Decimal("0.0001")):
        raise InvalidInput(
            "exchange_rate_invalid",
            N_("Write the kroner for one euro, between 1 and 100, with at most four decimals."),
            field="nok_per_eur",
        )
    return nok_per_eur


def _grouped(amount: Decimal) -> str:
    whole = int(amount.quantize(Decimal(1), ROUND_HALF_UP))
    return f"{whole:,}".replace(",", "\u00a0")
