"""Flows about membership agreements."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from prefect import flow

from flows.tracking import record_failure, record_result, record_start, tracked_run
from governance.audit.context import acting_for_flow_run
from governance.flowruns.models import FlowRun
from governance.memberships.calendar import agreements_calendar_advance
from governance.memberships.document_services import (
    GenerationBatch,
    agreement_document_generate,
    document_pdf_copies,
)
from governance.memberships.models import Agreement


def _generate_one(
    actor: User, agreement_id: int, run_id: int, batch: GenerationBatch
) -> dict[str, Any]:
    number = Agreement.objects.filter(pk=agreement_id).values_list("number", flat=True).first()
    entry: dict[str, Any] = {"id": agreement_id, "number": number}
    try:
        generated = agreement_document_generate(
            actor=actor, agreement_id=agreement_id, flow_run_id=run_id, batch=batch
        )
    except (LookupError, ValueError, PermissionError, Agreement.DoesNotExist) as problem:
        # One bad agreement is reported with its reason; the others still complete.
        return {**entry, "outcome": "failed", "reason": str(problem)}
    except Exception as problem:  # a template that fails to render, storage trouble
        return {**entry, "outcome": "failed", "reason": f"{type(problem).__name__}: {problem}"}
    return {
        **entry,
        "outcome": "generated" if generated.created else "unchanged",
        "document_id": generated.document.pk,
        "version": generated.document.version,
        "sha256": generated.document.sha256,
    }


@flow(name="generate-agreements", on_failure=[record_failure])
def generate_agreements(run_id: int, agreement_ids: list[int]) -> None:
    """Render and store each agreement's document (one or a hub's drafts), each in its own
    transaction; the run's result lists every agreement's outcome."""
    with acting_for_flow_run(run_id):
        if not record_start(run_id):
            return
        actor = FlowRun.objects.select_related("requested_by").get(pk=run_id).requested_by
        batch = GenerationBatch()
        outcomes = [
            _generate_one(actor, agreement_id, run_id, batch) for agreement_id in agreement_ids
        ]
        pdf = document_pdf_copies(
            actor=actor, document_ids=[o["document_id"] for o in outcomes if "document_id" in o]
        )
        record_result(
            run_id,
            {
                "agreements": outcomes,
                "generated": sum(o["outcome"] == "generated" for o in outcomes),
                "unchanged": sum(o["outcome"] == "unchanged" for o in outcomes),
                "failed": sum(o["outcome"] == "failed" for o in outcomes),
                "pdf": pdf,
            },
        )


@flow(name="nightly-agreement-calendar", on_failure=[record_failure])
def nightly_agreement_calendar(run_id: int | None = None, on: str | None = None) -> None:
    """Each night (MembershipsConfig.schedules): signed agreements whose start date has come
    become active, active ones past their end date expire, and those ending within 60 days are
    listed for renewal. ``on`` (ISO date) names the day; by default today."""
    with tracked_run(run_id, "nightly_agreement_calendar") as run_id:
        if run_id is None:
            return
        today = date.fromisoformat(on) if on else timezone.localdate()
        record_result(run_id, agreements_calendar_advance(today=today))
