"""The web pages through Django's test client: who may open and post what, and the forms."""

import csv
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from governance.hubs import services
from governance.hubs.choices import HubRole, ItemStatus, Phase, PremisesStatus
from governance.hubs.models import Hub
from governance.memberships.fees import format_kronor
from tests.factories import (
    PASSWORD,
    ChecklistVersionFactory,
    HubChecklistItemFactory,
    HubFactory,
    OrganisationFactory,
    ReadinessScoreFactory,
    UserFactory,
)
from tests.hubs.conftest import agree_on_economy
from tests.test_production import PageAudit

NBSP = "\xa0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    hub = HubFactory(name="Samverket Testby", phase_entered_on="2020-01-01")
    Hub.objects.filter(pk=hub.pk).update(
        phase=Phase.PREPARATION, preparation_started_on="2020-01-01"
    )
    version = ChecklistVersionFactory(phase=Phase.PREPARATION)
    for position, item in enumerate(version.items):
        HubChecklistItemFactory(hub=hub, version=version, item=item, position=position)
    return Hub.objects.get(pk=hub.pk)


@pytest.fixture
def people(hub, coordinator):
    return {
        "coordinator": coordinator,
        "team": UserFactory(roles=[(HubRole.ESTABLISHMENT_TEAM, hub)]),
        "principal": UserFactory(roles=[(HubRole.PRINCIPAL_STAFF, hub)]),
        "owner": UserFactory(roles=[(HubRole.OWNER_GROUP_REP, hub)]),
        "outsider": UserFactory(),
    }


def as_(client_for, people, who) -> Client:
    return client_for(people[who])


PAGES = ["/", "/overview/", "/overview.csv", "/overview.xlsx", "/hubs/{id}/"]


@pytest.mark.parametrize("path", [*PAGES, "/hubs/new/", "/hubs/{id}/edit/", "/flow-runs/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, hub, path):
    response = client.get(path.format(id=hub.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("who", ["coordinator", "team", "principal", "owner", "outsider"])
@pytest.mark.parametrize("path", PAGES)
def test_everyone_signed_in_reads_the_pages(client_for, people, hub, who, path):
    assert as_(client_for, people, who).get(path.format(id=hub.pk)).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("team", 200), ("principal", 200), ("owner", 403), ("outsider", 403)],
)
def test_editing_a_hub_is_for_the_coordinator_and_the_hubs_team_and_principal(
    client_for, people, hub, who, status
):
    assert as_(client_for, people, who).get(f"/hubs/{hub.pk}/edit/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("team", 403), ("principal", 403), ("owner", 403)]
)
def test_coordinator_only_pages(client_for, people, hub, who, status):
    client = as_(client_for, people, who)
    assert client.get("/hubs/new/").status_code == status
    assert client.get(f"/hubs/{hub.pk}/checklist/pull/").status_code == status


def test_the_sign_in_page_signs_in_and_the_start_page_follows(client):
    user = UserFactory(username="anna")
    response = client.post("/sign-in/", {"username": "anna", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == user
    assert 'lang="sv"' in response.text


def test_a_wrong_password_keeps_the_username_and_names_the_problem(client):
    UserFactory(username="anna")
    response = client.post("/sign-in/", {"username": "anna", "password": "fel"})
    assert response.status_code == 200
    assert 'value="anna"' in response.text
    assert "error-summary" in response.text


def test_sign_out_is_a_post_and_ends_the_session(client_for, people):
    client = as_(client_for, people, "team")
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_forms_carry_csrf_and_a_post_without_it_is_refused(people, hub):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["team"])
    page = client.get(f"/hubs/{hub.pk}/")
    assert "csrfmiddlewaretoken" in page.text
    response = client.post(f"/hubs/{hub.pk}/readiness/", {"premises_score": "2"})
    assert response.status_code == 403


def test_password_reset_by_e_mail_end_to_end(client):
    UserFactory(username="anna", email="anna@example.org")
    form = client.get("/password-reset/")
    assert "web/password_reset/form.html" in [t.name for t in form.templates]
    response = client.post("/password-reset/", {"email": "anna@example.org"})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in confirm.text
    new_password = "en helt ny fras 2026"
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Lösenordet är bytt" in done.text
    signed_in = client.post("/sign-in/", {"username": "anna", "password": new_password})
    assert signed_in["Location"] == "/"


def test_the_session_expires(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600


def test_english_is_remembered_in_a_cookie(client_for, people):
    client = as_(client_for, people, "team")
    client.post("/i18n/setlang/", {"language": "en", "next": "/overview/"})
    response = client.get("/overview/")
    assert 'lang="en"' in response.text
    assert "National overview" in response.text


def test_start_page_shows_the_coordinator_the_hub_past_its_estimate(client_for, people, hub):
    response = as_(client_for, people, "coordinator").get("/")
    assert "slot-hubs_needing_attention" in response.text
    assert "Samverket Testby" in response.text


def test_start_page_shows_the_team_their_open_items(client_for, people, hub):
    response = as_(client_for, people, "team").get("/")
    assert "slot-my_checklist_items" in response.text
    assert "Hitta en huvudman" in response.text
    assert "slot-hubs_needing_attention" not in response.text


def test_overview_filters_stay_in_the_address_and_sort(client_for, people, hub):
    HubFactory(name="Samverket Annanstans")
    client = as_(client_for, people, "owner")
    response = client.get("/overview/?time_status=overdue&sort=-name")
    assert [row.name for row in response.context["rows"]] == ["Samverket Testby"]
    assert "time_status=overdue" in response.context["filter_query"]
    response = client.get("/overview/?phase=nonsense")
    assert len(response.context["rows"]) == 2


def test_overview_downloads(client_for, people, hub):
    client = as_(client_for, people, "owner")
    text = client.get("/overview.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "name"
    assert rows[1][0] == "Samverket Testby"
    workbook = load_workbook(io.BytesIO(client.get("/overview.xlsx").content))
    assert workbook.active["A2"].value == "Samverket Testby"


def test_hub_page_shows_the_blocked_transition_and_its_reasons(client_for, people, hub):
    response = as_(client_for, people, "coordinator").get(f"/hubs/{hub.pk}/")
    assert 'id="blocked-start_up"' in response.text
    assert "community manager" in response.text


def test_hub_page_shows_which_economic_prerequisite_is_missing(client_for, people, hub):
    """The fee schedule and budget are in place; the financing is short of the need."""
    need = agree_on_economy(hub, financing_sek=1_000).peak_liquidity_need_sek
    text = as_(client_for, people, "coordinator").get(f"/hubs/{hub.pk}/").text
    assert "Hubben har ingen fastställd avgiftstrappa" not in text
    assert "Hubben har ingen fastställd budget" not in text
    assert (
        f"Finansieringen 1{NBSP}000 kr täcker inte likviditetsbehovet "
        f"{format_kronor(need * 100)} i hubbens aktuella prognos"
    ) in text


def test_hub_page_hides_coordinator_controls_from_the_team(client_for, people, hub):
    response = as_(client_for, people, "team").get(f"/hubs/{hub.pk}/")
    assert "/transitions/" not in response.text
    assert "/people/" not in response.text
    assert "Markera som klar" in response.text


def test_hub_page_hides_people_from_outsiders(client_for, people, hub):
    response = as_(client_for, people, "outsider").get(f"/hubs/{hub.pk}/")
    assert people["team"].username not in response.text
    assert "Markera som klar" not in response.text


@pytest.mark.parametrize(("who", "status"), [("team", 403), ("owner", 403), ("outsider", 403)])
def test_forged_transition_posts_are_refused(client_for, people, hub, who, status):
    response = as_(client_for, people, who).post(f"/hubs/{hub.pk}/transitions/close/")
    assert response.status_code == status
    assert "Ingen behörighet" in response.text
    assert Hub.objects.get(pk=hub.pk).phase == Phase.PREPARATION


def test_coordinator_runs_a_transition_with_a_comment(client_for, people, hub):
    client = as_(client_for, people, "coordinator")
    response = client.post(f"/hubs/{hub.pk}/transitions/pause/", {"comment": "Sommaruppehåll"})
    assert response.status_code == 302
    assert Hub.objects.get(pk=hub.pk).phase == Phase.PAUSED
    assert "Sommaruppehåll" in client.get(f"/hubs/{hub.pk}/").text


def test_a_blocked_transition_answers_with_its_reasons(client_for, people, hub):
    client = as_(client_for, people, "coordinator")
    response = client.post(f"/hubs/{hub.pk}/transitions/start_up/", follow=True)
    assert Hub.objects.get(pk=hub.pk).phase == Phase.PREPARATION
    assert "community manager" in response.text
    assert client.post(f"/hubs/{hub.pk}/transitions/nonsense/").status_code == 404


def test_ticking_an_item_with_htmx_answers_the_item_and_the_progress(client_for, people, hub):
    client = as_(client_for, people, "team")
    key = hub.checklist_items.get(required=True).key
    response = client.post(
        f"/hubs/{hub.pk}/checklist/{key}/",
        {"quick": "1", "status": "done"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="item-{key}"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert "Obligatoriska: 1 av 1 klara" in response.text
    assert hub.checklist_items.get(key=key).status == ItemStatus.DONE


def test_ticking_without_htmx_returns_to_the_hub_page(client_for, people, hub):
    key = hub.checklist_items.get(required=True).key
    response = as_(client_for, people, "team").post(
        f"/hubs/{hub.pk}/checklist/{key}/", {"quick": "1", "status": "done"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/hubs/{hub.pk}/#item-{key}"


def test_not_applicable_without_a_reason_keeps_what_was_typed(client_for, people, hub):
    key = hub.checklist_items.get(required=False).key
    response = as_(client_for, people, "team").post(
        f"/hubs/{hub.pk}/checklist/{key}/",
        {f"{key}-status": "not_applicable", f"{key}-note": "Min anteckning"},
        headers={"HX-Request": "true"},
    )
    assert "error-summary" in response.text
    assert "Min anteckning" in response.text
    assert hub.checklist_items.get(key=key).status == ItemStatus.OPEN


def test_only_the_coordinator_waives_a_required_item(client_for, people, hub):
    key = hub.checklist_items.get(required=True).key
    data = {f"{key}-status": "not_applicable", f"{key}-not_applicable_reason": "Finns redan"}
    team_page = as_(client_for, people, "team").get(f"/hubs/{hub.pk}/").text
    assert f'id="{key}-status-not_applicable"' not in team_page
    response = as_(client_for, people, "team").post(f"/hubs/{hub.pk}/checklist/{key}/", data)
    assert response.status_code == 403
    response = as_(client_for, people, "coordinator").post(f"/hubs/{hub.pk}/checklist/{key}/", data)
    assert response.status_code == 302
    assert hub.checklist_items.get(key=key).status == ItemStatus.NOT_APPLICABLE


def test_note_and_evidence_link(client_for, people, hub):
    key = hub.checklist_items.get(required=False).key
    as_(client_for, people, "principal").post(
        f"/hubs/{hub.pk}/checklist/{key}/",
        {
            f"{key}-status": "open",
            f"{key}-note": "Se protokoll",
            f"{key}-evidence_url": "https://example.org/p",
        },
    )
    item = hub.checklist_items.get(key=key)
    assert (item.note, item.evidence_url) == ("Se protokoll", "https://example.org/p")


@pytest.mark.parametrize(("who", "status"), [("owner", 403), ("outsider", 403)])
def test_checklist_changes_are_refused_to_others(client_for, people, hub, who, status):
    key = hub.checklist_items.first().key
    response = as_(client_for, people, who).post(
        f"/hubs/{hub.pk}/checklist/{key}/", {"quick": "1", "status": "done"}
    )
    assert response.status_code == status


def test_principal_scores_readiness(client_for, people, hub):
    response = as_(client_for, people, "principal").post(
        f"/hubs/{hub.pk}/readiness/", {"premises_score": "2", "premises_note": "Två lokaler"}
    )
    assert response.status_code == 302
    score = hub.readiness_scores.get(aspect="premises")
    assert (score.score, score.note) == (2, "Två lokaler")


def test_readiness_error_keeps_what_was_typed(client_for, people, hub):
    ReadinessScoreFactory(hub=hub, aspect="people", score=1)
    response = as_(client_for, people, "team").post(
        f"/hubs/{hub.pk}/readiness/", {"premises_score": "7", "premises_note": "Mitt skäl"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert "Mitt skäl" in response.text


def test_readiness_is_refused_to_others(client_for, people, hub):
    response = as_(client_for, people, "owner").post(
        f"/hubs/{hub.pk}/readiness/", {"premises_score": "2"}
    )
    assert response.status_code == 403


def test_editing_details_and_the_principal_is_the_coordinators(client_for, people, hub):
    organisation = OrganisationFactory()
    data = {
        "name": hub.name,
        "municipality": "Nyby",
        "county": hub.county,
        "premises_status": PremisesStatus.IDENTIFIED,
        "principal": organisation.pk,
    }
    response = as_(client_for, people, "team").post(f"/hubs/{hub.pk}/edit/", data)
    assert response.status_code == 302
    hub.refresh_from_db()
    assert (hub.municipality, hub.principal_id) == ("Nyby", None)
    as_(client_for, people, "coordinator").post(f"/hubs/{hub.pk}/edit/", data)
    hub.refresh_from_db()
    assert hub.principal_id == organisation.pk


def test_an_invalid_detail_keeps_what_was_typed(client_for, people, hub):
    HubFactory(name="Upptagen")
    response = as_(client_for, people, "team").post(
        f"/hubs/{hub.pk}/edit/",
        {
            "name": "Upptagen",
            "municipality": "Nyby",
            "county": hub.county,
            "premises_status": "none",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert 'value="Nyby"' in response.text


def test_coordinator_proposes_a_hub(client_for, people):
    response = as_(client_for, people, "coordinator").post(
        "/hubs/new/",
        {
            "name": "Samverket Gävle",
            "municipality": "Gävle",
            "county": "gavleborg",
            "premises_status": "none",
        },
    )
    hub = Hub.objects.get(name="Samverket Gävle")
    assert response["Location"] == f"/hubs/{hub.pk}/"
    assert hub.phase == Phase.PROPOSED


def test_coordinator_assigns_and_removes_a_role(client_for, people, hub):
    client = as_(client_for, people, "coordinator")
    person = people["outsider"]
    response = client.post(
        f"/hubs/{hub.pk}/people/", {"user": person.pk, "role": HubRole.COMMUNITY_MANAGER}
    )
    assert response.status_code == 302
    assignment = hub.role_assignments.get(user=person)
    client.post(f"/hubs/{hub.pk}/people/{assignment.pk}/remove/")
    assert not hub.role_assignments.filter(user=person).exists()


def test_role_assignment_is_refused_to_the_team(client_for, people, hub):
    response = as_(client_for, people, "team").post(
        f"/hubs/{hub.pk}/people/", {"user": people["outsider"].pk, "role": "community_manager"}
    )
    assert response.status_code == 403


def test_pull_shows_the_new_items_before_adding_them(client_for, people, hub):
    client = as_(client_for, people, "coordinator")
    preview = client.get(f"/hubs/{hub.pk}/checklist/pull/")
    new = preview.context["phases"][0]["items"]
    assert new, "the factory's two items are not in the playbook file"
    count = hub.checklist_items.count()
    assert hub.checklist_items.count() == count
    client.post(f"/hubs/{hub.pk}/checklist/pull/", {"phase": "preparation"})
    assert hub.checklist_items.count() == count + len(new)


def test_unknown_pages_and_hubs_answer_the_404_page(client_for, people):
    client = as_(client_for, people, "team")
    for path in ["/no-such-page/", "/hubs/999999/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Sidan finns inte" in response.text


def test_the_api_still_answers_json_and_its_docs_stay(client_for, people):
    client = as_(client_for, people, "team")
    assert client.get("/api/no-such-endpoint").json()["code"] == "not_found"
    assert client.get("/api/docs").status_code == 200


def test_flow_run_page_polls_until_done(client_for, people):
    from governance.flowruns.models import FlowRun

    run = FlowRun.objects.create(flow_name="revalidate_org_numbers", requested_by=people["team"])
    client = as_(client_for, people, "team")
    assert 'hx-trigger="every 2s"' in client.get(f"/flow-runs/{run.pk}/").text
    FlowRun.objects.filter(pk=run.pk).update(state="completed", result={"invalid": []})
    answer = client.get(f"/flow-runs/{run.pk}/", headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in answer
    assert "invalid" in answer
    assert as_(client_for, people, "owner").get(f"/flow-runs/{run.pk}/").status_code == 403


def test_a_waiting_run_says_why_and_when_it_is_stuck(client_for, people, settings):
    from datetime import timedelta

    from django.utils import timezone

    from governance.flowruns.models import FlowRun

    run = FlowRun.objects.create(
        flow_name="revalidate_org_numbers",
        requested_by=people["team"],
        state="queued",
        last_problem="Flödesservern svarar inte.",
    )
    client = as_(client_for, people, "team")
    page = client.get(f"/flow-runs/{run.pk}/").text
    assert "Flödesservern svarar inte." in page
    assert "väntat ovanligt länge" not in page
    waited = timedelta(seconds=settings.FLOW_STUCK_AFTER_SECONDS + 1)
    FlowRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - waited)
    assert "väntat ovanligt länge" in client.get(f"/flow-runs/{run.pk}/").text


def test_revalidation_is_started_from_a_page_by_the_coordinator(client_for, people):
    response = as_(client_for, people, "coordinator").post("/organisations/revalidate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/flow-runs/")
    assert as_(client_for, people, "team").post("/organisations/revalidate/").status_code == 403


def test_pages_have_no_inline_script_or_style_and_load_only_static_files(client_for, people, hub):
    client = as_(client_for, people, "coordinator")
    for path in ["/sign-in/", "/", "/overview/", f"/hubs/{hub.pk}/", f"/hubs/{hub.pk}/edit/"]:
        response = client.get(path)
        audit = PageAudit(response.headers["Content-Security-Policy"])
        audit.feed(response.text)
        assert audit.refused_inline == [], path
        assert all(asset.startswith("/static/") for asset in audit.assets), path


def test_services_stay_the_only_writers(hub, people):
    # The page's tick and the API's PATCH end in the same service and the same audit entry.
    services.checklist_item_update(
        actor=people["team"], hub_id=hub.pk, key=hub.checklist_items.first().key, status="done"
    )
    assert hub.checklist_items.filter(status="done").count() == 1


@pytest.mark.parametrize("path", ["/overview/", "/"])
def test_overview_and_start_page_queries_do_not_grow_per_hub(
    client_for, people, path, django_assert_max_num_queries
):
    client = as_(client_for, people, "coordinator")
    in_preparation = {"phase": Phase.PREPARATION, "phase_entered_on": "2020-01-01"}
    Hub.objects.filter(pk__in=[hub.pk for hub in HubFactory.create_batch(3)]).update(
        **in_preparation
    )
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    Hub.objects.filter(pk__in=[hub.pk for hub in HubFactory.create_batch(20)]).update(
        **in_preparation
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(path)


def test_a_refused_htmx_post_says_so_on_the_page(client_for, people, hub):
    key = hub.checklist_items.first().key
    response = as_(client_for, people, "owner").post(
        f"/hubs/{hub.pk}/checklist/{key}/",
        {"quick": "1", "status": "done"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#live-messages"
    assert 'role="alert"' in response.text
    assert "<html" not in response.text


def test_overview_sorts_by_the_chosen_column(client_for, people, hub):
    other = HubFactory(name="Samverket Annanstans")
    client = as_(client_for, people, "owner")
    by_days = client.get("/overview/?sort=-days").context["rows"]
    assert [row.id for row in by_days] == [hub.pk, other.pk]
    by_name = client.get("/overview/?sort=name").context["rows"]
    assert [row.id for row in by_name] == [other.pk, hub.pk]
    assert client.get("/overview/?sort=nonsense").context["sort"] == "name"


def test_downloads_keep_typed_text_from_becoming_a_formula(client_for, people):
    HubFactory(name='=HYPERLINK("http://example.org")')
    client = as_(client_for, people, "owner")
    text = client.get("/overview.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == '\'=HYPERLINK("http://example.org")'
    sheet = load_workbook(io.BytesIO(client.get("/overview.xlsx").content)).active
    assert sheet["A2"].data_type == "s"
