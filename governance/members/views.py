"""The members' web pages: the public application and its confirmation, one's own data by a
mailed link, the CM's applications and members with the decision and the onboarding, and the
start page's box of applications to decide. They ask the same rules and call the same
services and selectors as the API."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.errors import ConflictError
from governance.lifecycle.selectors import transitions_view
from governance.members import selectors, services
from governance.members.choices import MemberState
from governance.members.emails import personal_data_email_send
from governance.members.forms import (
    ApplicationForm,
    DecisionForm,
    OnboardingForm,
    PersonalDataRequestForm,
)
from governance.members.links import CONFIRM_EMAIL, PERSONAL_DATA, LinkError, link_member
from governance.members.models import Member
from governance.organisations import roles
from governance.web.registry import StartSlot
from governance.web.service_errors import add_service_errors

LINK_PROBLEMS = {
    "expired": gettext_lazy("Länken har slutat gälla. Ansök igen eller be om en ny länk."),
    "tampered": gettext_lazy("Länken är ogiltig; kontrollera att hela länken kom med."),
    "stale": gettext_lazy("Länken gäller inte längre."),
}


def _site_root(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def apply(request: HttpRequest) -> HttpResponse:
    """The public application (no account): answers kept and errors named per field."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_apply(
                site_root=_site_root(request),
                applicant=request.user,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            return redirect("web:members:applied")
    return render(request, "members/apply.html", {"form": form})


def applied(request: HttpRequest) -> HttpResponse:
    return render(request, "members/applied.html")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: a button confirms (a mail scanner's visit changes nothing)."""
    problem = None
    try:
        member = link_member(token, CONFIRM_EMAIL)
    except LinkError as error:
        problem = str(LINK_PROBLEMS[error.code])
        member = None
    if problem is None and request.method == "POST":
        services.member_email_confirm(token=token)
        return render(request, "members/confirmed.html", {"member": member})
    return render(
        request,
        "members/confirm.html",
        {"member": member, "problem": problem},
        status=400 if problem else 200,
    )


def personal_data_request(request: HttpRequest) -> HttpResponse:
    """Ask for one's own data: a link is mailed to each membership with that address. The
    answer is the same whether there is one or not, so the page tells no one who is a member."""
    form = PersonalDataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for member_id in Member.objects.filter(
            email__iexact=form.cleaned_data["email"], email_confirmed_at__isnull=False
        ).values_list("pk", flat=True):
            personal_data_email_send(
                member_id=member_id, site_root=_site_root(request), language=get_language()
            )
        messages.success(
            request,
            _(
                "Finns adressen hos oss har vi skickat en länk dit för att ladda ner dina "
                "uppgifter."
            ),
        )
        return redirect("web:members:personal_data_request")
    return render(request, "members/personal_data_request.html", {"form": form})


def _json_download(data: dict, member: Member) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="medlem-{member.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


def personal_data_link(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link downloads what is stored about the member, without an account."""
    try:
        member = link_member(token, PERSONAL_DATA)
    except LinkError as error:
        return render(
            request,
            "members/confirm.html",
            {"member": None, "problem": str(LINK_PROBLEMS[error.code])},
            status=400,
        )
    return _json_download(selectors.member_personal_data(selectors.member_get(member.pk)), member)


@login_required
def personal_data(request: HttpRequest, member_id: int) -> HttpResponse:
    """The same download for the signed-in member or the CM acting for them."""
    member = _member_or_404(member_id)
    data = services.personal_data_export(actor=request.user, member_id=member.pk)
    return _json_download(data, member)


def _member_or_404(member_id: int) -> Member:
    try:
        return selectors.member_get(member_id)
    except Member.DoesNotExist as error:
        raise Http404 from error


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """A hub's applications and members by state (the CM; principal staff read)."""
    if not request.user.has_perm("members.list_members"):
        raise PermissionDenied
    state = request.GET.get("state") or MemberState.APPLIED
    if state not in MemberState.values:
        state = MemberState.APPLIED
    rows = selectors.members_visible_to(request.user).filter(state=state).order_by("created_at")
    return render(
        request,
        "members/list.html",
        {"rows": rows, "state": state, "states": MemberState.choices},
    )


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    """One member: the application, the decision, the onboarding checklist, the download."""
    return _detail_page(request, member_id)


def _detail_page(
    request: HttpRequest, member_id: int, decision_form: DecisionForm | None = None
) -> HttpResponse:
    member = _member_or_404(member_id)
    if member.email_confirmed_at is None or not request.user.has_perm(
        "members.view_member", member
    ):
        raise PermissionDenied
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "transitions": transitions_view(member, request.user),
            "may_manage": request.user.has_perm("members.manage_member", member),
            "may_export": request.user.has_perm("members.export_personal_data", member),
            "decision_form": decision_form or DecisionForm(),
            "onboarding_open": member.state == MemberState.APPROVED,
        },
        status=422 if decision_form is not None else 200,
    )


@login_required
@require_POST
def transition(request: HttpRequest, member_id: int, name: str) -> HttpResponse:
    """Approve, decline (with the reason), mark onboarded or end the membership."""
    member = _member_or_404(member_id)
    if not request.user.has_perm("members.manage_member", member):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, member.pk, decision_form=form)
    try:
        changed = services.member_transition(
            actor=request.user, member_id=member.pk, name=name, comment=form.cleaned_data["comment"]
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail_page(request, member.pk, decision_form=form)
    except ConflictError as error:
        unmet = error.details.get("unmet") or []
        messages.error(request, " ".join([error.message, *map(str, unmet)]))
    else:
        messages.success(
            request,
            _("%(name)s är nu: %(state)s.")
            % {"name": changed.name, "state": changed.get_state_display()},
        )
    return redirect("web:members:detail", member_id=member.pk)


@login_required
@require_POST
def onboarding(request: HttpRequest, member_id: int, step: str) -> HttpResponse:
    """Tick one onboarding step done or open it again."""
    member = _member_or_404(member_id)
    if not request.user.has_perm("members.manage_member", member):
        raise PermissionDenied
    form = OnboardingForm(request.POST)
    form.is_valid()
    try:
        services.onboarding_item_set(
            actor=request.user,
            member_id=member.pk,
            step=step,
            done=bool(form.cleaned_data.get("done")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ConflictError as error:
        messages.error(request, error.message)
    return redirect(reverse("web:members:detail", args=[member.pk]) + "#onboarding")


def members_to_approve_slot(request: HttpRequest) -> StartSlot | None:
    """For the CM (and the coordinator): confirmed applications waiting for a decision."""
    user = request.user
    if not (
        roles.is_national_coordinator(user)
        or roles.holds_role_anywhere(user, selectors.COMMUNITY_MANAGER)
    ):
        return None
    rows = list(selectors.members_to_decide(user)[:20])
    return StartSlot(
        title=_("Medlemsansökningar att besluta om"),
        template="members/slots/members_to_approve.html",
        context={"rows": rows},
        empty_text=_("Inga ansökningar väntar på beslut."),
    )
