"""A business's home: what needs doing now (bids to reconfirm, open tenders) and every area."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, get
from litestar.response import Template

from services.tendering import service as tendering
from tenants.context import tenant_tx
from web.auth.guards import organisation_member
from web.templating import render

# How many open tenders the home lists; the public list has them all.
OPEN_TENDERS_SHOWN = 10


@get("/o/{organisasjonsnummer:str}", guards=[organisation_member()], name="organisation_home")
async def home(request: Request) -> Template:
    async with tenant_tx():
        bids = await tendering.own_bids()
        found = await tendering.published_tenders(deadline_from=datetime.now(UTC))
    titles = {t.id: t.title for t in found}
    # The newest first: what the business has not seen yet.
    never = datetime.min.replace(tzinfo=UTC)
    open_tenders = sorted(found, key=lambda t: t.published_at or never, reverse=True)
    return render(
        request,
        "organisation/home.html",
        to_reconfirm=[b for b in bids if b.needs_reconfirmation and b.withdrawn_at is None],
        titles=titles,
        open_tenders=open_tenders[:OPEN_TENDERS_SHOWN],
        more_tenders=len(open_tenders) > OPEN_TENDERS_SHOWN,
    )
