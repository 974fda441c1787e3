"""Agreement documents: the platform's flow against bare docxtpl, on the same agreements.

Prints, from one run in a fresh process on a throw-away SQLite database:
- documents per second through ``generate_agreements`` (one batch run of N agreements: the
  fee lines, the context, the rendering, the storage with its SHA-256, the audit entry, the
  transition, each agreement in its own transaction);
- documents per second rendering the same N contexts with bare docxtpl (a new DocxTemplate per
  document, saved to memory), measured before and after the flow and averaged;
- the ratio of the two (the flow's cost per document over bare docxtpl; must stay ≤ 1.5×), the
  same ratio in this process's CPU time (steadier when other work shares the machine), and the
  process's peak resident memory after each part (getrusage).

PDF copies are turned off: the comparison is of the Word documents.

Usage: .venv/bin/python bench/agreements.py [--agreements 500]
"""

import argparse
import io
import os
import resource
import time
from datetime import date
from typing import NamedTuple

from throwaway import org_number, start_throwaway_django

# The Word documents are what is compared; PDF copies (LibreOffice, optional) are left out.
os.environ["AGREEMENT_PDF_COPIES"] = "false"
start_throwaway_django("bench-agreements-")

from django.contrib.auth.models import User  # noqa: E402
from django.utils import translation  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment, StrictUndefined  # noqa: E402

from flows.agreements import generate_agreements  # noqa: E402
from governance.flowruns.models import FlowRun  # noqa: E402
from governance.hubs.models import Hub  # noqa: E402
from governance.memberships import services  # noqa: E402
from governance.memberships.document_services import template_current  # noqa: E402
from governance.memberships.documents import agreement_context  # noqa: E402
from governance.memberships.models import Agreement, FeeSchedule  # noqa: E402
from governance.memberships.selectors import agreement_fees  # noqa: E402
from governance.organisations.models import Organisation, RoleAssignment  # noqa: E402


def _setup(count: int) -> tuple[User, list[int]]:
    coordinator = User.objects.create_user("coordinator")
    RoleAssignment.objects.create(user=coordinator, role="national_coordinator")
    principal = Organisation.objects.create(name="Huvudman", org_number=org_number(0), kind="other")
    hub = Hub.objects.create(
        name="Bench", municipality="Östersund", county="jamtland", principal=principal
    )
    schedule = services.fee_schedule_create(
        actor=coordinator,
        hub_id=hub.pk,
        effective_from=date(2020, 1, 1),
        tiers=[
            {"employees_from": 1, "employees_to": 49, "yearly_fee_ore": 500_000},
            {"employees_from": 50, "employees_to": None, "yearly_fee_ore": 1_200_000},
        ],
    )
    FeeSchedule.objects.filter(pk=schedule.pk).update(state="adopted")
    members = Organisation.objects.bulk_create(
        Organisation(name=f"Bygg & Miljö <{n}> AB", org_number=org_number(n + 1), kind="other")
        for n in range(count)
    )
    ids = []
    for n, member in enumerate(members):
        agreement = services.agreement_create(
            actor=coordinator,
            hub_id=hub.pk,
            member_org_number=member.org_number,
            model="open",
            employees=10 + n % 100,
            start_on=date(2026, 7, 1),
            end_on=date(2028, 6, 30),
            member_signatory_name="Maria Ek",
            member_signatory_title="Avdelningschef",
            member_signatory_email="maria.ek@example.se",
            member_signatory_phone="063-14 30 00",
            member_signatory_authority="delegation",
            principal_signatory_name="Anders Berg",
            principal_signatory_title="Verksamhetsansvarig",
            contact_name="Per Ek",
            contact_email="per.ek@example.se",
            invoice_reference="Ref",
            invoice_address="Box 1, 831 00 Östersund",
            discounts=[{"percent": 50, "year": 2026, "reason": "Ny medlem"}],
        )
        ids.append(agreement.pk)
    return coordinator, ids


class Measured(NamedTuple):
    seconds: float  # wall-clock
    cpu_seconds: float  # this process's CPU time, all threads: what a busy machine skews least
    peak_bytes: int  # resident memory after the part; it only grows


def _measured(call) -> Measured:
    started, cpu_started = time.perf_counter(), time.process_time()
    call()
    return Measured(
        time.perf_counter() - started,
        time.process_time() - cpu_started,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=500)
    args = parser.parse_args()
    coordinator, ids = _setup(args.agreements)

    # The same contexts the flow builds, made before timing the bare rendering.
    template = template_current("sv")
    contexts = []
    for agreement in Agreement.objects.filter(pk__in=ids).select_related(
        "hub", "member", "principal"
    ):
        with translation.override("sv"):
            fees = agreement_fees(agreement)
        contexts.append(agreement_context(agreement, fees, template_version=template.version))
    template_bytes = template.file.read()

    def bare() -> None:
        for context in contexts:
            document = DocxTemplate(io.BytesIO(template_bytes))
            document.render(context, Environment(autoescape=True, undefined=StrictUndefined))
            document.save(io.BytesIO())

    def through_the_flow() -> None:
        run = FlowRun.objects.create(
            flow_name="generate_agreements",
            parameters={"agreement_ids": ids},
            requested_by=coordinator,
        )
        generate_agreements(run_id=run.pk, agreement_ids=ids)
        result = FlowRun.objects.get(pk=run.pk).result
        assert result["generated"] == len(ids), result

    generate_agreements(
        run_id=FlowRun.objects.create(flow_name="generate_agreements").pk, agreement_ids=[]
    )  # Prefect's start-up, not timed
    # Bare docxtpl before and after the flow, their mean the baseline: a machine whose load
    # drifts during the run then skews the ratio less.
    bare_before = _measured(bare)
    flow = _measured(through_the_flow)
    bare_after = _measured(bare)
    bare_seconds = (bare_before.seconds + bare_after.seconds) / 2
    bare_cpu = (bare_before.cpu_seconds + bare_after.cpu_seconds) / 2
    count = len(ids)
    print(f"agreements: {count}")
    for label, seconds, peak in (
        ("bare docxtpl", bare_seconds, bare_before.peak_bytes),
        ("through the flow", flow.seconds, flow.peak_bytes),
    ):
        print(f"{label}: {count / seconds:.1f} documents/s, peak memory {peak / 2**20:.1f} MiB")
    print(f"ratio (flow time / bare time): {flow.seconds / bare_seconds:.2f}× (must stay ≤ 1.5×)")
    print(f"ratio of CPU time (flow / bare): {flow.cpu_seconds / bare_cpu:.2f}×")


if __name__ == "__main__":
    main()
