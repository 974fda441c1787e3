"""The mails to applicants and members, sent after the writing transaction commits (Django's
mail: printed on the console in development, see EMAIL_* in the README)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from governance.members.links import CONFIRM_EMAIL, PERSONAL_DATA, link_token
from governance.members.models import Member


def _send(member: Member, template: str, link: str, language: str) -> None:
    with translation.override(language):
        context = {
            "member": member,
            "link": link,
            "hours": settings.MEMBER_LINK_MAX_AGE_HOURS,
        }
        subject = render_to_string(f"members/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"members/email/{template}.txt", context)
    send_mail(subject, body, None, [member.email])


def confirmation_email_send(*, member_id: int, site_root: str, language: str) -> None:
    """The link that confirms the application's e-mail address."""
    member = Member.objects.select_related("hub").get(pk=member_id)
    path = reverse("web:members:confirm", args=[link_token(member, CONFIRM_EMAIL)])
    _send(member, "confirm", site_root.rstrip("/") + path, language)


def personal_data_email_send(*, member_id: int, site_root: str, language: str) -> None:
    """The link that downloads what is stored about the member."""
    member = Member.objects.select_related("hub").get(pk=member_id)
    path = reverse("web:members:personal_data_link", args=[link_token(member, PERSONAL_DATA)])
    _send(member, "personal_data", site_root.rstrip("/") + path, language)
