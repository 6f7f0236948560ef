"""The trail a page draws from its address: its audience's home first, names for its numbers."""

from types import SimpleNamespace

from web.breadcrumbs import trail
from web.i18n import gettext

GRONG = SimpleNamespace(
    memberships=[SimpleNamespace(kommunenummer="5045", place="Grong")], active=None
)


def test_a_programme_page_is_named_by_its_programme_under_the_municipalitys_home():
    programme = SimpleNamespace(id=12, name="Omstilling Grong")
    found = trail(
        "/k/5045/programmes/12/setup?x=1",
        "nb",
        GRONG,
        lookup={"programme": programme}.get,
    )
    assert found == [
        ("/k/5045", "Grong"),
        ("/k/5045/programmes", gettext("nb", "Programmes")),
        ("/k/5045/programmes/12", "Omstilling Grong"),
        ("/k/5045/programmes/12/setup", gettext("nb", "Set-up")),
    ]


def test_a_number_the_page_does_not_name_is_shown_as_a_number():
    found = trail("/k/5045/projects/7", "en", GRONG, lookup={}.get)
    assert found[-1] == ("/k/5045/projects/7", "№ 7")


def test_an_address_word_it_does_not_know_ends_the_trail():
    assert trail("/k/5045/tenders/3/protocol.pdf", "en", GRONG)[-1] == (
        "/k/5045/tenders/3",
        "№ 3",
    )


def test_a_business_tender_page_leads_back_to_the_tenders_list_that_exists():
    mette = SimpleNamespace(
        memberships=[SimpleNamespace(organisasjonsnummer="931782258", place="Fossli")]
    )
    found = trail("/o/931782258/tenders/4", "nn", mette)
    assert found[1] == ("/tenders", gettext("nn", "Tenders"))
    assert trail("/o/931782258/bids/2", "nn", mette)[1][0] == "/o/931782258/bids"
    assert trail("/k/5045/tenders/3", "nn", GRONG)[1][0] == "/k/5045/tenders"


def test_pages_outside_an_audience_start_at_samspel():
    assert trail("/me", "en") == [("/", "Samspel"), ("/me", "Your roles")]
    assert trail("/", "en") == [("/", "Samspel")]
