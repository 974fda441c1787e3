"""The web pages: thin views over the hubs' services and selectors.

Each view asks ``request.user.has_perm`` the same rule the API asks (rules.py decides), calls
one service or selector, and renders. The services raise PermissionDenied (a 403 page),
ValidationError (errors on the form, what was typed kept) and ConflictError (a message).
"""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from pydantic import ValidationError as FilterError

from governance.errors import ConflictError
from governance.flowruns.choices import FlowRunState
from governance.flowruns.selectors import flowrun_get
from governance.hubs import selectors, services
from governance.hubs.choices import CHECKLIST_PHASES, County, Phase, TimeStatus
from governance.hubs.models import Hub
from governance.hubs.schemas import ChecklistOut, HubFilters, HubOut, HubSummaryOut
from governance.lifecycle.selectors import transitions_view
from governance.organisations.services import organisation_revalidate_all
from governance.spreadsheets import as_cell
from governance.web import forms
from governance.web.registry import OverviewColumn, overview_columns, start_slots
from governance.web.timeline import timeline

SORTS = {
    "name": lambda row: row.name.lower(),
    "phase": lambda row: list(Phase).index(row.phase),
    "days": lambda row: row.days_in_phase,
    "county": lambda row: row.county_display,
    "progress": lambda row: row.checklist.done / row.checklist.total if row.checklist.total else 0,
    "readiness": lambda row: row.readiness.total,
}


SORT_CHOICES = [
    ("name", gettext_lazy("Namn")),
    ("-days", gettext_lazy("Längst tid i fasen")),
    ("phase", gettext_lazy("Fas")),
    ("county", gettext_lazy("Län")),
    ("progress", gettext_lazy("Minst avklarat i checklistan")),
    ("-readiness", gettext_lazy("Högst beredskap")),
]


def _hub_or_404(hub_id: int) -> Hub:
    try:
        return selectors.hub_get(hub_id)
    except Hub.DoesNotExist as error:
        raise Http404 from error


def _context(request: HttpRequest) -> dict[str, Any]:
    return {"request": request}


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each person's start page: what waits for them, one box per declared slot."""
    return render(request, "web/start.html", {"slots": start_slots(request)})


def _overview_rows(
    request: HttpRequest,
) -> tuple[list[HubSummaryOut], list[Hub], dict[str, Any]]:
    """The overview's rows, filtered and sorted as the address asks, their hubs in the same
    order, and the filters' state."""
    chosen = {
        name: request.GET.get(name)
        for name in ("phase", "county", "time_status")
        if request.GET.get(name)
    }
    try:
        filters = HubFilters(**chosen)
    except FilterError:
        filters, chosen = HubFilters(), {}
    hubs = {hub.pk: hub for hub in filters.filter(selectors.hubs_with_facts())}
    rows = [HubSummaryOut.model_validate(hub, context=_context(request)) for hub in hubs.values()]
    sort = request.GET.get("sort", "name")
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        sort, descending, key = "name", False, SORTS["name"]
    rows.sort(key=key, reverse=descending)
    return rows, [hubs[row.id] for row in rows], {"chosen": chosen, "sort": sort}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The national overview: every hub, filters that stay in the address, counts, timeline."""
    if not request.user.has_perm("hubs.view_hub"):
        raise PermissionDenied
    rows, hubs, state = _overview_rows(request)
    data = selectors.hub_overview()
    added = [column for _name, column in overview_columns(request, [row.id for row in rows])]
    table = [
        (row, [{"column": column, "cell": column.cells.get(row.id)} for column in added])
        for row in rows
    ]
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "web/overview.html",
        {
            "rows": rows,
            "table": table,
            "added_columns": added,
            "counts": [(Phase(phase), count) for phase, count in data["counts_by_phase"].items()],
            "phases": Phase.choices,
            "counties": County.choices,
            "time_statuses": TimeStatus.choices,
            "timeline": timeline(hubs, data["today"]),
            "sort_choices": SORT_CHOICES,
            "filter_query": query.urlencode(),
            "export_query": request.GET.urlencode(),
            **state,
        },
    )


EXPORT_COLUMNS = [
    ("name", lambda row: row.name),
    ("municipality", lambda row: row.municipality),
    ("county", lambda row: row.county_display),
    ("phase", lambda row: row.phase_display),
    ("phase_entered_on", lambda row: row.phase_entered_on.isoformat()),
    ("days_in_phase", lambda row: row.days_in_phase),
    ("time_status", lambda row: str(TimeStatus(row.time_status).label) if row.time_status else ""),
    ("required_done", lambda row: row.checklist.required_done),
    ("required_total", lambda row: row.checklist.required_total),
    ("items_done", lambda row: row.checklist.done),
    ("items_total", lambda row: row.checklist.total),
    ("readiness_total", lambda row: row.readiness.total),
    ("readiness_max", lambda row: row.readiness.max),
]


def _cell_text(column: OverviewColumn, hub_id: int) -> str:
    cell = column.cells.get(hub_id)
    return cell.text if cell else ""


@login_required
def overview_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The overview's table, filtered and sorted as shown, as CSV or XLSX."""
    if not request.user.has_perm("hubs.view_hub"):
        raise PermissionDenied
    rows, _hubs, _state = _overview_rows(request)
    added = overview_columns(request, [row.id for row in rows])
    header = [name for name, _value in EXPORT_COLUMNS] + [name for name, _column in added]
    lines = [
        [as_cell(value(row)) for _name, value in EXPORT_COLUMNS]
        + [as_cell(_cell_text(column, row.id)) for _name, column in added]
        for row in rows
    ]
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(lines)
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Hubbar"
        sheet.append(header)
        for line in lines:
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="samverket-hubbar-{stamp}.{fmt}"'
    return response


def _checklists(request: HttpRequest, hub: Hub, forms_by_key: dict[str, Any]) -> list[Any]:
    """The hub's checklist per phase it has entered, each item with its form."""
    groups = []
    present = set(hub.checklist_items.values_list("phase", flat=True))
    for phase in CHECKLIST_PHASES:
        if phase not in present:
            continue
        checklist = ChecklistOut.model_validate(
            selectors.checklist_view(hub, phase), context=_context(request)
        )
        groups.append(
            {
                "phase": Phase(phase),
                "current": phase == hub.phase,
                "checklist": checklist,
                "entries": [
                    {"item": item, "form": forms_by_key.get(item.key) or _item_form(item)}
                    for item in checklist.items
                ],
            }
        )
    return groups


def _item_form(item: Any) -> forms.ChecklistItemForm:
    return forms.ChecklistItemForm(
        initial={
            "status": item.status,
            "not_applicable_reason": item.not_applicable_reason,
            "note": item.note,
            "evidence_url": item.evidence_url,
        },
        prefix=item.key,
    )


def _readiness_form(hub_out: HubOut) -> forms.ReadinessForm:
    initial = {}
    for entry in hub_out.readiness_detail:
        initial[f"{entry.aspect.value}_score"] = entry.score
        initial[f"{entry.aspect.value}_note"] = entry.note
    return forms.ReadinessForm(initial=initial)


def _hub_page(
    request: HttpRequest, hub_id: int, *, status: int = 200, **overrides: Any
) -> HttpResponse:
    """The hub page, with any bound form in ``overrides`` shown with its errors."""
    hub = _hub_or_404(hub_id)
    user = request.user
    if not user.has_perm("hubs.view_hub", hub):
        raise PermissionDenied
    hub_out = HubOut.model_validate(hub, context=_context(request))
    may_assign = user.has_perm("hubs.assign_hub_roles", hub)
    transitions = transitions_view(
        hub, user, reveal_actors=user.has_perm("hubs.view_hub_people", hub)
    )
    labels = dict(Phase.choices)
    for log in transitions["history"]:
        log["source_display"] = labels.get(log["source_state"], log["source_state"])
        log["state_display"] = labels.get(log["state"], log["state"])
    context = {
        "hub": hub_out,
        "transitions": transitions,
        "checklists": _checklists(request, hub, overrides.pop("item_forms", {})),
        "readiness_form": overrides.pop("readiness_form", None) or _readiness_form(hub_out),
        "transition_form": forms.TransitionForm(),
        "may": {
            "change_hub": user.has_perm("hubs.change_hub", hub),
            "change_checklist": user.has_perm("hubs.change_checklist", hub),
            "waive": user.has_perm("hubs.waive_required_item", hub),
            "change_readiness": user.has_perm("hubs.change_readiness", hub),
            "assign": may_assign,
            "pull": user.has_perm("hubs.pull_checklist_items", hub),
            "see_agreements": user.has_perm("memberships.list_agreements"),
        },
        "role_form": overrides.pop("role_form", None)
        or (forms.RoleAssignForm(users=_people_to_choose()) if may_assign else None),
        **overrides,
    }
    return render(request, "web/hub_detail.html", context, status=status)


def _people_to_choose() -> Any:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


@login_required
def hub_detail(request: HttpRequest, hub_id: int) -> HttpResponse:
    """A hub: details, people, phase and history, readiness and its checklists."""
    return _hub_page(request, hub_id)


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields of the same name, the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages_ in error.message_dict.items():
        field = name.removesuffix("_id")
        form.add_error(field if field in form.fields else None, messages_)


@login_required
def hub_edit(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Change a hub's details (those who may; the principal only the coordinator)."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.change_hub", hub):
        raise PermissionDenied
    may_choose = request.user.has_perm("hubs.choose_principal", hub)
    form = forms.HubForm(request.POST or None, instance=hub, may_choose_principal=may_choose)
    if request.method == "POST" and form.is_valid():
        try:
            services.hub_update(actor=request.user, hub_id=hub.pk, **form.changed_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Hubbens uppgifter är sparade."))
            return redirect("web:hub_detail", hub_id=hub.pk)
    return render(request, "web/hub_form.html", {"form": form, "hub": hub})


@login_required
def hub_create(request: HttpRequest) -> HttpResponse:
    """Propose a hub (the national coordinator)."""
    if not request.user.has_perm("hubs.add_hub"):
        raise PermissionDenied
    form = forms.HubForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hub = services.hub_create(actor=request.user, **form.changed_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Hubben är föreslagen."))
            return redirect("web:hub_detail", hub_id=hub.pk)
    return render(request, "web/hub_form.html", {"form": form, "hub": None})


def _checklist_answer(request: HttpRequest, hub_id: int, key: str, form: Any) -> HttpResponse:
    """After a change: with htmx the item and the progress bars, else the hub page."""
    if not request.htmx:
        if form is not None and form.errors:
            return _hub_page(request, hub_id, item_forms={key: form})
        return redirect(reverse("web:hub_detail", args=[hub_id]) + f"#item-{key}")
    hub = _hub_or_404(hub_id)
    checklist = ChecklistOut.model_validate(
        selectors.checklist_view(hub, hub.checklist_items.get(key=key).phase),
        context=_context(request),
    )
    item = next(item for item in checklist.items if item.key == key)
    return render(
        request,
        "web/partials/checklist_item_answer.html",
        {
            "entry": {"item": item, "form": form if form is not None else _item_form(item)},
            "checklist": checklist,
            "hub": hub,
            "may": {
                "change_checklist": request.user.has_perm("hubs.change_checklist", hub),
                "waive": request.user.has_perm("hubs.waive_required_item", hub),
            },
        },
    )


@login_required
@require_POST
def checklist_item(request: HttpRequest, hub_id: int, key: str) -> HttpResponse:
    """Tick an item done or open, or set its status, reason, note and evidence link."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.change_checklist", hub):
        raise PermissionDenied
    if not hub.checklist_items.filter(key=key).exists():
        raise Http404
    quick = "quick" in request.POST
    form = (
        forms.TickForm(request.POST) if quick else forms.ChecklistItemForm(request.POST, prefix=key)
    )
    if form.is_valid():
        try:
            services.checklist_item_update(
                actor=request.user, hub_id=hub.pk, key=key, **form.cleaned_data
            )
        except ValidationError as error:
            if not quick:
                _add_errors(form, error)
            elif request.htmx:
                return _live_message(request, " ".join(error.messages))
            else:
                messages.error(request, " ".join(error.messages))
        else:
            form = None
    return _checklist_answer(request, hub.pk, key, None if quick else form)


@login_required
@require_POST
def readiness(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Score the four readiness aspects and note why."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.change_readiness", hub):
        raise PermissionDenied
    form = forms.ReadinessForm(request.POST)
    if form.is_valid():
        scores = form.scores()
        try:
            if scores:
                services.readiness_update(actor=request.user, hub_id=hub.pk, scores=scores)
        except ValidationError as error:
            form.add_service_error(error, scores)
        else:
            messages.success(request, _("Beredskapen är sparad."))
            return redirect(reverse("web:hub_detail", args=[hub.pk]) + "#readiness")
    return _hub_page(request, hub.pk, readiness_form=form, status=200)


@login_required
@require_POST
def transition(request: HttpRequest, hub_id: int, name: str) -> HttpResponse:
    """Run one phase transition, with an optional comment; a refusal says why."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.move_hub", hub):
        raise PermissionDenied
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return _hub_page(request, hub.pk, transition_form=form)
    try:
        services.hub_transition(
            actor=request.user, hub_id=hub.pk, name=name, comment=form.cleaned_data["comment"]
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ConflictError as error:
        unmet = error.details.get("unmet") or []
        messages.error(request, " ".join([error.message, *map(str, unmet)]))
    else:
        messages.success(
            request,
            _("Hubben är nu i fasen %(phase)s.")
            % {"phase": Hub.objects.get(pk=hub.pk).get_phase_display()},
        )
    return redirect("web:hub_detail", hub_id=hub.pk)


@login_required
@require_POST
def people_assign(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Give a person a role in the hub (the national coordinator)."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.assign_hub_roles", hub):
        raise PermissionDenied
    form = forms.RoleAssignForm(request.POST, users=_people_to_choose())
    if form.is_valid():
        try:
            services.hub_role_assign(
                actor=request.user,
                hub_id=hub.pk,
                user_id=form.cleaned_data["user"].pk,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Rollen är tilldelad."))
            return redirect(reverse("web:hub_detail", args=[hub.pk]) + "#people")
    return _hub_page(request, hub.pk, role_form=form)


@login_required
@require_POST
def people_remove(request: HttpRequest, hub_id: int, assignment_id: int) -> HttpResponse:
    """Take a role in the hub away (the national coordinator)."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.assign_hub_roles", hub):
        raise PermissionDenied
    try:
        services.hub_role_remove(actor=request.user, hub_id=hub.pk, assignment_id=assignment_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Rollen är borttagen."))
    return redirect(reverse("web:hub_detail", args=[hub.pk]) + "#people")


@login_required
def checklist_pull(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Show which new playbook items a hub would get, and add them once confirmed."""
    hub = _hub_or_404(hub_id)
    if not request.user.has_perm("hubs.pull_checklist_items", hub):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.PullForm(request.POST)
        if form.is_valid():
            try:
                added = services.checklist_pull_new_items(
                    actor=request.user, hub_id=hub.pk, phase=form.cleaned_data["phase"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("%(count)s nya punkter är tillagda.") % {"count": len(added)}
                )
                return redirect("web:hub_detail", hub_id=hub.pk)
    return render(
        request,
        "web/checklist_pull.html",
        {"hub": hub, "phases": selectors.checklist_new_items(hub)},
    )


@login_required
@require_POST
def revalidate_org_numbers(request: HttpRequest) -> HttpResponse:
    """Start the re-check of every organisation number; its page follows the run."""
    if not request.user.has_perm("organisations.revalidate_org_numbers"):
        raise PermissionDenied
    run = organisation_revalidate_all(actor=request.user)
    return redirect("web:flow_run", run_id=run.pk)


@login_required
def flow_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A flow run's progress; the page asks again every two seconds until it has ended."""
    try:
        run = flowrun_get(run_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("flowruns.view_flowrun", run):
        raise PermissionDenied
    finished = run.state in {FlowRunState.COMPLETED, FlowRunState.FAILED}
    context = {"run": run, "finished": finished, "state_label": run.get_state_display()}
    template = "web/partials/flow_run_status.html" if request.htmx else "web/flow_run.html"
    return render(request, template, context)


def _live_message(request: HttpRequest, text: str, *, status: int = 200) -> HttpResponse:
    """For an htmx request: a message shown at the top of the page instead of the swap."""
    response = render(request, "web/partials/live_message.html", {"text": text}, status=status)
    response["HX-Retarget"] = "#live-messages"
    response["HX-Reswap"] = "innerHTML"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page, in the site's look; a service's reason shown when it gave one. An htmx
    request gets the reason as a message on the page it came from."""
    reason = str(exception) if exception and str(exception) and " " in str(exception) else ""
    if getattr(request, "htmx", False):
        text = reason or _("Du har inte behörighet att göra det här.")
        return _live_message(request, text, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)
