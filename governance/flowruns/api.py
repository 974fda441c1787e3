"""Poll a flow run started by another endpoint (which answered 202 with its id)."""

from django.http import HttpRequest
from ninja import Router

from governance.flowruns.models import FlowRun
from governance.flowruns.schemas import FlowRunOut
from governance.flowruns.selectors import flowrun_get
from governance.permissions import require_permission

router = Router(tags=["flow runs"])


@router.get("/{int:run_id}", response=FlowRunOut)
def get_flow_run(request: HttpRequest, run_id: int) -> FlowRun:
    """State, result or error of one flow run."""
    run = flowrun_get(run_id)
    require_permission(request.user, "flowruns.view_flowrun", run)
    return run
