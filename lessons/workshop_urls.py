"""Workshop URLs under /workshop/ (Swedish slugs), included before Wagtail's page catch-all."""

from django.urls import path

from . import workshop_views as views

urlpatterns = [
    path("", views.session_list, name="workshop_list"),
    path("ny/", views.session_create, name="workshop_create"),
    path("ga-med/", views.join, name="workshop_join"),
    path("ga-med/<str:code>/", views.join_code, name="workshop_join_code"),
    path("mina/<int:pk>/", views.my_session, name="workshop_mine"),
    path("mina/<int:pk>/dela/", views.share_answers, name="workshop_share"),
    path("<int:pk>/kalender.ics", views.session_calendar, name="workshop_calendar"),
    path("<int:pk>/", views.session_detail, name="workshop_detail"),
    path("<int:pk>/andra/", views.session_edit, name="workshop_edit"),
    path("<int:pk>/stall-in/", views.session_cancel, name="workshop_cancel"),
    path("<int:pk>/ledarvy/", views.facilitator, name="workshop_facilitator"),
    path("<int:pk>/narvaro/", views.attendance, name="workshop_attendance"),
    path("<int:pk>/framsteg/", views.progress, name="workshop_progress"),
    path("<int:pk>/framsteg.csv", views.progress_export_csv, name="workshop_progress_csv"),
    path("<int:pk>/framsteg.xlsx", views.progress_export_xlsx, name="workshop_progress_xlsx"),
    path(
        "<int:pk>/deltagare/<int:participant_id>/svar/",
        views.shared_answers,
        name="workshop_shared_answers",
    ),
    path("<int:pk>/material/", views.session_pack, name="workshop_pack"),
]
