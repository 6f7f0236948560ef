"""An app whose OIDC client reaches the in-process dev ID-porten."""

import pytest

from tests.web.auth.idp import Provider
from tests.web.conftest import serve
from web.app import create_app


@pytest.fixture
def provider(settings) -> Provider:
    return Provider(settings)


@pytest.fixture
async def site(settings, database, demo, provider):
    app = create_app(settings, database=database, oidc_transport=provider.transport)
    async with serve(app) as client:
        yield client
