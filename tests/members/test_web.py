"""The members' pages: the public application (no sign-in, CSRF-protected, errors per field
with what was typed kept), the confirmation, one's own data by a mailed link, the CM's list,
decision and onboarding, and the start page's box."""

import re

import pytest
from django.core import mail
from django.test import Client

from governance.members.models import Member
from governance.memberships.models import Agreement
from tests.factories import HubFactory, PersonFactory, UserFactory
from tests.members.conftest import ANSWERS, register, seat_agreement, walk

pytestmark = pytest.mark.django_db


def _form(hub, employer, **overrides) -> dict:
    return {
        "name": "Eva Sten",
        "email": "eva@example.se",
        "hub": hub.pk,
        "org_number": employer.org_number_display,
        **ANSWERS,
        **overrides,
    }


def test_the_public_page_opens_without_signing_in(client, hub):
    response = client.get("/medlem/ansok/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vad siktar du och din organisation på att få ut av ett medlemskap?" in content
    assert "Vad hoppas du/ni kunna bidra med?" in content


def test_the_page_is_in_english_too(client, hub):
    client.cookies["django_language"] = "en"
    content = client.get("/medlem/ansok/").content.decode()
    assert "Apply for membership" in content


def test_an_application_is_sent_and_mails_the_link(
    client, hub, employer, agreement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/medlem/ansok/", _form(hub, employer))
    assert response.status_code == 302
    assert Member.objects.get().email_confirmed_at is None
    [message] = mail.outbox
    assert "/medlem/bekrafta/" in message.body


def test_the_form_needs_its_csrf_token(hub, employer, agreement):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/medlem/ansok/", _form(hub, employer)).status_code == 403
    assert not Member.objects.exists()


def test_errors_are_named_per_field_and_the_input_is_kept(client, hub, employer):
    response = client.post(
        "/medlem/ansok/", _form(hub, employer, email="not-an-address", goals="Mina mål")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email"}
    content = response.content.decode()
    assert "Mina mål" in content
    # Without an agreement the employer field says so, what was typed kept.
    refused = client.post("/medlem/ansok/", _form(hub, employer, goals="Mina mål"))
    assert set(refused.context["form"].errors) == {"org_number"}
    assert "Mina mål" in refused.content.decode()
    assert not Member.objects.exists()


def test_a_full_seat_agreement_shows_the_409_message_on_the_form(client, cm, hub, employer):
    seats = seat_agreement(hub, employer, seats=1)
    walk(cm, register(cm, hub, employer), "approve")
    response = client.post("/medlem/ansok/", _form(hub, employer))
    assert seats.number in " ".join(response.context["form"].non_field_errors())


def test_personal_data_by_a_mailed_link(client, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    response = client.post("/medlem/mina-uppgifter/", {"email": "anna@example.se"})
    assert response.status_code == 302
    [message] = mail.outbox
    path = re.search(r"http://testserver(/medlem/mina-uppgifter/[^/\s]+/)", message.body).group(1)
    download = client.get(path)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/json")
    assert download.json()["member"]["id"] == member.pk
    assert client.get(path[:-3] + "xx/").status_code == 400


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/medlem/mina-uppgifter/", {"email": "nobody@example.se"}, follow=True)
    assert response.status_code == 200
    assert mail.outbox == []


def test_the_cm_lists_applications_by_state(client_for, cm, hub, employer, agreement):
    applied = register(cm, hub, employer)
    walk(cm, register(cm, hub, employer, name="Dan Ek"), "approve")
    page = client_for(cm).get("/medlem/")
    assert page.status_code == 200
    assert [row.pk for row in page.context["rows"]] == [applied.pk]
    approved = client_for(cm).get("/medlem/?state=approved")
    assert [row.name for row in approved.context["rows"]] == ["Dan Ek"]


def test_the_cm_approves_and_ticks_the_onboarding(client_for, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    client = client_for(cm)
    assert client.get(f"/medlem/{member.pk}/").status_code == 200
    client.post(f"/medlem/{member.pk}/transitions/approve/", {"comment": ""})
    assert Member.objects.get(pk=member.pk).state == "approved"
    client.post(f"/medlem/{member.pk}/onboarding/name_tag/", {"done": "on"})
    assert Member.objects.get(pk=member.pk).onboarding.get(step="name_tag").done
    client.post(f"/medlem/{member.pk}/onboarding/name_tag/", {})
    assert not Member.objects.get(pk=member.pk).onboarding.get(step="name_tag").done
    download = client.get(f"/medlem/{member.pk}/personal-data.json")
    assert download.json()["member"]["state"] == "approved"


def test_declining_without_a_reason_keeps_the_page_with_the_error(
    client_for, cm, hub, employer, agreement
):
    member = register(cm, hub, employer)
    Agreement.objects.filter(pk=agreement.pk).update(state="expired")
    response = client_for(cm).post(f"/medlem/{member.pk}/transitions/decline/", {"comment": ""})
    assert response.status_code == 422
    assert "Ett avslag behöver ett skäl." in response.content.decode()
    assert Member.objects.get(pk=member.pk).state == "applied"
    client_for(cm).post(f"/medlem/{member.pk}/transitions/decline/", {"comment": "Inget avtal"})
    assert Member.objects.get(pk=member.pk).decline_reason == "Inget avtal"


@pytest.mark.parametrize("who", ["no role", "cm elsewhere", "employee", "principal staff"])
def test_others_get_403_on_the_cm_pages(client_for, cm, hub, employer, agreement, who):
    member = register(cm, hub, employer)
    user = {
        "no role": lambda: UserFactory(),
        "cm elsewhere": lambda: UserFactory(roles=[("community_manager", HubFactory())]),
        "employee": lambda: PersonFactory(organisation=employer).user,
        "principal staff": lambda: UserFactory(roles=[("principal_staff", hub)]),
    }[who]()
    client = client_for(user)
    assert client.post(f"/medlem/{member.pk}/transitions/approve/", {}).status_code == 403
    assert client.post(f"/medlem/{member.pk}/onboarding/name_tag/", {}).status_code == 403
    assert client.get(f"/medlem/{member.pk}/personal-data.json").status_code == 403
    reads = client.get(f"/medlem/{member.pk}/").status_code
    assert reads == (200 if who == "principal staff" else 403)


def test_the_cm_pages_send_anonymous_visitors_to_sign_in(client, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    assert client.get(f"/medlem/{member.pk}/").status_code == 302
    assert client.get("/medlem/").status_code == 302


def test_the_start_page_shows_the_cm_the_applications_to_decide(
    client_for, cm, hub, employer, agreement
):
    register(cm, hub, employer)
    page = client_for(cm).get("/")
    slots = dict(page.context["slots"])
    assert [row.name for row in slots["members_to_approve"].context["rows"]] == ["Anna Ek"]
    staff = client_for(UserFactory(roles=[("principal_staff", hub)])).get("/")
    assert "members_to_approve" not in dict(staff.context["slots"])


def test_a_signed_in_applicant_with_the_same_address_is_linked(
    client_for, hub, employer, agreement
):
    user = UserFactory(email="Eva@Example.se")
    client_for(user).post("/medlem/ansok/", _form(hub, employer))
    assert Member.objects.get().user == user
    other = UserFactory(email="someone.else@example.se")
    client_for(other).post("/medlem/ansok/", _form(hub, employer, email="ulf@example.se"))
    assert Member.objects.get(email="ulf@example.se").user is None
