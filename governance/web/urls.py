"""The web pages' addresses (mounted at the site's root by governance/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse_lazy

from governance.web import views
from governance.web.registry import declared_page_urls

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="sign_in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="web/password_reset/form.html",
            success_url=reverse_lazy("web:password_reset_done"),
            email_template_name="web/password_reset/email.txt",
            subject_template_name="web/password_reset/subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset/done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/password_reset/confirm.html",
            success_url=reverse_lazy("web:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/password_reset/complete.html"
        ),
        name="password_reset_complete",
    ),
    path("overview/", views.overview, name="overview"),
    re_path(r"^overview\.(?P<fmt>csv|xlsx)$", views.overview_export, name="overview_export"),
    path("hubs/new/", views.hub_create, name="hub_create"),
    path("hubs/<int:hub_id>/", views.hub_detail, name="hub_detail"),
    path("hubs/<int:hub_id>/edit/", views.hub_edit, name="hub_edit"),
    path("hubs/<int:hub_id>/readiness/", views.readiness, name="readiness"),
    path("hubs/<int:hub_id>/transitions/<str:name>/", views.transition, name="transition"),
    path("hubs/<int:hub_id>/people/", views.people_assign, name="people_assign"),
    path(
        "hubs/<int:hub_id>/people/<int:assignment_id>/remove/",
        views.people_remove,
        name="people_remove",
    ),
    path("hubs/<int:hub_id>/checklist/pull/", views.checklist_pull, name="checklist_pull"),
    path("hubs/<int:hub_id>/checklist/<slug:key>/", views.checklist_item, name="checklist_item"),
    path(
        "organisations/revalidate/",
        views.revalidate_org_numbers,
        name="revalidate_org_numbers",
    ),
    path("flow-runs/<int:run_id>/", views.flow_run, name="flow_run"),
]

# Later apps' pages, declared on their AppConfig: web_urls = {"boards/": "module.of.urls"}.
urlpatterns += [path(prefix, include(module)) for prefix, module in declared_page_urls()]
