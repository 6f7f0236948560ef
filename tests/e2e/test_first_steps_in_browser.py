"""In Chromium, with no demo municipality: the operator creates a region with three
municipalities, invites their admins and a council member; the first admin follows the mailed
link, sets the programme up, walks an action plan to the county's grant, takes a project from
pre-study to its pre-project, and starts a regional project with a neighbour, which the
neighbour and the council see and the third municipality does not. Once in bokmål, once in
nynorsk."""

import re
import secrets

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.mailbox import last_mail_to
from web.i18n import gettext
from web.projects.pages import NEXT_STEPS

pytestmark = pytest.mark.e2e
# Two cores shared by many: a boosted form's answer may take longer than expect's 5 s.
expect.set_options(timeout=20_000)

OPERATOR = "Henrik Solberg"


def log_in(page: Page, base: str, *, person: str = "", pid: str = "") -> None:
    page.goto(base + "/")
    page.locator("header a[href^='/auth/login']").click()
    if pid:
        page.locator("#custom_pid").fill(pid)
        page.locator("button[name=action][value=custom]").click()
    else:
        page.get_by_role("button", name=re.compile(person)).click()


class Place:
    """A municipality the operator makes, and the address its admin is invited at."""

    def __init__(self, name: str) -> None:
        self.kommunenummer = f"9{secrets.randbelow(1000):03d}"
        self.name = f"{name} {self.kommunenummer}"
        self.email = f"admin-{self.kommunenummer}-{secrets.token_hex(2)}@{name.lower()}.example"
        self.home = f"/k/{self.kommunenummer}"


def operator_onboards(page: Page, base: str, slug: str, places: list[Place], council: str):
    log_in(page, base, person=OPERATOR)
    expect(page).to_have_url(base + "/operator")
    regions = page.locator("form[action='/operator/regions']")
    regions.locator("[name=slug]").fill(slug)
    regions.locator("[name=name]").fill(f"Region {slug}")
    regions.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", name=f"Region {slug}")).to_be_visible()

    for place in places:
        made = page.locator("form[action='/operator/municipalities']")
        made.locator("[name=kommunenummer]").fill(place.kommunenummer)
        made.locator("[name=name]").fill(place.name)
        made.locator("[name=region]").select_option(slug)
        made.locator("button[type=submit]").click()
        invite = page.locator(
            f"form[action='/operator/municipalities/{place.kommunenummer}/admin-invitations']"
        )
        invite.locator("[name=email]").fill(place.email)
        invite.locator("button[type=submit]").click()
        expect(page.locator(".invitation-link")).to_be_visible()

    invite = page.locator(f"form[action='/operator/regions/{slug}/council-invitations']")
    invite.locator("[name=email]").fill(council)
    invite.locator("button[type=submit]").click()
    expect(page.locator(".invitation-link")).to_be_visible()


def accept_mailed_invitation(page: Page, email: str, name: str) -> None:
    """A person new to Samspel follows the link in their mail, registers and accepts."""
    page.context.clear_cookies()
    mail = last_mail_to(email)
    link = re.search(r"http\S+/invitations/\S+", mail["body"]).group(0)
    page.goto(link)
    page.locator("main a[href^='/auth/login?next=/invitations/']").click()
    page.locator("#custom_pid").fill(f"{secrets.randbelow(10**11):011d}")
    page.locator("button[name=action][value=custom]").click()
    page.locator("#field-name").fill(name)
    page.locator("#field-email").fill(email)
    page.locator("main form button[type=submit]").click()
    page.locator("form[action^='/invitations/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_a_new_municipality_is_onboarded_and_runs_its_programme_and_projects(
    browser: Browser, product, lang
):
    base, _, _ = product
    context = browser.new_context(locale=f"{lang}-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)

    def t(message: str, **values) -> str:
        return gettext(lang, message, **values)

    def step_text(step: str, phase: str) -> str:
        return t(NEXT_STEPS[step], phase=t(phase).lower())

    slug = f"nyregion-{secrets.token_hex(3)}"
    lead, neighbour, third = Place("Nyby"), Place("Grannby"), Place("Tredjeby")
    council = f"raad-{secrets.token_hex(3)}@{slug}.example"
    operator_onboards(page, base, slug, [lead, neighbour, third], council)

    # The invitation, as the worker would mail it, carries the one-time link.
    assert lead.name in last_mail_to(lead.email)["subject"]
    accept_mailed_invitation(page, lead.email, "Nora Nyby")

    page.goto(base + lead.home)
    page.get_by_role("link", name=t("Start the municipality's programme")).click()
    name = f"Omstilling {lead.name}"
    page.locator("#field-name").fill(name)
    page.locator("#field-kind").select_option("naeringsutvikling")
    page.locator("#field-period_start").fill("2026")
    page.locator("#field-period_end").fill("2029")
    page.get_by_role("button", name=t("Start the programme")).click()
    expect(page).to_have_url(re.compile(rf"{lead.home}/programmes/\d+/setup"))
    expect(page.locator("nav.breadcrumbs")).to_contain_text(name)

    page.locator("#field-funding-amount").fill("2 000 000")
    page.get_by_role("button", name=t("Add the line")).click()
    funding = page.locator("#funding ~ .table-scroll table, #funding ~ table").first
    expect(funding).to_contain_text(re.compile(r"2\s000\s000"))

    for member, seat in (("Ola Ordfører", "politician"), ("Siri Sagbruk", "business")):
        page.locator("#field-board-name").fill(member)
        page.locator("#field-board-seat").select_option(seat)
        page.locator("#field-board-term_start").fill("2026-01-01")
        page.get_by_role("button", name=t("Add the member")).click()
        expect(page.locator("#board ~ .table-scroll table, #board ~ table").first).to_contain_text(member)

    page.locator("#field-name_nb-0").fill("Reiseliv")
    page.locator("#field-name_nn-0").fill("Reiseliv")
    page.locator("#field-share-0").fill("70")
    page.locator("#field-name_nb-1").fill("Industri")
    page.locator("#field-name_nn-1").fill("Industri")
    page.locator("#field-share-1").fill("30")
    expect(page.locator("#share-sum")).to_contain_text("100 %")
    page.get_by_role("button", name=t("Save the strategy areas")).click()
    # Saved, the page is drawn again: the two areas, then two empty rows for new ones.
    expect(page.locator("#field-name_nb-3")).to_have_count(1)
    expect(page.locator("#field-name_nb-1")).to_have_value("Industri")

    page.locator("#field-kpi-name").fill("Gjestedøgn")
    page.locator("#field-kpi-unit").fill("antall")
    page.locator("#field-kpi-baseline").fill("0")
    page.get_by_role("button", name=t("Add the KPI")).click()
    expect(page.locator("#kpis ~ ul")).to_contain_text("Gjestedøgn")

    # The KPI form answers with a page reload (HX-Refresh): let it finish before moving on, or
    # the reload lands on the plans page after the goal is typed and empties it.
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=t("Action plans"), exact=True).first.click()
    page.wait_for_url("**/plans")
    page.wait_for_load_state("networkidle")
    page.get_by_label(t("Goal")).first.fill("Fem nye reiselivsbedrifter")
    page.get_by_role("button", name=t("Save the draft")).click()
    plan = page.locator("article.action-plan")
    expect(plan).to_contain_text(t("Draft"))
    for state in ("board_approved", "municipality_approved", "county_granted"):
        plan.locator(f"form:has(input[name=state][value={state}]) button").click()
    expect(plan.locator("h3 .ds-tag")).to_have_text(t("Granted by the county"))
    expect(plan.locator(".plan-steps li")).to_have_count(4)

    # A project of the municipality's own, from its pre-study to the go for its pre-project.
    page.goto(base + lead.home + "/projects/new")
    title = f"Forstudie: hotell {secrets.token_hex(2)}"
    page.locator("#field-title").fill(title)
    page.locator("#phase-forstudie").check()
    page.locator("#field-owner").select_option(label="Nora Nyby")
    page.locator("#field-budget").fill("150 000")
    page.locator("#field-decided_on").fill("2026-02-01")
    page.get_by_role("button", name=t("Start the project")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    expect(page.locator("#next-step-text")).to_have_text(step_text("plan", "Pre-project"))
    page.locator("#field-mandate").fill("Finn ein hotellaktør og ei tomt.")
    page.locator("#field-budget").fill("400000")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(step_text("close", "Pre-study"))
    page.locator("#field-closing_report").fill("To aktørar er interesserte.")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(step_text("decision_point", "Pre-study"))
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(step_text("decide", "Pre-project"))
    page.locator("#decide").click()
    dialog = page.locator("dialog#decision-dialog")
    dialog.locator("#outcome-go").check()
    dialog.locator("#field-basis").fill("Sluttrapporten frå forstudien.")
    dialog.locator("button[type=submit]").click()
    expect(page.locator("#current-phase")).to_have_text(t("Pre-project"))
    expect(page.locator("#approved-budget")).to_have_text(re.compile(r"^400\s000\skr$"))

    # A regional project with the neighbour, its cost shares summing to 100 %.
    page.goto(base + lead.home + "/projects/new")
    regional = f"Felles reiseliv {secrets.token_hex(2)}"
    page.locator("#field-title").fill(regional)
    page.locator("#phase-forstudie").check()
    page.locator("#field-owner").select_option(label="Nora Nyby")
    page.locator("#field-budget").fill("300 000")
    page.locator("#field-decided_on").fill("2026-03-01")
    page.locator("#participant-1").select_option(label=neighbour.name)
    page.locator("#share-0").fill("60")
    page.locator("#share-1").fill("40")
    expect(page.locator("#share-sum strong")).to_have_attribute("data-sum", "100")
    page.get_by_role("button", name=t("Start the project")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(regional)
    project_id = re.search(r"/projects/(\d+)$", page.url).group(1)

    accept_mailed_invitation(page, neighbour.email, "Geir Grannby")
    page.goto(base + neighbour.home + "/projects")
    expect(page.locator(".project-table")).to_contain_text(regional)

    accept_mailed_invitation(page, council, "Rita Råd")
    page.goto(base + f"/r/{slug}")
    expect(page.locator("#regional-projects")).to_contain_text(regional)
    expect(page.locator("#council-members")).to_contain_text("Rita Råd")
    page.get_by_role("link", name=regional).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(regional)

    accept_mailed_invitation(page, third.email, "Tor Tredjeby")
    page.goto(base + third.home + "/projects")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(regional)
    missing = page.request.get(base + f"{third.home}/projects/{project_id}")
    assert missing.status == 404
    context.close()
