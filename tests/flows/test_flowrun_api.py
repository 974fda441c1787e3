import pytest

from governance.flowruns.models import FlowRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_flow_run_is_visible_to_who_asked_and_the_coordinator_only(client_for, coordinator):
    asker, stranger = UserFactory(), UserFactory()
    run = FlowRun.objects.create(flow_name="revalidate_org_numbers", requested_by=asker)
    assert client_for(asker).get(f"/api/flow-runs/{run.pk}").status_code == 200
    assert client_for(coordinator).get(f"/api/flow-runs/{run.pk}").status_code == 200
    assert client_for(stranger).get(f"/api/flow-runs/{run.pk}").status_code == 403
    assert client_for(None).get(f"/api/flow-runs/{run.pk}").status_code == 401
