"""The drill-down writes a row in the access log per learner shown (and per learner exported):
who opened whose progress, named by module and municipality; a refused request writes none."""

from django.urls import reverse

from kompetensverkstad.accounts.models import Profile
from kompetensverkstad.privacy.access.models import AccessLogEntry


def _url(municipality, module) -> str:
    return reverse("kv_reports:learners", args=[municipality.pk, module.pk])


def test_drilldown_logs_each_learner_shown_once(client, county, coordinator) -> None:
    kalmar, module = county.municipalities["Kalmar"], county.modules[0]
    client.force_login(coordinator)
    assert client.get(_url(kalmar, module)).status_code == 200

    learners = set(Profile.objects.filter(municipality=kalmar).values_list("user_id", flat=True))
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == len(learners) == 8
    assert {e.subject_id for e in entries} == learners
    assert {(e.actor_id, e.what) for e in entries} == {(coordinator.pk, "report_learners")}
    assert entries[0].detail == f"{module.title} – Kalmar"


def test_drilldown_export_logs_each_learner_exported(client, county, admin_user) -> None:
    kalmar, module = county.municipalities["Kalmar"], county.modules[0]
    client.force_login(admin_user)
    response = client.get(_url(kalmar, module) + "?export=csv")
    b"".join(response.streaming_content)
    entries = AccessLogEntry.objects.all()
    assert entries.count() == 8
    assert all(e.detail.endswith("(export)") for e in entries)


def test_refused_drilldown_and_the_summary_report_write_nothing(
    client, county, coordinator
) -> None:
    client.force_login(coordinator)
    vimmerby, module = county.municipalities["Vimmerby"], county.modules[0]
    assert client.get(_url(vimmerby, module)).status_code == 404
    # The summary report holds counts, not a person's data.
    assert client.get(reverse("kv_reports:completion")).status_code == 200
    assert not AccessLogEntry.objects.exists()
