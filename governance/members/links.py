"""The signed, expiring links mailed to an applicant or member (django.core.signing): one
confirms the e-mail address of an application, one downloads what is stored about them. A
link names the member and the address it was sent to, so it stops working when the address
is changed or erased."""

from django.conf import settings
from django.core import signing

from governance.members.models import Member

CONFIRM_EMAIL = "governance.members.confirm-email"
PERSONAL_DATA = "governance.members.personal-data"


class LinkError(Exception):
    """A link that was altered (``tampered``), has expired (``expired``) or names an address
    the member no longer has (``stale``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def link_token(member: Member, purpose: str) -> str:
    return signing.dumps({"member": member.pk, "email": member.email}, salt=purpose)


def link_member(token: str, purpose: str) -> Member:
    """The member the link was made for, if it is intact, in time and still theirs."""
    max_age = settings.MEMBER_LINK_MAX_AGE_HOURS * 3600
    try:
        payload = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:
        raise LinkError("tampered") from error
    member = Member.objects.select_related("hub").filter(pk=payload.get("member")).first()
    if member is None or not member.email or member.email != payload.get("email"):
        raise LinkError("stale")
    return member
