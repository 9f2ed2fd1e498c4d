"""The reports' admin URLs, under /admin/rapporter/ in the ``kv_reports`` namespace."""

from django.urls import path

from .views import CompletionReportView, LearnersReportView

app_name = "kv_reports"

urlpatterns = [
    path("genomforande/", CompletionReportView.as_view(), name="completion"),
    path(
        "genomforande/resultat/",
        CompletionReportView.as_view(results_only=True),
        name="completion_results",
    ),
    path(
        "genomforande/<int:municipality_id>/<int:module_id>/",
        LearnersReportView.as_view(),
        name="learners",
    ),
]
