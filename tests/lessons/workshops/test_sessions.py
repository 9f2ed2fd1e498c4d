"""Planning, changing and cancelling sessions; the calendar file; "Mina workshoppar"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lessons.workshops.models import SessionParticipant, WorkshopSession
from lessons.workshops.tasks import send_workshop_cancellation
from tests import factories
from tests.factories import make_session


def form_data(module, **changes) -> dict:
    data = {
        "title": "Vi blir fler – Alvesta",
        "material": f"module:{module.pk}",
        "starts_at": "2030-03-12T09:00",
        "ends_at": "2030-03-12T12:00",
        "place": "Folkets hus",
        "meeting_url": "",
        "capacity": "12",
        "note": "Ta med penna.",
    }
    data.update(changes)
    return data


def test_trainer_creates_a_session_with_a_code(client, trainer, workshop_module):
    client.force_login(trainer)

    response = client.post(reverse("workshops:session_create"), form_data(workshop_module))

    session = WorkshopSession.objects.get()
    assert response["Location"] == reverse("workshops:session_detail", args=[session.pk])
    assert (
        session.trainer == trainer
        and session.module == workshop_module
        and session.worksheet is None
    )
    assert timezone.localtime(session.starts_at).hour == 9
    assert session.capacity == 12 and len(session.join_code) == 6
    detail = client.get(response["Location"]).content.decode()
    assert session.join_code in detail
    assert '<svg role="img"' in detail  # the QR code, inline
    assert reverse("workshops:join_code", args=[session.join_code]) in detail


def test_a_session_can_be_about_a_single_worksheet(client, trainer, worksheet):
    client.force_login(trainer)
    client.post(
        reverse("workshops:session_create"),
        form_data(
            worksheet,
            material=f"worksheet:{worksheet.pk}",
            place="",
            meeting_url="meet.example.org/abc",
        ),
    )

    session = WorkshopSession.objects.get()
    assert session.worksheet_id == worksheet.pk and session.module is None
    assert session.meeting_url == "https://meet.example.org/abc"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2030-03-12T08:00"}, "ends_at", "Sluttiden måste ligga efter starttiden."),
        ({"place": "", "meeting_url": ""}, "place", "Ange en plats eller en länk till mötet."),
        ({"capacity": "0"}, "capacity", "Minst en plats."),
        ({"capacity": "500"}, "capacity", "Högst 100 platser."),
        ({"title": ""}, "title", "Skriv en rubrik."),
        ({"material": "module:999999"}, "material", "Välj en publicerad modul"),
        ({"starts_at": "i morgon"}, "starts_at", "Skriv datum och tid som"),
    ],
)
def test_errors_are_shown_next_to_their_field(
    client, trainer, workshop_module, changes, field, message
):
    client.force_login(trainer)

    response = client.post(
        reverse("workshops:session_create"), form_data(workshop_module, **changes)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    error_block = html.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert message in error_block
    assert not WorkshopSession.objects.exists()


def test_form_has_swedish_labels_and_help_texts(client, trainer):
    client.force_login(trainer)
    html = client.get(reverse("workshops:session_create")).content.decode()

    for label in ("Rubrik", "Innehåll", "Börjar", "Slutar", "Plats", "Antal platser"):
        assert f">{label}" in html
    assert 'aria-describedby="id_capacity_helptext"' in html
    assert "<legend>" in html


def test_editing_raises_the_revision_and_keeps_the_code(client, trainer, session):
    client.force_login(trainer)
    code = session.join_code

    client.post(
        reverse("workshops:session_edit", args=[session.pk]),
        form_data(session.module, title="Nytt namn", capacity="3"),
    )

    session.refresh_from_db()
    assert session.title == "Nytt namn" and session.join_code == code and session.revision == 1


def test_capacity_cannot_go_below_those_who_joined(client, trainer, session, participant):
    SessionParticipant.objects.create(session=session, user=factories.UserFactory())
    client.force_login(trainer)

    response = client.post(
        reverse("workshops:session_edit", args=[session.pk]),
        form_data(session.module, capacity="1"),
    )

    assert response.status_code == 400
    assert "2 deltagare har redan gått med" in response.content.decode()


def test_trainer_lists_only_their_own_sessions_and_a_superuser_all(
    client, trainer, other_trainer, superuser, workshop_module
):
    mine = make_session(trainer, module=workshop_module, title="Min workshop")
    theirs = make_session(other_trainer, module=workshop_module, title="Någon annans workshop")

    client.force_login(trainer)
    html = client.get(reverse("workshops:session_list")).content.decode()
    assert mine.title in html and theirs.title not in html
    client.force_login(superuser)
    html = client.get(reverse("workshops:session_list")).content.decode()
    assert mine.title in html and theirs.title in html


def test_cancelling_mails_every_participant_once(
    client, trainer, session, participant, other_learner, mailoutbox, run_on_commit
):
    SessionParticipant.objects.create(session=session, user=other_learner)
    client.force_login(trainer)

    with run_on_commit():
        response = client.post(reverse("workshops:session_cancel", args=[session.pk]))
    with run_on_commit():
        client.post(reverse("workshops:session_cancel", args=[session.pk]))
    send_workshop_cancellation(session.pk)  # a late redelivery of the task

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == WorkshopSession.Status.CANCELLED and session.cancelled_at
    assert sorted(m.to[0] for m in mailoutbox) == ["amina@example.org", "bo@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["amina@example.org"])
    assert mail.subject == f"Inställd: {session.title}"
    assert "är inställd" in mail.body and "Hej Amina Exempelsson" in mail.body
    assert not session.participants.filter(cancellation_sent_at__isnull=True).exists()
    detail = client.get(reverse("workshops:session_detail", args=[session.pk])).content.decode()
    assert "2 av 2 deltagare har fått besked" in detail
    # A cancelled session cannot be edited, and its code no longer joins anyone.
    assert client.get(reverse("workshops:session_edit", args=[session.pk])).status_code == 302


def test_calendar_file_describes_the_session(client, session, participant):
    client.force_login(participant.user)

    response = client.get(reverse("workshops:session_calendar", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == session.title
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    assert "Stadshuset, rum 3" in str(event["LOCATION"])
    assert "Ta med penna." in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).startswith(f"workshop-{session.pk}@")


def test_calendar_file_of_a_cancelled_session_cancels_the_event(client, session, participant):
    session.status = WorkshopSession.Status.CANCELLED
    session.revision = 2
    session.save()
    client.force_login(participant.user)

    event = Calendar.from_ical(
        client.get(reverse("workshops:session_calendar", args=[session.pk])).content
    ).walk("VEVENT")[0]

    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2


def test_mina_sidor_shows_my_workshops_with_time_place_calendar_and_choice(
    client, session, participant, workshop_module, trainer
):
    past = make_session(
        trainer,
        module=workshop_module,
        title="Förra gången",
        starts_at=timezone.now() - timedelta(days=30),
    )
    SessionParticipant.objects.create(session=past, user=participant.user, attended=True)
    client.force_login(participant.user)

    html = client.get(reverse("learning:dashboard")).content.decode()

    assert "Mina workshoppar" in html
    assert session.title in html and "Stadshuset, rum 3" in html
    assert reverse("workshops:session_calendar", args=[session.pk]) in html
    assert reverse("workshops:share_answers", args=[session.pk]) in html
    assert "Förra gången" in html
    assert "Gå med i en workshop" in html
    # The dashboard's own sections are still there.
    assert "Pågående moduler" in html and "Genomförda moduler och intyg" in html
    assert "Workshoppar du leder" not in html


def test_mina_sidor_links_trainers_to_their_sessions(client, trainer, session):
    client.force_login(trainer)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert reverse("workshops:session_list") in html


def test_the_sweep_sends_cancellation_mails_the_broker_never_carried(
    session, participant, mailoutbox
):
    from kompetensverkstad.jobs.tasks import sweep_pending_work
    from lessons.workshops.cancelling import cancel_session

    # Outside run_on_commit the enqueue never happens: as if the broker was away.
    cancel_session(session)
    assert mailoutbox == []

    result = sweep_pending_work(min_age_seconds=0)

    assert result["cancellations"] == 1
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]
    assert sweep_pending_work(min_age_seconds=0)["cancellations"] == 0
