"""The agreement pages for the principal organisations' staff and the coordinator: the list,
the intake form, an agreement with its documents, signatures and transitions, the fee
schedules and the invoicing basis. They ask the same rules (rules.py) and call the same
services and selectors as the API; every rule is the services'."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError as FilterError

from governance.errors import ConflictError
from governance.flowruns.choices import FlowRunState
from governance.flowruns.selectors import flowrun_get
from governance.hubs.models import Hub
from governance.lifecycle.selectors import transitions_view
from governance.lifecycle.services import transition_run
from governance.memberships import document_services, forms, selectors, services
from governance.memberships.api import DOCX, MAX_YEAR, MIN_YEAR
from governance.memberships.choices import AgreementState
from governance.memberships.fees import format_kronor
from governance.memberships.models import Agreement, FeeSchedule
from governance.memberships.schemas import AgreementFilters, AgreementOut
from governance.web.service_errors import add_service_errors

VIEW, MANAGE = "memberships.view_agreement", "memberships.manage_agreement"
# Transitions with a form of their own on the page: the document's generation marks an
# agreement generated, and a termination needs its date and reason.
TRANSITIONS_WITH_THEIR_OWN_FORM = {"mark_generated", "terminate"}
RENEWABLE = {AgreementState.ACTIVE, AgreementState.EXPIRED}


def _require(request: HttpRequest, permission: str, obj: object = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _agreement(request: HttpRequest, agreement_id: int, permission: str = VIEW) -> Agreement:
    try:
        agreement = selectors.agreement_get(agreement_id)
    except Agreement.DoesNotExist as error:
        raise Http404 from error
    _require(request, permission, agreement)
    return agreement


def _back(agreement_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:memberships:detail", args=[agreement_id]) + anchor)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements you may read, by state and ending date; filters stay in the address."""
    _require(request, "memberships.list_agreements")
    chosen = {
        name: request.GET[name]
        for name in ("hub", "state", "ending_before")
        if request.GET.get(name)
    }
    try:
        filters = AgreementFilters(**chosen)
    except FilterError:
        filters, chosen = AgreementFilters(), {}
    rows = filters.filter(selectors.agreements_visible_to(request.user)).order_by(
        "end_on", "number"
    )
    hubs = selectors.hubs_of_visible_agreements(request.user)
    return render(
        request,
        "memberships/list.html",
        {
            "rows": rows,
            "hubs": hubs,
            "states": AgreementState.choices,
            "chosen": chosen,
            # Asked about an agreement of the hub: whoever manages the hub's agreements.
            "hubs_to_manage": [
                hub for hub in hubs if request.user.has_perm(MANAGE, Agreement(hub=hub))
            ],
            "may_create": request.user.has_perm("memberships.create_agreement", None)
            or _hubs_for_intake(request) != [],
        },
    )


def _hubs_for_intake(request: HttpRequest) -> list[Hub]:
    return selectors.hubs_permitted(
        request.user, "memberships.create_agreement", Hub.objects.filter(principal__isnull=False)
    )


def _intake_page(
    request: HttpRequest,
    form: forms.AgreementForm,
    formsets: dict[str, Any],
    agreement: Agreement | None,
) -> HttpResponse:
    return render(
        request, "memberships/form.html", {"form": form, **formsets, "agreement": agreement}
    )


def _intake_formsets(
    request: HttpRequest, agreement: Agreement | None, *, national: bool
) -> dict[str, Any]:
    data = request.POST or None
    formsets = {"discounts": forms.discount_formset(data, agreement)}
    if national:
        formsets["localities"] = forms.locality_formset(data, agreement)
    return formsets


def _intake_lists(formsets: dict[str, Any]) -> dict[str, Any]:
    """The formsets' filled-in rows as the services take them."""
    return {name: forms.filled_entries(formset) for name, formset in formsets.items()}


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    """The intake: a new draft from what the CM collected, for a hub or (the coordinator's)
    national."""
    hubs = _hubs_for_intake(request)
    national = request.user.has_perm("memberships.create_agreement", None)
    if not hubs and not national:
        raise PermissionDenied
    form = forms.AgreementForm(
        request.POST or None, hubs=hubs, national=national, initial={"hub": request.GET.get("hub")}
    )
    formsets = _intake_formsets(request, None, national=national)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        lists = _intake_lists(formsets)
        if form.hub_id() is not None:
            lists.pop("localities", None)  # only a national agreement has localities
        try:
            agreement = services.agreement_create(
                actor=request.user,
                hub_id=form.hub_id(),
                principal_id=form.principal_id(),
                **lists,
                **form.intake(),
            )
        except ValidationError as error:
            add_service_errors(form, error, **formsets)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Utkastet %(number)s är sparat.") % {"number": agreement.number}
            )
            return _back(agreement.pk)
    return _intake_page(request, form, formsets, None)


@login_required
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Change a draft's intake data, discounts and (national) localities."""
    agreement = _agreement(request, agreement_id, "memberships.edit_agreement_draft")
    if agreement.state != AgreementState.DRAFT:
        messages.error(request, _("Bara ett utkast kan ändras; öppna avtalet för ändring först."))
        return _back(agreement.pk)
    form = forms.AgreementForm(request.POST or None, instance=agreement)
    formsets = _intake_formsets(request, agreement, national=agreement.is_national)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        try:
            services.agreement_update(
                actor=request.user,
                agreement_id=agreement.pk,
                **_intake_lists(formsets),
                **form.intake(),
            )
        except ValidationError as error:
            add_service_errors(form, error, **formsets)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return _back(agreement.pk)
    return _intake_page(request, form, formsets, agreement)


def _document_run(request: HttpRequest, agreement: Agreement) -> dict[str, Any] | None:
    """The generation run named in the address (``?run=``), when it is this agreement's."""
    try:
        run = flowrun_get(int(request.GET.get("run", "")))
    except (ValueError, ObjectDoesNotExist):
        return None
    if agreement.pk not in run.parameters.get("agreement_ids", []) or not request.user.has_perm(
        "flowruns.view_flowrun", run
    ):
        return None
    return _run_context(run, agreement)


def _run_context(run: Any, agreement: Agreement) -> dict[str, Any]:
    outcome = next(
        (
            entry
            for entry in (run.result or {}).get("agreements", [])
            if entry.get("id") == agreement.pk
        ),
        None,
    )
    return {
        "run": run,
        "finished": run.state in {FlowRunState.COMPLETED, FlowRunState.FAILED},
        "state_label": run.get_state_display(),
        "outcome": outcome,
        "agreement": agreement,
    }


def _detail(request: HttpRequest, agreement: Agreement, **forms_: Any) -> HttpResponse:
    user = request.user
    may_manage = user.has_perm(MANAGE, agreement)
    transitions = transitions_view(agreement, user, reveal_actors=may_manage)
    labels = dict(AgreementState.choices)
    for log in transitions["history"]:
        log["source_display"] = labels.get(log["source_state"], log["source_state"])
        log["state_display"] = labels.get(log["state"], log["state"])
    state = agreement.state
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "out": AgreementOut.model_validate(agreement, context={"request": request}),
        "transitions": [
            entry
            for entry in transitions["available"]
            if entry["name"] not in TRANSITIONS_WITH_THEIR_OWN_FORM
        ],
        "blocked": transitions["blocked"],
        "history": transitions["history"],
        "sent_by": next(
            (log["by"] for log in reversed(transitions["history"]) if log["transition"] == "send"),
            None,
        ),
        "documents": selectors.agreement_documents(agreement),
        "signed_copies": selectors.signed_copies(agreement),
        "run": _document_run(request, agreement),
        "may": {
            "manage": may_manage,
            "edit": state == AgreementState.DRAFT
            and user.has_perm("memberships.edit_agreement_draft", agreement),
            "generate": may_manage and state in {AgreementState.DRAFT, AgreementState.GENERATED},
            "sign": may_manage and state == AgreementState.SENT,
            "terminate": may_manage and state in {AgreementState.SIGNED, AgreementState.ACTIVE},
            "renew": may_manage and state in RENEWABLE and not hasattr(agreement, "renewal"),
        },
        "signed_copy_form": forms_.get("signed_copy_form")
        or forms.SignedCopyForm(
            initial={"signatory": agreement.member_signatory_name, "signed_on": today}
        ),
        "signatures_form": forms_.get("signatures_form")
        or forms.SignaturesForm(
            initial={
                "member_signed_on": agreement.member_signed_on,
                "principal_signed_on": agreement.principal_signed_on,
            }
        ),
        "termination_form": forms_.get("termination_form") or forms.TerminationForm(),
    }
    return render(request, "memberships/detail.html", context)


@login_required
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """One agreement: parties, fees, documents, signatures, what may be done next."""
    return _detail(request, _agreement(request, agreement_id))


@login_required
@require_POST
def agreement_transition(request: HttpRequest, agreement_id: int, name: str) -> HttpResponse:
    """Run one transition through the lifecycle kernel; a refusal says why."""
    agreement = _agreement(request, agreement_id)
    try:
        transition_run(
            services.agreements_with_facts(), pk=agreement.pk, name=name, actor=request.user
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ConflictError as error:
        unmet = error.details.get("unmet") or []
        messages.error(request, " ".join([error.message, *map(str, unmet)]))
    else:
        state = Agreement.objects.get(pk=agreement.pk).get_state_display()
        messages.success(request, _("Avtalet är nu i läget ”%(state)s”.") % {"state": state})
    return _back(agreement.pk)


@login_required
@require_POST
def document_generate(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Start the document's generation; the agreement's page follows the run."""
    agreement = _agreement(request, agreement_id)
    run = document_services.agreements_generate_request(
        actor=request.user, agreement_id=agreement.pk
    )
    return redirect(
        reverse("web:memberships:detail", args=[agreement.pk]) + f"?run={run.pk}#document"
    )


@login_required
def document_run(request: HttpRequest, agreement_id: int, run_id: int) -> HttpResponse:
    """The generation's progress (asked every two seconds by the page until it has ended),
    then the outcome and the download."""
    agreement = _agreement(request, agreement_id)
    try:
        run = flowrun_get(run_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    _require(request, "flowruns.view_flowrun", run)
    if agreement.pk not in run.parameters.get("agreement_ids", []):
        raise Http404
    if not request.htmx:
        return redirect(
            reverse("web:memberships:detail", args=[agreement.pk]) + f"?run={run.pk}#document"
        )
    return render(request, "memberships/partials/document_run.html", _run_context(run, agreement))


@login_required
def document_download(request: HttpRequest, agreement_id: int, version: int) -> FileResponse:
    """One generated version of the document."""
    agreement = _agreement(request, agreement_id)
    document = get_object_or_404(selectors.agreement_documents(agreement), version=version)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=selectors.agreement_document_file_name(document),
        content_type=DOCX,
    )


@login_required
def signed_copy_download(request: HttpRequest, agreement_id: int, version: int) -> FileResponse:
    """One uploaded signed copy, with the content type its content was found to be."""
    agreement = _agreement(request, agreement_id)
    copy = get_object_or_404(selectors.signed_copies(agreement), version=version)
    return FileResponse(
        copy.file.open("rb"),
        as_attachment=True,
        filename=selectors.signed_copy_file_name(copy),
        content_type=copy.content_type,
    )


def _form_action(
    request: HttpRequest,
    agreement: Agreement,
    form: Any,
    service: Callable[..., Any],
    *,
    form_name: str,
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """Run ``service`` with the form's values: back to the agreement with ``done`` said, or the
    agreement again with the service's refusals on the form's fields (``form_name``)."""
    if form.is_valid():
        try:
            service(actor=request.user, agreement_id=agreement.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return _back(agreement.pk, anchor)
    return _detail(request, agreement, **{form_name: form})


@login_required
@require_POST
def signed_copy_upload(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The member's signed copy: it records the member's signature with its evidence."""
    agreement = _agreement(request, agreement_id, MANAGE)
    return _form_action(
        request,
        agreement,
        forms.SignedCopyForm(request.POST, request.FILES),
        services.agreement_signed_copy_upload,
        form_name="signed_copy_form",
        done=_("Det undertecknade exemplaret är sparat."),
        anchor="#signatures",
    )


@login_required
@require_POST
def signatures_record(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Record the days the parties signed (the principal's, typically)."""
    agreement = _agreement(request, agreement_id, MANAGE)
    return _form_action(
        request,
        agreement,
        forms.SignaturesForm(request.POST),
        services.agreement_signatures_record,
        form_name="signatures_form",
        done=_("Underskrifterna är registrerade."),
        anchor="#signatures",
    )


@login_required
@require_POST
def agreement_terminate(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Terminate a signed or active agreement from a date, with the reason."""
    agreement = _agreement(request, agreement_id, MANAGE)
    return _form_action(
        request,
        agreement,
        forms.TerminationForm(request.POST),
        services.agreement_terminate,
        form_name="termination_form",
        done=_("Avtalet är uppsagt."),
    )


@login_required
@require_POST
def agreement_renew(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The next period's draft; its page follows."""
    agreement = _agreement(request, agreement_id, MANAGE)
    try:
        renewal = services.agreement_renew(actor=request.user, agreement_id=agreement.pk)
    except ConflictError as error:
        messages.error(request, error.message)
        return _back(agreement.pk)
    messages.success(
        request, _("Förnyelsen %(number)s är skapad som utkast.") % {"number": renewal.number}
    )
    return _back(renewal.pk)


@login_required
def fee_schedules(request: HttpRequest) -> HttpResponse:
    """The fee schedules per hub and the national ones, with their tier ladders."""
    _require(request, "memberships.view_feeschedule")
    rows = selectors.fee_schedules_with_facts().order_by("hub__name", "-version")
    hub = request.GET.get("hub")
    if hub and hub.isdigit():
        rows = rows.filter(hub=int(hub))
    schedules = [
        {
            "schedule": schedule,
            "transitions": transitions_view(schedule, request.user)["available"],
            "tiers": [
                {"tier": tier, "fee": format_kronor(tier.yearly_fee_ore)}
                for tier in schedule.tiers.all()
            ],
            "seat_price": format_kronor(schedule.seat_price_ore),
        }
        for schedule in rows
    ]
    may_create = request.user.has_perm("memberships.create_fee_schedule", None) or bool(
        selectors.hubs_permitted(request.user, "memberships.create_fee_schedule", Hub.objects.all())
    )
    return render(
        request,
        "memberships/fee_schedules.html",
        {"schedules": schedules, "may_create": may_create},
    )


@login_required
def fee_schedule_create(request: HttpRequest) -> HttpResponse:
    """A new draft version of a hub's fees (its principal staff) or the national ones (the
    coordinator), with its tier ladder; the ladder's rules are the service's."""
    hubs = selectors.hubs_permitted(
        request.user, "memberships.create_fee_schedule", Hub.objects.all()
    )
    national = request.user.has_perm("memberships.create_fee_schedule", None)
    if not hubs and not national:
        raise PermissionDenied
    form = forms.FeeScheduleForm(
        request.POST or None, hubs=hubs, national=national, initial={"hub": request.GET.get("hub")}
    )
    tiers = forms.TierFormSet(request.POST or None, prefix="tiers")
    if request.method == "POST" and form.is_valid() and tiers.is_valid():
        try:
            schedule = services.fee_schedule_create(
                actor=request.user, tiers=forms.filled_entries(tiers), **form.fields_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error, tiers=tiers)
        else:
            messages.success(request, _("Utkastet till avgiftstrappa är sparat."))
            return redirect(reverse("web:memberships:fee_schedules") + f"#schedule-{schedule.pk}")
    return render(request, "memberships/fee_schedule_form.html", {"form": form, "tiers": tiers})


@login_required
@require_POST
def fee_schedule_transition(request: HttpRequest, fee_schedule_id: int, name: str) -> HttpResponse:
    """Adopt (or supersede) a version; a refusal says what is missing."""
    get_object_or_404(FeeSchedule, pk=fee_schedule_id)
    try:
        services.fee_schedule_transition(
            actor=request.user, feeschedule_id=fee_schedule_id, name=name
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ConflictError as error:
        unmet = error.details.get("unmet") or []
        messages.error(request, " ".join([error.message, *map(str, unmet)]))
    else:
        messages.success(request, _("Avgiftstrappan är uppdaterad."))
    return redirect(reverse("web:memberships:fee_schedules") + f"#schedule-{fee_schedule_id}")


def _invoicing_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


@login_required
def invoicing(request: HttpRequest, hub_id: int) -> HttpResponse:
    """A hub's invoicing basis for a year, per agreement, with the marks and the downloads."""
    hub = get_object_or_404(Hub, pk=hub_id)
    # Asked about an agreement of the hub: whoever manages the hub's agreements.
    _require(request, MANAGE, Agreement(hub=hub))
    year = _invoicing_year(request)
    groups = selectors.invoicing_groups(hub, year)
    return render(
        request,
        "memberships/invoicing.html",
        {
            "hub": hub,
            "year": year,
            "years": [year - 1, year + 1],
            "groups": [
                {
                    "group": group,
                    "total": format_kronor(group.total_ore),
                    "lines": [(line, format_kronor(line.amount_ore)) for line in group.lines],
                }
                for group in groups
            ],
        },
    )


@login_required
@require_POST
def invoice_mark(request: HttpRequest, agreement_id: int, year: int) -> HttpResponse:
    """Mark an agreement's year invoiced or paid (who and when are recorded), or undo it."""
    agreement = _agreement(request, agreement_id, MANAGE)
    form = forms.InvoiceMarkForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.invoice_mark(
            actor=request.user, agreement_id=agreement.pk, year=year, **form.marks()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Markeringen är sparad."))
    if agreement.hub_id is None:  # a national agreement: no hub's invoicing page
        return _back(agreement.pk)
    return redirect(reverse("web:memberships:invoicing", args=[agreement.hub_id]) + f"?year={year}")
