"""A Django permission row (auth_permission, granted in the admin) opens nothing: rules.py
decides every check, through the API and in the admin."""

import json

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from governance.audit.models import AuditEntry
from governance.core.auth_backends import PasswordOnlyBackend
from governance.hubs.models import Hub
from governance.organisations.models import Organisation
from tests.factories import (
    PASSWORD,
    HubFactory,
    OrganisationFactory,
    UserFactory,
    sign_in_request,
    valid_org_number,
)

pytestmark = pytest.mark.django_db

NAMED_ROWS = [
    "hubs.add_hub",
    "hubs.change_hub",
    "hubs.delete_hub",
    "hubs.view_hub",
    "organisations.add_organisation",
    "organisations.change_organisation",
    "organisations.delete_organisation",
    "organisations.view_organisation",
]
WRITES = [name for name in NAMED_ROWS if ".view_" not in name]


@pytest.fixture(params=["directly", "through a group"])
def user_with_every_row(request):
    """A staff user without a role, holding every permission row there is."""
    user = UserFactory(is_staff=True)
    rows = Permission.objects.all()
    if request.param == "directly":
        user.user_permissions.set(rows)
    else:
        group = Group.objects.create(name="Alla rättigheter")
        group.permissions.set(rows)
        user.groups.add(group)
    return user


def _send(client, method: str, url: str, body: dict) -> int:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json"
    ).status_code


def test_the_rows_are_really_granted(user_with_every_row):
    held = {
        f"{row.content_type.app_label}.{row.codename}"
        for row in Permission.objects.filter(user=user_with_every_row)
        | Permission.objects.filter(group__user=user_with_every_row)
    }
    assert set(NAMED_ROWS) <= held


def test_rows_open_no_write_through_the_api(client_for, user_with_every_row):
    hub = HubFactory(name="Orört", notes="")
    organisation = OrganisationFactory(name="Orörd")
    client = client_for(user_with_every_row)
    new_hub = {"name": "Gävle", "municipality": "Gävle", "county": "gavleborg"}
    new_organisation = {"name": "Ny", "org_number": valid_org_number(990), "kind": "other"}
    assert _send(client, "post", "/api/hubs", new_hub) == 403
    assert _send(client, "patch", f"/api/hubs/{hub.pk}", {"notes": "Ändrad"}) == 403
    assert _send(client, "post", "/api/organisations", new_organisation) == 403
    patch = {"name": "Ändrad"}
    assert _send(client, "patch", f"/api/organisations/{organisation.pk}", patch) == 403
    assert list(Hub.objects.values_list("name", "notes")) == [("Orört", "")]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Orörd"]
    assert not AuditEntry.objects.exists()


def test_rows_grant_no_permission(user_with_every_row):
    user = user_with_every_row
    hub = HubFactory()
    organisation = OrganisationFactory()
    for name in WRITES:
        assert not user.has_perm(name), name
    assert not user.has_perm("hubs.change_hub", hub)
    assert not user.has_perm("organisations.change_organisation", organisation)
    assert not user.has_module_perms("hubs")
    assert not user.has_module_perms("organisations")
    assert user.get_all_permissions() == set()
    assert user.get_user_permissions() == set()
    assert user.get_group_permissions() == set()
    # Everyone signed in reads hubs and organisations by the rule, with or without the row.
    someone = UserFactory()
    for name in set(NAMED_ROWS) - set(WRITES):
        assert user.has_perm(name) == someone.has_perm(name), name


def test_the_password_backend_answers_no_to_every_permission(user_with_every_row):
    backend = PasswordOnlyBackend()
    user = user_with_every_row
    for name in NAMED_ROWS:
        assert not backend.has_perm(user, name), name
    assert not backend.has_module_perms(user, "hubs")
    assert backend.get_all_permissions(user) == set()
    assert backend.get_user_permissions(user) == set()
    assert backend.get_group_permissions(user) == set()
    assert not backend.with_perm("hubs.add_hub", include_superusers=False).exists()


def test_rows_open_nothing_in_the_admin(client_for, user_with_every_row):
    hub = HubFactory(notes="")
    organisation = OrganisationFactory(name="Orörd")
    client = client_for(user_with_every_row)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    for model, pk in [("hubs_hub", hub.pk), ("organisations_organisation", organisation.pk)]:
        assert client.get(reverse(f"admin:{model}_add")).status_code == 403, model
        assert client.get(reverse(f"admin:{model}_change", args=[pk])).status_code == 403, model
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403, model
    changed = client.post(reverse("admin:hubs_hub_change", args=[hub.pk]), {"notes": "Ändrad"})
    assert changed.status_code == 403
    added = client.post(
        reverse("admin:organisations_organisation_add"),
        {"name": "Ny", "org_number": valid_org_number(991), "kind": "other"},
    )
    assert added.status_code == 403
    hub.refresh_from_db()
    assert hub.notes == ""
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Orörd"]
    assert not AuditEntry.objects.exists()


def test_password_sign_in_still_works_and_respects_is_active():
    user = UserFactory()
    assert authenticate(sign_in_request(), username=user.username, password=PASSWORD) == user
    assert authenticate(sign_in_request(), username=user.username, password="wrong") is None
    user.is_active = False
    user.save()
    assert authenticate(sign_in_request(), username=user.username, password=PASSWORD) is None


def test_token_and_session_sign_in_work_with_the_password_backend(client):
    user = UserFactory()
    response = client.post(
        "/api/auth/token",
        json.dumps({"username": user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    assert client.login(request=sign_in_request(), username=user.username, password=PASSWORD)
    assert client.get("/api/me").status_code == 200


def test_an_active_superuser_passes_every_check_without_a_role():
    root = UserFactory(is_superuser=True)
    assert root.has_perm("hubs.add_hub")
    assert root.has_module_perms("hubs")
