"""Lecture watching: played ranges are merged and clipped; 90 % of the film completes the step."""

import json
import math

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.learning.models import LearningEvent, StepProgress, StepState
from lessons.learning.recording import merge_ranges, record_lecture_watched
from tests.factories import steps_of

DURATION = 60  # the factories' video lasts 60 s


@pytest.fixture
def lecture_step(module):
    return steps_of(module)[0]


def post_played(client, step, payload, **extra):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(
        reverse("learning:lecture_progress", args=[step.pk]),
        body,
        content_type="application/json",
        **extra,
    )


# --- merge_ranges ----------------------------------------------------------------------------


def test_overlapping_and_touching_ranges_are_merged():
    assert merge_ranges([[10, 20], [0, 5], [15, 30], [30.2, 40]], 100) == [[0, 5], [10, 40]]


def test_ranges_beyond_the_duration_are_clipped():
    assert merge_ranges([[-5, 10], [50, 500]], 60) == [[0, 10], [50, 60]]


@pytest.mark.parametrize(
    "bad",
    [
        ["a", "b"],
        [1],
        [1, 2, 3],
        None,
        7,
        [None, 5],
        [20, 10],
        [float("nan"), float("nan")],
        [0, float("nan")],
        [0, 10**400],
    ],
)
def test_bad_pairs_are_dropped(bad):
    assert merge_ranges([[1, 2], bad], 60) == [[1, 2]]


@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=True, allow_infinity=True),
            st.floats(allow_nan=True, allow_infinity=True),
        ),
        max_size=20,
    ),
    st.floats(min_value=1, max_value=10_000),
)
def test_merged_ranges_are_sorted_disjoint_and_within_the_duration(ranges, limit):
    merged = merge_ranges(ranges, limit)
    total = sum(end - start for start, end in merged)
    assert all(0 <= start <= end <= round(limit, 1) for start, end in merged)
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:], strict=False))
    assert math.isfinite(total) and total <= limit + 0.1


# --- record_lecture_watched ----------------------------------------------------------------


def test_watching_ninety_percent_completes_the_lecture(lecture_step, learner):
    progress = record_lecture_watched(learner, lecture_step, [[0, 30]], DURATION)
    assert progress.state == StepState.STARTED
    assert progress.watched_seconds == 30

    progress = record_lecture_watched(learner, lecture_step, [[25, 54]], DURATION)

    assert progress.watched_ranges == [[0, 54]]
    assert progress.watched_seconds == 54
    assert progress.state == StepState.COMPLETED
    event = LearningEvent.objects.get(object_type="step", object_id=lecture_step.pk)
    assert event.verb == LearningEvent.Verb.WATCHED
    assert event.result == {"watched_seconds": 54, "duration": DURATION}


def test_watching_less_than_ninety_percent_does_not_complete(lecture_step, learner):
    progress = record_lecture_watched(learner, lecture_step, [[0, 20], [30, 53]], DURATION)

    assert progress.watched_seconds == 43
    assert progress.state == StepState.STARTED


def test_ranges_beyond_the_end_of_the_film_count_only_up_to_its_end(lecture_step, learner):
    progress = record_lecture_watched(learner, lecture_step, [[50, 5000]], DURATION)

    assert progress.watched_ranges == [[50, 60]]
    assert progress.watched_seconds == 10
    assert progress.state == StepState.STARTED


def test_seeking_to_the_end_does_not_complete(lecture_step, learner):
    progress = record_lecture_watched(learner, lecture_step, [[0, 2], [59.5, 60]], DURATION)

    assert progress.watched_seconds < 3
    assert progress.state == StepState.STARTED
    assert not LearningEvent.objects.exists()


def test_reporting_the_same_ranges_again_changes_nothing(lecture_step, learner):
    record_lecture_watched(learner, lecture_step, [[0, 58]], DURATION)
    progress = record_lecture_watched(learner, lecture_step, [[0, 58]], DURATION)

    assert progress.watched_seconds == 58
    assert StepProgress.objects.filter(user=learner).count() == 1
    assert LearningEvent.objects.count() == 1


# --- the JSON endpoint ---------------------------------------------------------------------


def test_player_report_is_recorded_and_answered_with_the_state(learner_client, lecture_step):
    response = post_played(learner_client, lecture_step, {"played": [[0, 55]]})

    assert response.status_code == 200
    assert response.json() == {"state": "completed", "watched_seconds": 55, "duration": DURATION}


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        b"\xff\xfe",
        "[]",
        '"played"',
        {},
        {"played": "0-60"},
        {"played": {"0": 60}},
        {"played": [[0, 1]] * 501},
        '{"played": [[NaN, NaN]]}',
        '{"played": [[0, Infinity]]}',
    ],
)
def test_bad_player_reports_are_refused_with_400(learner_client, lecture_step, payload):
    response = post_played(learner_client, lecture_step, payload)

    assert response.status_code == 400
    assert not StepProgress.objects.exists()


@pytest.mark.parametrize(
    "played",
    [[["a", "b"]], [[0, 10**400]], [[None, 60]], [[60, 0]], [[0, 1, 60]], [7]],
)
def test_unreadable_ranges_in_a_report_count_for_nothing(learner_client, lecture_step, played):
    response = post_played(learner_client, lecture_step, {"played": played})

    assert response.status_code == 200
    assert response.json()["watched_seconds"] == 0
    assert response.json()["state"] == "started"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=json_values | st.fixed_dictionaries({"played": json_values}))
def test_any_json_from_the_player_gets_a_clear_answer(learner_client, lecture_step, payload):
    response = post_played(learner_client, lecture_step, json.dumps(payload))

    assert response.status_code in {200, 400}


def test_player_report_for_another_kind_of_step_is_404(learner_client, module):
    article = steps_of(module)[1]

    assert post_played(learner_client, article, {"played": [[0, 5]]}).status_code == 404


def test_player_report_needs_sign_in(client, lecture_step):
    response = post_played(client, lecture_step, {"played": [[0, 55]]})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not StepProgress.objects.exists()


def test_player_report_refuses_get(learner_client, lecture_step):
    response = learner_client.get(reverse("learning:lecture_progress", args=[lecture_step.pk]))

    assert response.status_code == 405
