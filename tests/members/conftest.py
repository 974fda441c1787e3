"""Members' fixtures: a hub with its CM, an employer with an active agreement for the hub, and
members made through the services."""

import pytest

from governance.members import services
from governance.members.selectors import members_with_facts
from tests.factories import AgreementFactory, HubFactory, OrganisationFactory, UserFactory

ANSWERS = {"goals": "Nya kontakter.", "contribution": "En frukostträff i månaden."}


@pytest.fixture
def hub(db):
    return HubFactory(principal=OrganisationFactory(name="Länsstyrelsen i Test län"))


@pytest.fixture
def cm(hub):
    return UserFactory(roles=[("community_manager", hub)])


@pytest.fixture
def employer(db):
    return OrganisationFactory(name="Testkommunen")


@pytest.fixture
def agreement(hub, employer):
    """The employer's active open-model agreement for the hub."""
    return AgreementFactory(hub=hub, principal=hub.principal, member=employer, state="active")


def seat_agreement(hub, employer, seats: int = 1):
    return AgreementFactory(
        hub=hub,
        principal=hub.principal,
        member=employer,
        model="seats",
        seats=seats,
        state="active",
    )


def register(cm, hub, employer, name: str = "Anna Ek", **overrides):
    """A confirmed application, registered by the CM."""
    fields = {
        "name": name,
        "email": f"{name.split()[0].lower()}@example.se",
        "org_number": employer.org_number_display,
        **ANSWERS,
    }
    member = services.member_register(actor=cm, hub_id=hub.pk, **{**fields, **overrides})
    return members_with_facts().get(pk=member.pk)


def apply(hub, employer, name: str = "Bo Lind", **overrides):
    """An application from the public page (unconfirmed)."""
    fields = {
        "name": name,
        "email": f"{name.split()[0].lower()}@example.se",
        "org_number": employer.org_number_display,
        **ANSWERS,
    }
    return services.member_apply(
        hub_id=hub.pk, site_root="http://testserver/", **{**fields, **overrides}
    )


def walk(actor, member, *names: str, comment: str = ""):
    for name in names:
        if name == "onboard":
            for step in ("invitation_sent", "personal_onboarding", "manifesto_signed", "name_tag"):
                services.onboarding_item_set(actor=actor, member_id=member.pk, step=step, done=True)
        services.member_transition(actor=actor, member_id=member.pk, name=name, comment=comment)
    return members_with_facts().get(pk=member.pk)
