"""Workshop URLs under /workshop/ (Swedish slugs), included before Wagtail's page catch-all."""

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("ny/", views.session_create, name="session_create"),
    path("ga-med/", views.join, name="join"),
    path("ga-med/<str:code>/", views.join_code, name="join_code"),
    path("mina/<int:pk>/", views.my_session, name="my_session"),
    path("mina/<int:pk>/dela/", views.share_answers, name="share_answers"),
    path("<int:pk>/kalender.ics", views.session_calendar, name="session_calendar"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/andra/", views.session_edit, name="session_edit"),
    path("<int:pk>/stall-in/", views.session_cancel, name="session_cancel"),
    path("<int:pk>/ledarvy/", views.facilitator, name="facilitator"),
    path("<int:pk>/narvaro/", views.attendance, name="attendance"),
    path("<int:pk>/framsteg/", views.progress, name="progress"),
    path("<int:pk>/framsteg.csv", views.progress_export_csv, name="progress_export_csv"),
    path("<int:pk>/framsteg.xlsx", views.progress_export_xlsx, name="progress_export_xlsx"),
    path(
        "<int:pk>/deltagare/<int:participant_id>/svar/",
        views.shared_answers,
        name="shared_answers",
    ),
    path("<int:pk>/material/", views.session_pack, name="session_pack"),
]
