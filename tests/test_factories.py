"""Every factory builds a valid row, and the API client helper sends what it says it sends."""

import pytest
from django_fsm import FSMFieldMixin

from governance.hubs.checklists import ChecklistItemSpec
from governance.hubs.models import HubChecklistItem
from governance.organisations.services import api_token_authenticate
from tests.factories import (
    PASSWORD,
    AgreementDiscountFactory,
    AgreementFactory,
    AgreementLocalityFactory,
    ApiTokenFactory,
    AuditEntryFactory,
    ChecklistVersionFactory,
    FeeScheduleFactory,
    FeeTierFactory,
    FlowRunFactory,
    HubChecklistItemFactory,
    HubFactory,
    OrganisationFactory,
    PersonFactory,
    ReadinessScoreFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = [
    OrganisationFactory,
    HubFactory,
    UserFactory,
    PersonFactory,
    RoleAssignmentFactory,
    ApiTokenFactory,
    ChecklistVersionFactory,
    HubChecklistItemFactory,
    ReadinessScoreFactory,
    FlowRunFactory,
    AuditEntryFactory,
    FeeScheduleFactory,
    FeeTierFactory,
    AgreementFactory,
    AgreementDiscountFactory,
    AgreementLocalityFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_each_factory_makes_valid_rows(factory):
    first, second = factory(), factory()
    # A protected state field is moved only by its transitions, so full_clean cannot set it.
    state_fields = [
        field.name
        for field in factory._meta.model._meta.fields
        if isinstance(field, FSMFieldMixin) and field.protected
    ]

    first.full_clean(exclude=state_fields)
    second.full_clean(exclude=state_fields)
    assert first.pk != second.pk


def test_person_factory_fills_in_the_person_every_user_has():
    user = UserFactory()

    person = PersonFactory(user=user, title="Samordnare")

    assert user.person == person
    assert person.title == "Samordnare"
    assert person.organisation is not None


def test_role_assignment_factory_takes_a_national_role_without_a_hub():
    assignment = RoleAssignmentFactory(role="national_coordinator", hub=None)

    assignment.full_clean()
    assert assignment.hub is None


def test_api_token_factory_token_signs_in_as_its_user():
    token = ApiTokenFactory()

    assert api_token_authenticate(token.raw_token) == token
    assert token.prefix == token.raw_token[:8]


def test_api_token_factory_takes_a_known_raw_token():
    token = ApiTokenFactory(raw_token="a-token-known-to-the-test")

    assert api_token_authenticate("a-token-known-to-the-test") == token


@pytest.mark.parametrize("phase", ["preparation", "startup", "operations"])
def test_checklist_version_items_are_valid_checklist_file_items(phase):
    version = ChecklistVersionFactory(phase=phase)

    for item in version.items:
        assert ChecklistItemSpec.model_validate(item).model_dump(mode="json") == item


def test_checklist_item_factory_makes_the_item_the_services_make_from_the_version():
    item = HubChecklistItemFactory()
    expected = HubChecklistItem.from_version(
        item.hub, item.version, item.version.items[0], position=0
    )

    fields = [field.attname for field in HubChecklistItem._meta.concrete_fields]
    fields.remove("id")
    assert [getattr(item, name) for name in fields] == [getattr(expected, name) for name in fields]


def test_checklist_item_factory_takes_another_item_of_the_version():
    first = HubChecklistItemFactory()
    version = first.version

    second = HubChecklistItemFactory(hub=first.hub, version=version, item=version.items[1])

    second.full_clean()
    assert second.key == version.items[1]["key"]
    assert second.required is False


def test_audit_entry_factory_names_its_target():
    hub = HubFactory()

    entry = AuditEntryFactory(target=hub)

    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "hubs.hub",
        str(hub.pk),
        hub.name,
    )


def test_api_client_signs_in_with_the_session(api_client):
    user = UserFactory()

    response = api_client(user).get("/api/me")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_api_client_signs_in_with_a_bearer_token(api_client):
    user = UserFactory()
    api = api_client(user, token=True)

    response = api.get("/api/me")

    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert response.request["HTTP_AUTHORIZATION"].startswith("Bearer ")
    assert "sessionid" not in api.client.cookies


def test_api_client_without_user_is_anonymous(api_client):
    assert api_client().get("/api/me").status_code == 401


def test_api_client_sends_bodies_as_json(api_client):
    user = UserFactory()

    response = api_client().post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 200, response.content
    assert response.request["CONTENT_TYPE"] == "application/json"


def test_api_client_posts_without_a_body(api_client, coordinator):
    hub = HubFactory()

    response = api_client(coordinator).post(f"/api/hubs/{hub.pk}/transitions/start_preparation")

    assert response.status_code == 200, response.content
    assert "CONTENT_LENGTH" not in response.request
    assert response.json()["state"] == "preparation"


def test_api_client_patches_puts_and_deletes(api_client, coordinator):
    organisation = OrganisationFactory()
    hub = HubFactory()
    api = api_client(coordinator, token=True)
    token_id = api.get("/api/auth/tokens").json()["items"][0]["id"]

    patched = api.patch(f"/api/organisations/{organisation.pk}", {"name": "Region Jämtland"})
    put = api.put(f"/api/hubs/{hub.pk}/readiness", {"scores": [{"aspect": "people", "score": 2}]})
    deleted = api.delete(f"/api/auth/tokens/{token_id}")

    assert (patched.status_code, patched.json()["name"]) == (200, "Region Jämtland")
    assert put.status_code == 200, put.content
    assert deleted.status_code == 204
    assert api.get("/api/me").status_code == 401
