"""Endpoints for fee schedules and membership agreements; handlers only translate HTTP."""

import base64
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from governance.api_input import accepts_upload
from governance.flowruns.schemas import FlowRunOut
from governance.lifecycle.api import add_transition_routes
from governance.memberships import document_services, exports, selectors, services
from governance.memberships.fees import sek_to_ore
from governance.memberships.models import Agreement, AgreementTemplate, FeeSchedule
from governance.memberships.schemas import (
    AgreementDocumentOut,
    AgreementFilters,
    AgreementIn,
    AgreementOut,
    AgreementPatchIn,
    AgreementSummaryOut,
    AgreementTemplateIn,
    AgreementTemplateOut,
    FeeScheduleFilters,
    FeeScheduleIn,
    FeeScheduleOut,
    FeeSchedulePatchIn,
    InvoiceMarkIn,
    InvoiceMarkOut,
    SeatHolderIn,
    SeatHolderOut,
    SignaturesIn,
    SignedCopyIn,
    SignedCopyOut,
    TerminationIn,
)
from governance.permissions import require_permission

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIN_YEAR, MAX_YEAR = 2000, 2200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

fee_schedule_router = Router(tags=["memberships"])
agreement_router = Router(tags=["memberships"])
hub_agreement_router = Router(tags=["memberships"])
template_router = Router(tags=["memberships"])


def _fee_schedule_fields(payload: FeeScheduleIn | FeeSchedulePatchIn) -> dict:
    fields = payload.dict(exclude_unset=True)
    if "seat_price_sek" in fields:
        # An explicit null goes on to the service, which refuses it on the field.
        price = fields.pop("seat_price_sek")
        fields["seat_price_ore"] = None if price is None else sek_to_ore(price)
    if fields.get("tiers") is not None:
        fields["tiers"] = [
            {**tier, "yearly_fee_ore": sek_to_ore(tier.pop("yearly_fee_sek"))}
            for tier in fields["tiers"]
        ]
    return fields


def _fee_schedule(fee_schedule_id: int) -> FeeSchedule:
    return get_object_or_404(selectors.fee_schedules_with_facts(), pk=fee_schedule_id)


@fee_schedule_router.get("", response=list[FeeScheduleOut])
@paginate
def list_fee_schedules(
    request: HttpRequest, filters: Query[FeeScheduleFilters]
) -> QuerySet[FeeSchedule]:
    """Fee schedule versions: a hub's (``?hub=``) or the national ones (``?national=true``)."""
    require_permission(request.user, "memberships.view_feeschedule")
    return filters.filter(selectors.fee_schedules_with_facts())


@fee_schedule_router.get("/in-force", response=FeeScheduleOut)
def fee_schedule_in_force(
    request: HttpRequest, hub: int | None = None, on: date | None = None
) -> FeeSchedule:
    """The version in force for a hub (or national, without ``hub``) on a day (default today)."""
    require_permission(request.user, "memberships.view_feeschedule")
    found = selectors.fee_schedule_in_force(hub, on=on or timezone.localdate())
    if found is None:
        raise Http404("no fee schedule in force")
    return _fee_schedule(found.pk)


@fee_schedule_router.post("", response={201: FeeScheduleOut})
def create_fee_schedule(request: HttpRequest, payload: FeeScheduleIn) -> Status:
    """A draft version with its tier ladder(s) and seat price."""
    schedule = services.fee_schedule_create(actor=request.user, **_fee_schedule_fields(payload))
    return Status(201, _fee_schedule(schedule.pk))


@fee_schedule_router.get("/{int:fee_schedule_id}", response=FeeScheduleOut)
def get_fee_schedule(request: HttpRequest, fee_schedule_id: int) -> FeeSchedule:
    require_permission(request.user, "memberships.view_feeschedule")
    return _fee_schedule(fee_schedule_id)


@fee_schedule_router.patch("/{int:fee_schedule_id}", response=FeeScheduleOut)
def update_fee_schedule(
    request: HttpRequest, fee_schedule_id: int, payload: FeeSchedulePatchIn
) -> FeeSchedule:
    """Change a draft; ``tiers`` replaces the whole ladder."""
    get_object_or_404(FeeSchedule, pk=fee_schedule_id)
    services.fee_schedule_update(
        actor=request.user, fee_schedule_id=fee_schedule_id, **_fee_schedule_fields(payload)
    )
    return _fee_schedule(fee_schedule_id)


add_transition_routes(
    fee_schedule_router,
    selectors.fee_schedules_with_facts,
    view_permission="memberships.view_feeschedule",
    run=services.fee_schedule_transition,
)


def _readable_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=agreement_id)
    require_permission(request.user, "memberships.view_agreement", agreement)
    return selectors.agreement_get(agreement_id)


@agreement_router.get("", response=list[AgreementSummaryOut])
@paginate
def list_agreements(request: HttpRequest, filters: Query[AgreementFilters]) -> QuerySet[Agreement]:
    """The agreements you may see, filtered by hub, national, state, end date and member."""
    require_permission(request.user, "memberships.list_agreements")
    return filters.filter(selectors.agreements_visible_to(request.user))


@agreement_router.post("", response={201: AgreementOut})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    """A new draft from the intake data; each invalid field named, overlap 409."""
    agreement = services.agreement_create(actor=request.user, **payload.dict(exclude_unset=True))
    return Status(201, selectors.agreement_get(agreement.pk))


@agreement_router.get("/{int:agreement_id}", response=AgreementOut)
def get_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    """One agreement with its fee lines (and, national, their allocation to hubs)."""
    return _readable_agreement(request, agreement_id)


@agreement_router.patch("/{int:agreement_id}", response=AgreementOut)
def update_agreement(
    request: HttpRequest, agreement_id: int, payload: AgreementPatchIn
) -> Agreement:
    """Change a draft's intake data; ``discounts`` and ``localities`` replace the lists."""
    _readable_agreement(request, agreement_id)
    services.agreement_update(
        actor=request.user, agreement_id=agreement_id, **payload.dict(exclude_unset=True)
    )
    return selectors.agreement_get(agreement_id)


@agreement_router.post("/{int:agreement_id}/signatures", response=AgreementOut)
def record_signatures(request: HttpRequest, agreement_id: int, payload: SignaturesIn) -> Agreement:
    """Record the dates the two parties signed (state ``sent``)."""
    _readable_agreement(request, agreement_id)
    services.agreement_signatures_record(
        actor=request.user, agreement_id=agreement_id, **payload.dict(exclude_unset=True)
    )
    return selectors.agreement_get(agreement_id)


@agreement_router.post("/{int:agreement_id}/signed-copy", response={201: SignedCopyOut})
@accepts_upload(lambda: settings.SIGNED_COPY_MAX_BYTES)
def upload_signed_copy(
    request: HttpRequest,
    agreement_id: int,
    payload: Form[SignedCopyIn],
    file: File[UploadedFile],
) -> Status:
    """The member's signed copy (multipart: ``file``, ``signed_on``, ``signatory``): a PDF, PNG
    or JPEG by its content, at most ``SIGNED_COPY_MAX_BYTES``; records the member's signature
    on ``signed_on`` (state ``sent``)."""
    _readable_agreement(request, agreement_id)
    copy = services.agreement_signed_copy_upload(
        actor=request.user,
        agreement_id=agreement_id,
        file=file,
        signed_on=payload.signed_on,
        signatory=payload.signatory,
    )
    return Status(201, copy)


@agreement_router.get("/{int:agreement_id}/signed-copy", response={200: None})
def download_signed_copy(request: HttpRequest, agreement_id: int) -> FileResponse:
    """The newest signed copy, with the content type its content was found to be."""
    agreement = _readable_agreement(request, agreement_id)
    copy = selectors.signed_copies(agreement).first()
    if copy is None:
        raise Http404("no signed copy uploaded")
    return FileResponse(
        copy.file.open("rb"),
        as_attachment=True,
        filename=selectors.signed_copy_file_name(copy),
        content_type=copy.content_type,
    )


@agreement_router.get("/{int:agreement_id}/signed-copies", response=list[SignedCopyOut])
def list_signed_copies(request: HttpRequest, agreement_id: int) -> list:
    """Every uploaded signed copy, newest first, with its hash, date and signatory."""
    return list(selectors.signed_copies(_readable_agreement(request, agreement_id)))


@agreement_router.post("/{int:agreement_id}/terminate", response=AgreementOut)
def terminate_agreement(
    request: HttpRequest, agreement_id: int, payload: TerminationIn
) -> Agreement:
    """Terminate a signed or active agreement from a date, with the reason."""
    _readable_agreement(request, agreement_id)
    services.agreement_terminate(
        actor=request.user,
        agreement_id=agreement_id,
        terminated_on=payload.terminated_on,
        reason=payload.reason,
    )
    return selectors.agreement_get(agreement_id)


@agreement_router.post("/{int:agreement_id}/renew", response={201: AgreementOut})
def renew_agreement(request: HttpRequest, agreement_id: int) -> Status:
    """The next period's draft, from an active agreement or one expired within 90 days."""
    _readable_agreement(request, agreement_id)
    renewal = services.agreement_renew(actor=request.user, agreement_id=agreement_id)
    return Status(201, selectors.agreement_get(renewal.pk))


add_transition_routes(
    agreement_router,
    services.agreements_with_facts,
    view_permission="memberships.view_agreement",
    actors_permission="memberships.manage_agreement",
)


@agreement_router.post("/{int:agreement_id}/document", response={202: FlowRunOut})
def generate_document(request: HttpRequest, agreement_id: int) -> Status:
    """Generate the agreement's Word document (flow ``generate_agreements``; poll the run)."""
    _readable_agreement(request, agreement_id)
    return Status(
        202,
        document_services.agreements_generate_request(
            actor=request.user, agreement_id=agreement_id
        ),
    )


@agreement_router.get("/{int:agreement_id}/document", response={200: None})
def download_document(request: HttpRequest, agreement_id: int) -> FileResponse:
    """The newest generated .docx, named by the agreement's number and member."""
    agreement = _readable_agreement(request, agreement_id)
    document = selectors.agreement_documents(agreement).first()
    if document is None:
        raise Http404("no document generated")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=selectors.agreement_document_file_name(document),
        content_type=DOCX,
    )


@agreement_router.get("/{int:agreement_id}/document.pdf", response={200: None})
def download_document_pdf(request: HttpRequest, agreement_id: int) -> FileResponse:
    """The newest document's PDF copy (made when LibreOffice is installed; 404 otherwise)."""
    agreement = _readable_agreement(request, agreement_id)
    document = selectors.agreement_documents(agreement).first()
    if document is None or not document.pdf:
        raise Http404("no PDF copy of the newest document")
    name = f"{agreement.number} {agreement.member.name} v{document.version}.pdf"
    return FileResponse(
        document.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@agreement_router.get("/{int:agreement_id}/documents", response=list[AgreementDocumentOut])
def list_documents(request: HttpRequest, agreement_id: int) -> list:
    """Every generated version, newest first, with its hash and template version."""
    return list(selectors.agreement_documents(_readable_agreement(request, agreement_id)))


@hub_agreement_router.post("/hubs/{int:hub_id}/agreements/generate", response={202: FlowRunOut})
def generate_hub_documents(request: HttpRequest, hub_id: int) -> Status:
    """Generate the documents of all the hub's drafts in one flow run."""
    return Status(
        202, document_services.agreements_generate_request(actor=request.user, hub_id=hub_id)
    )


@template_router.get("", response=list[AgreementTemplateOut])
@paginate
def list_templates(request: HttpRequest) -> QuerySet:
    """The template versions (the newest of a language is used)."""
    require_permission(request.user, "memberships.list_agreement_templates")
    return AgreementTemplate.objects.all()


@template_router.post("", response={201: AgreementTemplateOut})
def upload_template(request: HttpRequest, payload: AgreementTemplateIn) -> Status:
    """A new template version (coordinator); refused with the unknown variables listed."""
    require_permission(request.user, "memberships.upload_agreement_template")
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except ValueError as error:  # binascii.Error, or text that is not ASCII
        raise ValidationError({"content_base64": _("Inte giltig base64.")}) from error
    template = document_services.template_upload(
        actor=request.user, language=payload.language, name=payload.file_name, data=data
    )
    return Status(201, template)


def _invoicing_lines(request: HttpRequest, hub_id: int, year: int | None) -> tuple[list, int]:
    from governance.hubs.models import Hub

    hub = get_object_or_404(Hub, pk=hub_id)
    # Asked about an agreement of the hub: whoever manages the hub's agreements.
    require_permission(request.user, "memberships.manage_agreement", Agreement(hub=hub))
    year = year or timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2200.")})
    return selectors.invoicing_basis(hub, year), year


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hub_agreement_router.get("/hubs/{int:hub_id}/invoicing.csv", response={200: None})
def invoicing_csv(request: HttpRequest, hub_id: int, year: int | None = None) -> HttpResponse:
    """The year's fee lines due (default this year), for the principal's finance system."""
    lines, year = _invoicing_lines(request, hub_id, year)
    return _download(
        exports.invoicing_csv(lines), "text/csv; charset=utf-8", f"fakturaunderlag-{year}.csv"
    )


@hub_agreement_router.get("/hubs/{int:hub_id}/invoicing.xlsx", response={200: None})
def invoicing_xlsx(request: HttpRequest, hub_id: int, year: int | None = None) -> HttpResponse:
    """The same as an Excel workbook."""
    lines, year = _invoicing_lines(request, hub_id, year)
    return _download(exports.invoicing_xlsx(lines), XLSX, f"fakturaunderlag-{year}.xlsx")


@agreement_router.post("/{int:agreement_id}/invoices/{int:year}", response=InvoiceMarkOut)
def mark_invoice(
    request: HttpRequest, agreement_id: int, year: int, payload: InvoiceMarkIn
) -> object:
    """Mark the agreement's fee for a year invoiced and/or paid (who and when are recorded)."""
    _readable_agreement(request, agreement_id)
    return services.invoice_mark(
        actor=request.user,
        agreement_id=agreement_id,
        year=year,
        invoiced=payload.invoiced,
        paid=payload.paid,
    )


@agreement_router.get("/{int:agreement_id}/seat-holders", response=list[SeatHolderOut])
def list_seat_holders(request: HttpRequest, agreement_id: int) -> list:
    """Who holds the seats, and who held them before (with ``until``)."""
    return list(_readable_agreement(request, agreement_id).seat_holders.all())


@agreement_router.post("/{int:agreement_id}/seat-holders", response={201: SeatHolderOut})
def add_seat_holder(request: HttpRequest, agreement_id: int, payload: SeatHolderIn) -> Status:
    """Name the holder of a free seat (409 ``no_free_seat`` when all are taken)."""
    _readable_agreement(request, agreement_id)
    holder = services.seat_holder_add(
        actor=request.user, agreement_id=agreement_id, name=payload.name, email=payload.email
    )
    return Status(201, holder)


@agreement_router.post(
    "/{int:agreement_id}/seat-holders/{int:holder_id}/swap", response={201: SeatHolderOut}
)
def swap_seat_holder(
    request: HttpRequest, agreement_id: int, holder_id: int, payload: SeatHolderIn
) -> Status:
    """Give the holder's seat to someone else, in one logged action."""
    _readable_agreement(request, agreement_id)
    holder = services.seat_holder_swap(
        actor=request.user,
        agreement_id=agreement_id,
        holder_id=holder_id,
        name=payload.name,
        email=payload.email,
    )
    return Status(201, holder)
