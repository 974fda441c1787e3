"""The members' pages, mounted under /medlem/ (MembersConfig.web_urls). The application, the
confirmation and the request for one's own data are public; the rest needs a sign-in."""

from django.urls import path

from governance.members import views

app_name = "members"

urlpatterns = [
    path("ansok/", views.apply, name="apply"),
    path("ansok/skickad/", views.applied, name="applied"),
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("mina-uppgifter/", views.personal_data_request, name="personal_data_request"),
    path("mina-uppgifter/<str:token>/", views.personal_data_link, name="personal_data_link"),
    path("", views.member_list, name="list"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/transitions/<str:name>/", views.transition, name="transition"),
    path("<int:member_id>/onboarding/<str:step>/", views.onboarding, name="onboarding"),
    path("<int:member_id>/personal-data.json", views.personal_data, name="personal_data"),
]
