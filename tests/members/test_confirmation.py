"""The application's e-mail address is confirmed by a signed, expiring link; until then the
CM does not see it."""

import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from governance.members.links import CONFIRM_EMAIL, LinkError, link_member, link_token
from governance.members.selectors import members_visible_to
from governance.members.services import member_email_confirm
from tests.members.conftest import apply

pytestmark = pytest.mark.django_db


def _link_path(message) -> str:
    return re.search(r"http://testserver(/medlem/bekrafta/[^/\s]+/)", message.body).group(1)


def test_the_application_mails_a_link_that_confirms_it(
    client, hub, employer, agreement, cm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = apply(hub, employer)
    [message] = mail.outbox
    assert message.to == ["bo@example.se"]
    assert not members_visible_to(cm).filter(pk=member.pk).exists()
    path = _link_path(message)
    assert client.get(path).status_code == 200  # a visit alone confirms nothing
    member.refresh_from_db()
    assert member.email_confirmed_at is None
    response = client.post(path)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email_confirmed_at is not None
    assert members_visible_to(cm).filter(pk=member.pk).exists()


def test_a_tampered_link_is_refused(client, hub, employer, agreement):
    member = apply(hub, employer)
    token = link_token(member, CONFIRM_EMAIL)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(LinkError) as refused:
        link_member(tampered, CONFIRM_EMAIL)
    assert refused.value.code == "tampered"
    response = client.post(f"/medlem/bekrafta/{tampered}/")
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email_confirmed_at is None


def test_an_expired_link_is_refused(client, hub, employer, agreement, settings):
    member = apply(hub, employer)
    token = link_token(member, CONFIRM_EMAIL)
    later = timezone.now() + timezone.timedelta(hours=settings.MEMBER_LINK_MAX_AGE_HOURS + 1)
    with time_machine.travel(later, tick=False):
        with pytest.raises(LinkError) as refused:
            member_email_confirm(token=token)
        assert refused.value.code == "expired"
        assert client.post(f"/medlem/bekrafta/{token}/").status_code == 400
    member.refresh_from_db()
    assert member.email_confirmed_at is None


def test_a_link_for_another_purpose_is_refused(hub, employer, agreement):
    member = apply(hub, employer)
    with pytest.raises(LinkError):
        member_email_confirm(token=link_token(member, "governance.members.personal-data"))
