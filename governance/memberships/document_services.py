"""Writes around agreement documents: template versions (checked in, uploaded) and generated
documents, each stored through Django's storage API with its SHA-256 and audited."""

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.flowruns.models import FlowRun
from governance.lifecycle.services import transition_run
from governance.memberships.choices import AgreementLanguage, AgreementState
from governance.memberships.documents import (
    agreement_context,
    checked_in_template_path,
    content_hash,
    render_docx,
    undeclared_variables,
)
from governance.memberships.models import Agreement, AgreementDocument, AgreementTemplate
from governance.memberships.pdf import PdfUnavailableError, convert_to_pdf
from governance.memberships.selectors import (
    SchedulesInForce,
    agreement_fees,
    agreements_for_generation,
)
from governance.permissions import require_permission
from governance.workflows import dispatch

TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
MANAGE = "memberships.manage_agreement"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _next_template_version(language: str) -> int:
    latest = AgreementTemplate.objects.filter(language=language).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


@transaction.atomic
def template_current(language: str) -> AgreementTemplate:
    """The newest template version of ``language``; the checked-in file becomes a version of
    its own the first time it is used, and again whenever its content changes."""
    checked_in = checked_in_template_path(language).read_bytes()
    digest = _sha256(checked_in)
    newest = AgreementTemplate.objects.filter(language=language).order_by("-version").first()
    if newest is not None and (newest.uploaded_by_id is not None or newest.sha256 == digest):
        return newest
    known = AgreementTemplate.objects.filter(language=language, sha256=digest).first()
    if known is not None and newest is not None and newest.uploaded_by_id is None:
        return known
    template = AgreementTemplate(
        language=language,
        version=_next_template_version(language),
        sha256=digest,
        source=f"templates/agreements/{checked_in_template_path(language).name}",
    )
    template.file.save(checked_in_template_path(language).name, ContentFile(checked_in))
    return template


def template_check(language: str, data: bytes) -> None:
    """Refuse (ValidationError on ``language`` or ``file``) an upload that is no .docx, is too
    large, or names variables the platform does not provide (listed): what the API and the
    admin's form both ask before a template becomes a version."""
    if language not in AgreementLanguage.values:
        raise ValidationError({"language": _("Okänt språk.")})
    if len(data) > TEMPLATE_MAX_BYTES:
        raise ValidationError({"file": _("Mallen är större än 5 MB.")}, code="too_large")
    try:
        unknown = undeclared_variables(io.BytesIO(data))
    except ValueError as error:
        raise ValidationError(
            {"file": ValidationError(str(error), code="invalid_template")}
        ) from error
    if unknown:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Mallen använder variabler som plattformen inte har: %(names)s.")
                    % {"names": ", ".join(sorted(unknown))},
                    code="unknown_variables",
                )
            }
        )


@transaction.atomic
def template_upload(*, actor: User, language: str, name: str, data: bytes) -> AgreementTemplate:
    """A new template version from an uploaded .docx, refused as ``template_check`` says."""
    require_permission(actor, "memberships.upload_agreement_template")
    template_check(language, data)
    template = AgreementTemplate(
        language=language,
        version=_next_template_version(language),
        sha256=_sha256(data),
        source=name[:200],
        uploaded_by=actor,
    )
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:100] or "mall.docx"
    template.file.save(safe_name, ContentFile(data))
    audit_record(
        actor=actor,
        verb="created",
        target=template,
        after={"language": language, "version": template.version, "sha256": template.sha256},
    )
    return template


@dataclass(frozen=True)
class Generated:
    document: AgreementDocument
    created: bool


@dataclass
class GenerationBatch:
    """What a batch run looks up once and reuses for each agreement: the current template of
    each language and the fee schedule in force for each hub and start date."""

    templates: dict[str, AgreementTemplate] = field(default_factory=dict)
    template_bytes: dict[int, bytes] = field(default_factory=dict)
    schedules: SchedulesInForce = field(default_factory=dict)

    def template(self, language: str) -> AgreementTemplate:
        if language not in self.templates:
            self.templates[language] = template_current(language)
        return self.templates[language]

    def content(self, template: AgreementTemplate) -> bytes:
        """The template's file, read once: docx's zip reader seeks through the storage's file
        wrapper otherwise, which doubled the rendering time (bench/agreements.py)."""
        if template.pk not in self.template_bytes:
            with template.file.open("rb") as source:
                self.template_bytes[template.pk] = source.read()
        return self.template_bytes[template.pk]


@transaction.atomic
def agreement_document_generate(
    *,
    actor: User,
    agreement_id: int,
    flow_run_id: int | None = None,
    batch: GenerationBatch | None = None,
) -> Generated:
    """Render the agreement with its language's current template and store it as a new
    version, unless the newest version already shows the same values with the same template.
    A draft moves to ``generated``. ``batch`` is what a batch run shares between its
    agreements. Raises ValueError (with words) for what cannot be rendered: no fee schedule in
    force, a template that fails."""
    batch = batch or GenerationBatch()
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("hub", "member", "principal")
        .prefetch_related("discounts")
        .get(pk=agreement_id)
    )
    require_permission(actor, MANAGE, agreement)
    if agreement.state not in (AgreementState.DRAFT, AgreementState.GENERATED):
        raise ValueError(
            _("Avtalet är i läget ”%(state)s”; dokument skapas för utkast och skapade avtal.")
            % {"state": AgreementState(agreement.state).label}
        )
    template = batch.template(agreement.language)
    with translation.override(agreement.language):
        # NoFeeScheduleError is a LookupError with words.
        fees = agreement_fees(agreement, schedules=batch.schedules)
    context = agreement_context(agreement, fees, template_version=template.version)
    digest = content_hash(context, template.sha256)
    newest = agreement.documents.order_by("-version").first()
    if newest is not None and newest.content_hash == digest:
        created = False
        document = newest
    else:
        data = render_docx(io.BytesIO(batch.content(template)), context)
        document = AgreementDocument(
            agreement=agreement,
            version=(newest.version + 1) if newest else 1,
            sha256=_sha256(data),
            content_hash=digest,
            template=template,
            fee_lines=context["fee_lines"],
            flow_run_id=flow_run_id,
        )
        document.file.save(f"{agreement.number}-v{document.version}.docx", ContentFile(data))
        audit_record(
            actor=actor,
            verb="document_generated",
            target=agreement,
            details={
                "version": document.version,
                "sha256": document.sha256,
                "template": f"{template.language} v{template.version}",
            },
        )
        created = True
    if agreement.state == AgreementState.DRAFT:
        transition_run(Agreement.objects.all(), pk=agreement.pk, name="mark_generated", actor=actor)
    return Generated(document, created)


def document_pdf_copies(*, actor: User | None, document_ids: list[int]) -> dict[str, Any]:
    """PDF copies of those documents that have none, made in one LibreOffice call and stored
    beside the .docx with their SHA-256; without LibreOffice each keeps a note why not. The
    answer (how many were made, and the note) goes into the flow run's result."""
    documents = list(
        AgreementDocument.objects.filter(pk__in=document_ids, pdf="").select_related("agreement")
    )
    if not documents:
        return {"made": 0}
    sources = {}
    for document in documents:
        with document.file.open("rb") as source:
            sources[f"document-{document.pk}"] = source.read()
    try:
        pdfs = convert_to_pdf(sources)
        note = ""
    except PdfUnavailableError as unavailable:
        pdfs, note = {}, str(unavailable)
    made = 0
    for document in documents:
        data = pdfs.get(f"document-{document.pk}")
        with transaction.atomic():
            if data is None:
                note_field = AgreementDocument._meta.get_field("pdf_note")
                document.pdf_note = (note or _("LibreOffice kunde inte konvertera dokumentet."))[
                    : note_field.max_length
                ]
                document.save(update_fields=["pdf_note"])
                continue
            document.pdf_sha256 = _sha256(data)
            document.pdf_note = ""
            document.pdf.save(Path(document.file.name).with_suffix(".pdf").name, ContentFile(data))
            audit_record(
                actor=actor,
                verb="document_pdf_made",
                target=document.agreement,
                details={"version": document.version, "sha256": document.pdf_sha256},
            )
            made += 1
    return {"made": made, **({"note": note} if note else {})}


def agreements_generate_request(
    *, actor: User, agreement_id: int | None = None, hub_id: int | None = None
) -> FlowRun:
    """Start ``generate_agreements`` for one agreement, or for all of a hub's drafts."""
    if agreement_id is not None:
        agreement = Agreement.objects.get(pk=agreement_id)
        require_permission(actor, MANAGE, agreement)
        ids = [agreement.pk]
    else:
        from governance.hubs.models import Hub

        hub = Hub.objects.get(pk=hub_id)
        # Asked about an agreement of the hub: whoever manages the hub's agreements.
        require_permission(actor, MANAGE, Agreement(hub=hub))
        ids = list(agreements_for_generation(hub).values_list("pk", flat=True))
    return dispatch("generate_agreements", requested_by=actor, agreement_ids=ids)
