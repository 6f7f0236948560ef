"""What a business registration rests on: Enhetsregisteret's unit, and whether the person
registering it may sign for it. Asked before the transaction, since the register is far away."""

from __future__ import annotations

from datetime import date

import msgspec

from services import inputs
from services.access.enhetsregisteret import Enhetsregisteret, RegisterUnavailable
from services.access.signing import may_sign
from services.errors import N_, InvalidInput


class Registration(msgspec.Struct, frozen=True):
    organisasjonsnummer: str
    name: str
    form_code: str = ""
    address: str = ""
    # The person holds a standing signing role in the register: the organisation is verified.
    verified: bool = False
    # False when the register could not be reached and the person typed the name.
    from_register: bool = True


async def look_up_organisation(
    register: Enhetsregisteret,
    organisasjonsnummer: str,
    *,
    typed_name: str,
    person_name: str,
    birth_date: date | None,
) -> Registration:
    nr = inputs.organisasjonsnummer(organisasjonsnummer)
    typed_name = inputs.text(typed_name, "name", limit=300)
    try:
        unit = await register.unit(nr)
        holders = await register.role_holders(nr) if unit is not None else []
    except RegisterUnavailable:
        if not typed_name.strip():
            raise InvalidInput(
                "register_unreachable",
                N_(
                    "Enhetsregisteret cannot be reached right now. Write the organisation's name:"
                    " it is registered as unverified, and cannot bid until someone who may sign"
                    " for it has registered it too."
                ),
                field="name",
            ) from None
        return Registration(nr, typed_name.strip(), from_register=False)
    if unit is None:
        raise InvalidInput(
            "organisation_unknown",
            N_("Enhetsregisteret has no organisation with this number."),
            field="organisasjonsnummer",
        )
    if unit.deleted:
        raise InvalidInput(
            "organisation_deleted",
            N_("This organisation is deleted in Enhetsregisteret."),
            field="organisasjonsnummer",
        )
    return Registration(
        nr,
        unit.name,
        unit.form_code,
        unit.address,
        verified=may_sign(holders, person_name, birth_date),
    )
