"""The ceiling app answers each path with the very bytes it was given, and the bench's
ratios and verdicts say what the targets mean."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.load.ceiling import Page, ceiling_app, ratio, verdict

PAGES = [
    Page("/tenders", body=b"<html>list</html>", headers={"etag": '"v1"'}),
    Page("/tenders", "kommune=5045", True, body=b"<form>fragment</form>"),
    Page("/k/5045/dashboard", "v=abc", True, status=204, body=b""),
    Page("/api/v1/tenders", media_type="application/json", body=b'{"tenders": []}'),
]


def test_the_ceiling_serves_each_page_s_own_bytes_at_its_own_path():
    with TestClient(ceiling_app(PAGES)) as client:
        page = client.get("/tenders")
        assert page.content == b"<html>list</html>" and page.headers["etag"] == '"v1"'
        fragment = client.get("/tenders?kommune=5045", headers={"HX-Request": "true"})
        assert fragment.content == b"<form>fragment</form>"
        assert (
            client.get("/k/5045/dashboard?v=abc", headers={"HX-Request": "true"}).status_code == 204
        )
        api = client.get("/api/v1/tenders")
        assert api.json() == {"tenders": []}
        assert api.headers["content-type"].startswith("application/json")


def test_a_share_of_the_ceiling_is_met_from_its_target_up():
    assert ratio(600, 1000) == 60
    assert verdict(ratio(600, 1000), 60) == "met"
    assert verdict(ratio(599, 1000), 60) == "not met"
    assert verdict(ratio(1, 0), 20) == "not met"


def test_a_latency_target_is_met_at_or_below_it():
    assert verdict(50, 50, at_most=True) == "met"
    assert verdict(50.1, 50, at_most=True) == "not met"
    assert verdict(3, None) == ""
