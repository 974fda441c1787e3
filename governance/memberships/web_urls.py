"""The agreement pages, mounted under /agreements/ (MembershipsConfig.web_urls)."""

from django.urls import path

from governance.memberships import views

app_name = "memberships"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("<int:agreement_id>/", views.agreement_detail, name="detail"),
    path("<int:agreement_id>/edit/", views.agreement_edit, name="edit"),
    path(
        "<int:agreement_id>/transitions/<str:name>/",
        views.agreement_transition,
        name="transition",
    ),
    path("<int:agreement_id>/document/", views.document_generate, name="generate"),
    path(
        "<int:agreement_id>/document/runs/<int:run_id>/",
        views.document_run,
        name="document_run",
    ),
    path(
        "<int:agreement_id>/documents/<int:version>/",
        views.document_download,
        name="document_download",
    ),
    path("<int:agreement_id>/signed-copy/", views.signed_copy_upload, name="signed_copy"),
    path(
        "<int:agreement_id>/signed-copies/<int:version>/",
        views.signed_copy_download,
        name="signed_copy_download",
    ),
    path("<int:agreement_id>/signatures/", views.signatures_record, name="signatures"),
    path("<int:agreement_id>/terminate/", views.agreement_terminate, name="terminate"),
    path("<int:agreement_id>/renew/", views.agreement_renew, name="renew"),
    path("<int:agreement_id>/invoices/<int:year>/", views.invoice_mark, name="invoice_mark"),
    path("fee-schedules/", views.fee_schedules, name="fee_schedules"),
    path("fee-schedules/new/", views.fee_schedule_create, name="fee_schedule_create"),
    path(
        "fee-schedules/<int:fee_schedule_id>/transitions/<str:name>/",
        views.fee_schedule_transition,
        name="fee_schedule_transition",
    ),
    path("invoicing/hubs/<int:hub_id>/", views.invoicing, name="invoicing"),
]
