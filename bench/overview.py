"""The national overview's cost per hub at a small and a large number of hubs, and its floor.

Prints, from one run in a fresh process on a throw-away SQLite database:
- the median time of the whole endpoint ``GET /api/overview`` for a national coordinator
  (through django.test.Client: the selector's querysets shaped by the schemas) and the number
  of SQL queries it ran, at ``--small`` and at ``--large`` hubs;
- the floor: one SQL query returning the same facts per hub (phase, dates, checklist counts,
  readiness total, the guards' facts) and ``json.dumps`` of those rows, and the endpoint's ratio
  to it — what the API shape costs above fetching and encoding the data;
- the per-hub ratio large/small, which stays near 1 when the overview scales linearly (a fixed
  number of queries, constant work per hub), and the fixed cost and the cost per added hub from
  the straight line through both measurements.

Each hub gets its phase's checklist items (as the services create them from the
ChecklistVersion), some of them done or not applicable, four readiness scores, and on some
hubs a community manager. The small data set is measured first; the large one adds hubs to it.

Usage: .venv/bin/python bench/overview.py [--small 10] [--large 1000] [--repeat 7]
"""

import argparse
import json
import statistics
import time
from datetime import timedelta

from throwaway import org_number, start_throwaway_django

start_throwaway_django("bench-overview-")

from django.contrib.auth.models import User  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import OuterRef, Subquery, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.hubs.choices import (  # noqa: E402
    CHECKLIST_PHASES,
    County,
    HubRole,
    ItemStatus,
    Phase,
    PremisesStatus,
    ReadinessAspect,
)
from governance.hubs.models import Hub, HubChecklistItem, ReadinessScore  # noqa: E402
from governance.hubs.selectors import hubs_with_facts  # noqa: E402
from governance.hubs.services import _current_version  # noqa: E402
from governance.organisations.choices import NationalRole  # noqa: E402
from governance.organisations.models import Organisation, RoleAssignment  # noqa: E402

# Hubs spread over these phases in turn; proposed hubs have no checklist yet.
PHASES = [Phase.PREPARATION, Phase.STARTUP, Phase.OPERATIONS, Phase.PROPOSED]
COUNTIES = list(County)
PRINCIPALS = 50


def _add_hubs(start: int, stop: int, versions: dict, principals: list[int]) -> None:
    """Hubs number ``start`` .. ``stop - 1`` with their items, scores and community managers."""
    today = timezone.localdate()
    hubs = []
    for n in range(start, stop):
        phase = PHASES[n % len(PHASES)]
        entered = today - timedelta(days=(n * 37) % 400)
        started = {f"{phase}_started_on": entered} if phase in CHECKLIST_PHASES else {}
        hubs.append(
            Hub(
                name=f"Hub {n:05d}",
                municipality=f"Kommun {n % 290}",
                county=COUNTIES[n % len(COUNTIES)],
                principal_id=principals[n % len(principals)] if n % 3 else None,
                premises_status=list(PremisesStatus)[n % len(PremisesStatus)],
                phase=phase,
                phase_entered_on=entered,
                **started,
            )
        )
    hubs = Hub.objects.bulk_create(hubs)

    items, scores, managers = [], [], []
    aspects = list(ReadinessAspect)
    for n, hub in enumerate(hubs, start=start):
        version = versions.get(hub.phase)
        for position, item in enumerate(version.items if version else []):
            # About half the items done, one in ten not applicable, the rest open.
            status = (
                ItemStatus.DONE
                if (n + position) % 2
                else ItemStatus.NOT_APPLICABLE
                if (n + position) % 10 == 0
                else ItemStatus.OPEN
            )
            row = HubChecklistItem.from_version(hub, version, item, position=position)
            row.status = status
            if status == ItemStatus.NOT_APPLICABLE:
                row.not_applicable_reason = "Gäller inte"
            items.append(row)
        scores.extend(
            ReadinessScore(hub=hub, aspect=aspect, score=(n + index) % 4)
            for index, aspect in enumerate(aspects)
        )
        if n % 3 == 0:
            managers.append(hub)

    HubChecklistItem.objects.bulk_create(items, batch_size=2000)
    ReadinessScore.objects.bulk_create(scores, batch_size=2000)
    users = User.objects.bulk_create(
        User(username=f"cm-{hub.pk}", first_name="Community", last_name=f"Manager {hub.pk}")
        for hub in managers
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, hub=hub, role=HubRole.COMMUNITY_MANAGER)
        for user, hub in zip(users, managers, strict=True)
    )


def _time_endpoint(client: Client, hubs: int) -> float:
    started = time.perf_counter()
    response = client.get("/api/overview")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (response.status_code, response.content[:500])
    assert len(response.json()["hubs"]) == hubs
    return elapsed


FLOOR_COLUMNS = [
    "id", "name", "municipality", "county", "phase", "phase_entered_on", "premises_status",
    "principal__name", "principal__org_number", "open_required_count", "has_community_manager",
    "items_total", "items_resolved", "required_total", "required_resolved", "readiness_total",
]  # fmt: skip


def _time_floor(hubs: int) -> float:
    """One query for the same facts per hub, and JSON of the rows: no shaping at all."""
    readiness_total = (
        ReadinessScore.objects.filter(hub=OuterRef("pk"))
        .order_by()
        .values("hub")
        .annotate(total=Sum("score"))
        .values("total")
    )
    started = time.perf_counter()
    rows = list(
        hubs_with_facts()
        .prefetch_related(None)
        .annotate(readiness_total=Subquery(readiness_total))
        .values(*FLOOR_COLUMNS)
    )
    body = json.dumps({"hubs": rows}, cls=DjangoJSONEncoder)
    elapsed = time.perf_counter() - started
    assert len(rows) == hubs
    assert body
    return elapsed


def _measure(client: Client, hubs: int, repeat: int) -> dict[str, float]:
    assert Hub.objects.count() == hubs
    _time_endpoint(client, hubs)  # warm-up
    _time_floor(hubs)
    # With DEBUG on, Django keeps the last 9,000 queries; once that log is full (migrate fills
    # it) CaptureQueriesContext counts 0, so empty it before each count.
    reset_queries()
    with CaptureQueriesContext(connection) as endpoint_queries:
        client.get("/api/overview")
    assert len(endpoint_queries) > 0
    endpoint = statistics.median(_time_endpoint(client, hubs) for _ in range(repeat))
    floor = statistics.median(_time_floor(hubs) for _ in range(repeat))
    return {
        "hubs": hubs,
        "endpoint": endpoint,
        "endpoint_queries": len(endpoint_queries),
        "floor": floor,
    }


def _per_hub_ratio(small: dict, large: dict, key: str) -> float:
    return (large[key] / large["hubs"]) / (small[key] / small["hubs"])


def _fixed_and_marginal(small: dict, large: dict, key: str) -> tuple[float, float]:
    """The straight line through both measurements: fixed ms and ms per added hub."""
    marginal = (large[key] - small[key]) / (large["hubs"] - small["hubs"])
    return (small[key] - marginal * small["hubs"]) * 1000, marginal * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not 0 < args.small < args.large:
        parser.error("need 0 < --small < --large")

    versions = {phase.value: _current_version(phase) for phase in CHECKLIST_PHASES}
    principals = [
        organisation.pk
        for organisation in Organisation.objects.bulk_create(
            Organisation(
                name=f"Huvudman {n}",
                org_number=org_number(n),
                kind="municipality",
            )
            for n in range(PRINCIPALS)
        )
    ]
    coordinator = User.objects.create_user("coordinator", password="x")
    RoleAssignment.objects.create(
        user=coordinator, role=NationalRole.NATIONAL_COORDINATOR, hub=None
    )
    client = Client()
    client.force_login(coordinator)

    _add_hubs(0, args.small, versions, principals)
    small = _measure(client, args.small, args.repeat)
    _add_hubs(args.small, args.large, versions, principals)
    large = _measure(client, args.large, args.repeat)

    items = HubChecklistItem.objects.count()
    print(
        f"data at {args.large} hubs: {items} checklist items ({items / args.large:.1f} per hub), "
        f"{ReadinessScore.objects.count()} readiness scores, "
        f"{RoleAssignment.objects.filter(role=HubRole.COMMUNITY_MANAGER).count()} community "
        f"managers; median of {args.repeat} after one warm-up"
    )
    print(
        f"{'hubs':>6}  {'endpoint ms':>12}  {'per hub ms':>10}  {'queries':>7}  "
        f"{'floor ms':>9}  {'endpoint/floor':>14}"
    )
    for row in (small, large):
        print(
            f"{row['hubs']:>6}  {row['endpoint'] * 1000:>12.1f}  "
            f"{row['endpoint'] * 1000 / row['hubs']:>10.3f}  {row['endpoint_queries']:>7}  "
            f"{row['floor'] * 1000:>9.1f}  {row['endpoint'] / row['floor']:>14.1f}"
        )
    ratio = _per_hub_ratio(small, large, "endpoint")
    print(f"per-hub ratio {args.large}/{args.small}: endpoint {ratio:.2f}")
    # A ratio below 1 is the fixed cost (building and compiling the querysets, the request)
    # spread over more hubs; the marginal cost is what each added hub costs.
    fixed, marginal = _fixed_and_marginal(small, large, "endpoint")
    print(f"fixed + per added hub: endpoint {fixed:.1f} ms + {marginal:.3f} ms")
    same = small["endpoint_queries"] == large["endpoint_queries"]
    print(f"queries equal at both sizes: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
