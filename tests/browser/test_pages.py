"""Each role's main task in a real browser, end to end, with axe-core on every page."""

import re

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from governance.flowruns.models import FlowRun
from governance.forecasts import services as forecast_services
from governance.forecasts.selectors import budget_in_force
from governance.hubs import services
from governance.hubs.choices import HubRole, ItemStatus, PremisesStatus
from governance.hubs.models import Hub, HubChecklistItem
from governance.hubs.selectors import hubs_with_facts
from governance.memberships import services as membership_services
from governance.organisations.models import Organisation


def test_coordinator_finds_the_at_risk_hub_and_sees_why_it_cannot_move_on(visit):
    anonymous = visit()
    anonymous.goto("/")
    expect(anonymous.page).to_have_url(re.compile(r"/sign-in/"))
    anonymous.check("sign-in")

    coordinator = visit("coordinator")
    page = coordinator.page
    expect(page.locator("#slot-hubs_needing_attention")).to_contain_text("Samverket Sundsvall")
    coordinator.check("start-coordinator")

    page.get_by_role("link", name="Nationell översikt").first.click()
    expect(page.locator("table.overview-table tbody tr")).to_have_count(5)
    expect(page.locator("svg.timeline rect.bar--planned").first).to_be_visible()
    coordinator.check("overview-all")
    page.get_by_label("Tid i fasen").select_option("at_risk")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"time_status=at_risk"))
    rows = page.locator("table.overview-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Längre än den kortaste uppskattningen")
    coordinator.check("overview")

    rows.first.get_by_role("link", name="Samverket Sundsvall").click()
    blocked = page.locator("#blocked-start_up")
    expect(blocked).to_contain_text("Starta uppstart")
    expect(blocked).to_contain_text("community manager")
    expect(blocked).to_contain_text("huvudman")
    expect(blocked).to_contain_text("täcker inte likviditetsbehovet")
    coordinator.check("hub-coordinator")


def _agree_on_fees_and_financing(hub: Hub, actor: User, principal: Organisation) -> None:
    """Sundsvall's fee schedule agreed and adopted, and a new budget version adopted whose
    start-up support covers its forecast's liquidity need (the demo's falls short)."""
    today = timezone.localdate()
    agreement = {"agreed_by": [principal.pk], "agreed_on": today, "decision_reference": "Dnr 1"}
    schedule = membership_services.fee_schedule_create(
        actor=actor,
        hub_id=hub.pk,
        effective_from=today,
        seat_price_ore=150_000,
        tiers=[{"employees_from": 1, "employees_to": None, "yearly_fee_ore": 2_500_000}],
        **agreement,
    )
    membership_services.fee_schedule_transition(
        actor=actor, feeschedule_id=schedule.pk, name="adopt"
    )
    need = hubs_with_facts().get(pk=hub.pk).peak_liquidity_need_sek
    lines = [
        {"category": line.category, "amount_sek": line.amount_sek, "note": line.note}
        for line in budget_in_force(hub, on=today).lines.all()
        if line.category != "startup_support"
    ]
    budget = forecast_services.budget_create(
        actor=actor,
        hub_id=hub.pk,
        year=today.year,
        lines=[*lines, {"category": "startup_support", "amount_sek": need, "note": ""}],
        **agreement,
    )
    forecast_services.budget_transition(actor=actor, budget_id=budget.pk, name="adopt")


def _ready_but_for_two_items(hub: Hub) -> list[str]:
    """Sundsvall with its principal, premises, CM, fees and financing, and all but two required
    items done."""
    actor = User.objects.get(username="coordinator")
    principal = Organisation.objects.order_by("pk").first()
    _agree_on_fees_and_financing(hub, actor, principal)
    services.hub_update(
        actor=actor,
        hub_id=hub.pk,
        principal=principal.pk,
        premises_status=PremisesStatus.CONTRACTED,
    )
    services.hub_role_assign(
        actor=actor,
        hub_id=hub.pk,
        user_id=User.objects.get(username="cm_linkoping").pk,
        role=HubRole.COMMUNITY_MANAGER,
    )
    open_keys = list(
        HubChecklistItem.objects.filter(
            hub=hub, phase="preparation", required=True, status=ItemStatus.OPEN
        )
        .order_by("position")
        .values_list("key", flat=True)
    )
    for key in open_keys[:-2]:
        services.checklist_item_update(actor=actor, hub_id=hub.pk, key=key, status=ItemStatus.DONE)
    return open_keys[-2:]


def test_team_ticks_the_last_required_items_and_the_coordinator_moves_the_hub_on(visit):
    hub = Hub.objects.get(name="Samverket Sundsvall")
    last_keys = _ready_but_for_two_items(hub)

    team = visit("team")
    page = team.page
    expect(page.locator("#slot-my_checklist_items")).to_be_visible()
    team.check("start-team")
    team.goto(f"/hubs/{hub.pk}/")
    for key in last_keys:
        item = page.locator(f"#item-{key}")
        item.get_by_role("button", name=re.compile("Markera som klar")).click()
        expect(page.locator(f"#item-{key} .item-status")).to_have_text("Klar")
    progress = page.locator("#progress-preparation")
    expect(progress).to_contain_text(re.compile(r"Obligatoriska: (\d+) av \1 klara"))
    team.check("hub-team")

    coordinator = visit("coordinator")
    coordinator.goto(f"/hubs/{hub.pk}/")
    page = coordinator.page
    page.locator("summary", has_text="Starta uppstart").click()
    page.locator("#comment-start_up").fill("Klar för uppstart.")
    page.get_by_role("button", name="Bekräfta: Starta uppstart").click()
    expect(page.locator(".message--success")).to_contain_text("Uppstart")
    expect(page.locator("#phase table")).to_contain_text("Klar för uppstart.")
    assert Hub.objects.get(pk=hub.pk).phase == "startup"


def test_principal_edits_readiness(visit):
    hub = Hub.objects.get(name="Samverket Östersund")
    principal = visit("principal")
    page = principal.page
    principal.check("start-principal")
    principal.goto(f"/hubs/{hub.pk}/")
    aspect = page.locator("fieldset.aspect", has_text="Lämplig lokal att tillgå")
    aspect.get_by_label("Poäng").select_option("2")
    aspect.get_by_label("Anteckning").fill("Hyresavtalet löper ut 2027.")
    page.get_by_role("button", name="Spara beredskapen").click()
    expect(page.locator(".message--success")).to_contain_text("Beredskapen är sparad")
    score = hub.readiness_scores.get(aspect="premises")
    assert (score.score, score.note) == (2, "Hyresavtalet löper ut 2027.")
    principal.check("hub-principal")
    page.get_by_role("button", name="Ändra uppgifterna").click()
    expect(page.get_by_label("Huvudman")).to_be_disabled()  # the coordinator's choice
    principal.check("hub-edit-principal")
    page.get_by_role("button", name="Avbryt").click()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    principal.goto("/overview/")
    expect(page.get_by_role("heading", name="National overview")).to_be_visible()
    principal.check("overview-english")


def test_team_member_has_no_coordinator_controls_and_a_forged_post_is_refused(visit):
    hub = Hub.objects.get(name="Samverket Sundsvall")
    team = visit("team")
    page = team.page
    team.goto(f"/hubs/{hub.pk}/")
    expect(page.get_by_role("button", name=re.compile("Starta uppstart"))).to_have_count(0)
    expect(page.locator("summary", has_text="Starta uppstart")).to_have_count(0)
    expect(page.get_by_text("Ge någon en roll i hubben")).to_have_count(0)
    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token, comment: ''});
            return (await fetch(url, {method: 'POST', body})).status;
        }""",
        f"/hubs/{hub.pk}/transitions/start_preparation/",
    )
    assert status == 403
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"
    team.goto("/hubs/new/")
    expect(page.get_by_role("heading", name="Ingen behörighet")).to_be_visible()
    team.check("forbidden")
    team.goto("/no-such-page/")
    team.check("not-found")


def test_coordinator_tools_and_a_flow_runs_progress(visit):
    coordinator = visit("coordinator")
    page = coordinator.page
    page.get_by_role("link", name="Föreslå hubb").click()
    page.get_by_label("Namn").fill("Samverket Östersund")  # taken: the form keeps what was typed
    page.get_by_label("Kommun").fill("Gävle")
    page.get_by_label("Län").select_option("gavleborg")
    page.get_by_role("button", name="Föreslå hubben").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Namn")
    expect(page.get_by_label("Kommun")).to_have_value("Gävle")
    coordinator.check("propose-hub-with-errors")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Namn")).to_be_focused()

    hub = Hub.objects.get(name="Samverket Sundsvall")
    coordinator.goto(f"/hubs/{hub.pk}/checklist/pull/")
    coordinator.check("checklist-pull")

    run = FlowRun.objects.create(
        flow_name="revalidate_org_numbers", requested_by=User.objects.get(username="coordinator")
    )
    coordinator.goto(f"/flow-runs/{run.pk}/")
    expect(page.locator("#flow-run")).to_contain_text(re.compile("väntar", re.IGNORECASE))
    coordinator.check("flow-run-waiting")
    FlowRun.objects.filter(pk=run.pk).update(
        state="completed", result={"checked": 12, "invalid": []}
    )
    expect(page.locator("#flow-run")).to_contain_text("Slutförd", timeout=10_000)
    expect(page.locator("#flow-run")).to_contain_text("checked")
    coordinator.check("flow-run-done")


def test_sign_in_by_keyboard_and_password_reset(visit):
    visitor = visit()
    page = visitor.page
    visitor.goto("/no-such-page/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    visitor.goto("/sign-in/")
    expect(page.get_by_label("Användarnamn")).to_be_focused()  # autofocus
    page.keyboard.type("team")
    page.keyboard.press("Tab")
    page.keyboard.type("fel lösenord")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Användarnamn")).to_have_value("team")
    visitor.check("sign-in-with-errors")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    visitor.check("password-reset")
