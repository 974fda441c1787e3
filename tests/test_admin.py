"""The admin: every platform model is there, rules.py decides who sees and does what, and
every write there leaves an audit entry."""

import pytest
import rules
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from governance.audit.models import AuditEntry
from governance.core.admin import RulesModelAdmin
from governance.hubs.models import Hub, HubChecklistItem, ReadinessScore
from governance.organisations.models import ApiToken, Organisation, RoleAssignment
from governance.organisations.services import api_token_issue
from tests.factories import (
    PASSWORD,
    HubChecklistItemFactory,
    HubFactory,
    OrganisationFactory,
    UserFactory,
    sign_in_request,
)

PLATFORM_APPS = {
    "organisations",
    "flowruns",
    "hubs",
    "audit",
    "memberships",
    "members",
    "forecasts",
    "boards",
}
ACTIONS = ["view", "add", "change", "delete"]
# What the coordinator may add in the admin, as the API lets him create it.
COORDINATOR_ADDS = {
    "organisations.Organisation",
    "organisations.RoleAssignment",
    "hubs.Hub",
    "hubs.ReadinessScore",
    "memberships.AgreementTemplate",
}


def _platform_models() -> list:
    return [m for m in apps.get_models() if m._meta.app_label in PLATFORM_APPS]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(response) -> dict:
    """The page's form and inline formsets as a browser would submit them unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


def _index_apps(client) -> set[str]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {app["app_label"] for app in response.context["app_list"]}


@pytest.fixture
def staff_coordinator(db):
    return UserFactory(roles=["national_coordinator"], is_staff=True)


def test_every_platform_model_is_in_the_admin_on_the_rules_base():
    missing = [m._meta.label for m in _platform_models() if not admin.site.is_registered(m)]
    assert missing == []
    not_on_rules = [
        m._meta.label
        for m in _platform_models()
        if not isinstance(admin.site.get_model_admin(m), RulesModelAdmin)
    ]
    assert not_on_rules == []


def test_every_admin_check_has_a_rule():
    missing = [app for app in PLATFORM_APPS if not rules.perm_exists(app)]
    missing += [
        f"{m._meta.app_label}.{get_permission_codename(action, m._meta)}"
        for m in _platform_models()
        for action in ACTIONS
        if not rules.perm_exists(f"{m._meta.app_label}.{get_permission_codename(action, m._meta)}")
    ]
    assert missing == []


@pytest.mark.django_db
def test_staff_coordinator_opens_every_list_and_change_page_with_demo_data(
    client_for, staff_coordinator
):
    call_command("seed_demo")
    client = client_for(staff_coordinator)
    organisation = Organisation.objects.first()
    data = _form_data(client.get(_url(Organisation, "change", organisation.pk)))
    changed = client.post(_url(Organisation, "change", organisation.pk), {**data, "address": "X"})
    assert changed.status_code == 302
    assert AuditEntry.objects.exists()
    assert _index_apps(client) == PLATFORM_APPS
    for model in _platform_models():
        label = model._meta.label
        assert client.get(_url(model, "changelist")).status_code == 200, label
        first = model.objects.first()
        if first is not None:
            assert client.get(_url(model, "change", first.pk)).status_code == 200, label
        expected = 200 if label in COORDINATOR_ADDS else 403
        assert client.get(_url(model, "add")).status_code == expected, label


@pytest.mark.django_db
def test_superuser_passes_every_check_but_history_stays_read_only(client_for):
    root = User.objects.create_superuser("root", "root@example.se", "x")
    client = client_for(root)
    assert _index_apps(client) >= PLATFORM_APPS | {"auth"}
    for model in _platform_models():
        assert client.get(_url(model, "changelist")).status_code == 200, model._meta.label
    assert client.get(_url(AuditEntry, "add")).status_code == 403
    organisation = OrganisationFactory()
    assert client.get(_url(Organisation, "delete", organisation.pk)).status_code == 200


@pytest.mark.django_db
def test_a_user_with_a_role_but_not_staff_is_sent_to_the_login(client_for):
    client = client_for(UserFactory(roles=["national_coordinator"]))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_admin_change_writes_one_audit_entry_with_before_and_after(client_for, staff_coordinator):
    organisation = OrganisationFactory(name="Gammalt namn")
    client = client_for(staff_coordinator)
    data = _form_data(client.get(_url(Organisation, "change", organisation.pk)))
    response = client.post(_url(Organisation, "change", organisation.pk), {**data, "name": "Nytt"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nytt"
    entry = AuditEntry.objects.get()
    assert entry.verb == "admin_changed"
    assert entry.actor == staff_coordinator
    assert entry.object_id == str(organisation.pk)
    assert entry.before == {"name": "Gammalt namn"}
    assert entry.after == {"name": "Nytt"}


@pytest.mark.django_db
def test_admin_save_without_changes_writes_no_audit_entry(client_for, staff_coordinator):
    organisation = OrganisationFactory()
    client = client_for(staff_coordinator)
    data = _form_data(client.get(_url(Organisation, "change", organisation.pk)))
    assert client.post(_url(Organisation, "change", organisation.pk), data).status_code == 302
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_admin_create_writes_admin_created(client_for, staff_coordinator):
    client = client_for(staff_coordinator)
    data = _form_data(client.get(_url(Organisation, "add")))
    data.update(name="Ny myndighet", org_number="2021005216", kind="state_agency")
    assert client.post(_url(Organisation, "add"), data).status_code == 302
    organisation = Organisation.objects.get(org_number="2021005216")
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.object_id) == ("admin_created", str(organisation.pk))
    assert entry.before is None
    assert entry.after["name"] == "Ny myndighet"


@pytest.mark.django_db
def test_admin_deletion_of_a_hub_role_writes_admin_deleted(client_for, staff_coordinator):
    hub = HubFactory()
    member = UserFactory(roles=[("establishment_team", hub)])
    assignment = RoleAssignment.objects.get(user=member)
    client = client_for(staff_coordinator)
    response = client.post(_url(RoleAssignment, "delete", assignment.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.object_id) == ("admin_deleted", str(assignment.pk))
    assert entry.before["role"] == "establishment_team"
    assert entry.before["hub"] == hub.pk


@pytest.mark.django_db
def test_bulk_deletion_writes_admin_deleted_for_each_row(client_for, staff_coordinator):
    hub = HubFactory()
    members = [UserFactory(roles=[("community_manager", hub)]) for _ in range(2)]
    ids = list(RoleAssignment.objects.filter(user__in=members).values_list("pk", flat=True))
    client = client_for(staff_coordinator)
    response = client.post(
        _url(RoleAssignment, "changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk__in=ids).exists()
    deleted = AuditEntry.objects.filter(verb="admin_deleted")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(map(str, ids))


@pytest.mark.django_db
def test_national_roles_are_not_given_or_taken_in_the_admin(client_for, staff_coordinator):
    client = client_for(staff_coordinator)
    national = RoleAssignment.objects.get(user=staff_coordinator)
    assert client.post(
        _url(RoleAssignment, "delete", national.pk), {"post": "yes"}
    ).status_code == (403)
    other = UserFactory()
    data = {
        "user": other.pk,
        "role": "national_coordinator",
        "assigned_at_0": "2025-01-02",
        "assigned_at_1": "10:00",
    }
    assert client.post(_url(RoleAssignment, "add"), data).status_code == 403
    assert not RoleAssignment.objects.filter(user=other).exists()
    hub = HubFactory()
    data.update(role="principal_staff", hub=hub.pk)
    assert client.post(_url(RoleAssignment, "add"), data).status_code == 302
    assert RoleAssignment.objects.filter(user=other, hub=hub).exists()
    assert AuditEntry.objects.get().verb == "admin_created"
    assert not AuditEntry.objects.filter(verb="admin_deleted").exists()


@pytest.mark.django_db
def test_what_may_not_be_deleted_is_refused(client_for, staff_coordinator):
    client = client_for(staff_coordinator)
    hub = HubFactory()
    organisation = OrganisationFactory()
    for model, pk in [(Hub, hub.pk), (Organisation, organisation.pk)]:
        assert client.get(_url(model, "delete", pk)).status_code == 403, model
        assert client.post(_url(model, "delete", pk), {"post": "yes"}).status_code == 403, model
    assert Hub.objects.filter(pk=hub.pk).exists()
    assert Organisation.objects.filter(pk=organisation.pk).exists()


@pytest.mark.django_db
def test_audit_entry_admin_refuses_add_change_and_delete(client_for, staff_coordinator):
    organisation = OrganisationFactory(name="Före")
    client = client_for(staff_coordinator)
    data = _form_data(client.get(_url(Organisation, "change", organisation.pk)))
    client.post(_url(Organisation, "change", organisation.pk), {**data, "name": "Efter"})
    entry = AuditEntry.objects.get()
    assert client.get(_url(AuditEntry, "change", entry.pk)).status_code == 200
    assert client.get(_url(AuditEntry, "add")).status_code == 403
    assert client.post(_url(AuditEntry, "add"), {"verb": "forged"}).status_code == 403
    assert client.post(_url(AuditEntry, "change", entry.pk), {"verb": "x"}).status_code == 403
    assert client.post(_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    response = client.post(
        _url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    entry.refresh_from_db()
    assert entry.verb == "admin_changed"


@pytest.mark.django_db
def test_hub_principal_opens_his_hub_and_no_other(client_for):
    hub_a, hub_b = HubFactory(), HubFactory()
    principal = UserFactory(roles=[("principal_staff", hub_a)], is_staff=True)
    client = client_for(principal)
    assert client.get(_url(Hub, "change", hub_a.pk)).status_code == 200
    assert client.get(_url(Hub, "change", hub_b.pk)).status_code == 403
    assert client.get(_url(Hub, "changelist")).status_code == 403
    assert client.get(_url(Hub, "add")).status_code == 403
    assert "hubs" not in _index_apps(client)


@pytest.mark.django_db
def test_hub_principal_changes_his_hub_and_its_readiness_but_not_the_phase(client_for):
    hub = HubFactory(notes="")
    principal = UserFactory(roles=[("principal_staff", hub)], is_staff=True)
    client = client_for(principal)
    data = _form_data(client.get(_url(Hub, "change", hub.pk)))
    prefix = "readiness_scores"
    data.update(
        {
            "notes": "Möte bokat",
            "phase": "operations",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-aspect": "premises",
            f"{prefix}-0-score": "2",
            f"{prefix}-0-note": "Två lokaler",
        }
    )
    response = client.post(_url(Hub, "change", hub.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    hub.refresh_from_db()
    assert (hub.notes, hub.phase) == ("Möte bokat", "proposed")
    score = ReadinessScore.objects.get(hub=hub)
    entries = {(entry.verb, entry.object_type) for entry in AuditEntry.objects.all()}
    assert entries == {("admin_changed", "hubs.hub"), ("admin_created", "hubs.readinessscore")}
    assert AuditEntry.objects.get(verb="admin_created").object_id == str(score.pk)


@pytest.mark.django_db
def test_only_the_coordinator_chooses_a_hubs_principal_in_the_admin(client_for, staff_coordinator):
    hub = HubFactory()
    chosen_before, other = hub.principal_id, OrganisationFactory()
    team_member = UserFactory(roles=[("establishment_team", hub)], is_staff=True)
    for user, allowed in [(team_member, False), (staff_coordinator, True)]:
        client = client_for(user)
        page = client.get(_url(Hub, "change", hub.pk))
        assert ("principal" in page.context["adminform"].form.fields) is allowed
        data = {**_form_data(page), "principal": str(other.pk)}
        assert client.post(_url(Hub, "change", hub.pk), data).status_code == 302
        hub.refresh_from_db()
        assert hub.principal_id == (other.pk if allowed else chosen_before)


@pytest.mark.django_db
def test_hub_principal_is_refused_another_hubs_form(client_for):
    hub_a, hub_b = HubFactory(), HubFactory(notes="")
    principal = UserFactory(roles=[("principal_staff", hub_a)], is_staff=True)
    response = client_for(principal).post(_url(Hub, "change", hub_b.pk), {"notes": "Nej"})
    assert response.status_code == 403
    hub_b.refresh_from_db()
    assert hub_b.notes == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_revoke_action_revokes_through_the_service_only_the_tokens_one_owns(
    client_for, staff_coordinator
):
    staff_coordinator.set_password(PASSWORD)
    staff_coordinator.save()
    own, _raw = api_token_issue(
        request=sign_in_request(), username=staff_coordinator.username, password=PASSWORD
    )
    someone = UserFactory()
    others, _raw = api_token_issue(
        request=sign_in_request(), username=someone.username, password=PASSWORD
    )
    response = client_for(staff_coordinator).post(
        _url(ApiToken, "changelist"), {"action": "revoke", "_selected_action": [own.pk, others.pk]}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.revoked_at is not None
    assert others.revoked_at is None


def test_the_admin_obeys_the_models_cross_field_rules(client_for, staff_coordinator):
    # HubChecklistItem.clean(): "not applicable" needs a reason — in the admin as in the API.
    item = HubChecklistItemFactory()
    client = client_for(staff_coordinator)
    url = _url(HubChecklistItem, "change", item.pk)
    data = _form_data(client.get(url))
    response = client.post(url, {**data, "status": "not_applicable", "not_applicable_reason": ""})
    assert response.status_code == 200
    assert "not_applicable_reason" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.status == "open"
    assert not AuditEntry.objects.exists()
