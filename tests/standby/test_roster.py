"""The roster: generation, rotation edits, overrides, swaps (also racing), gaps."""

from __future__ import annotations

import datetime as dt
import itertools
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings

from courtexec.models import Notification
from courtexec.roles import Role
from standby import selectors, services
from standby.models import GapWarning, Shift, ShiftSwap
from tests.factories import UserFactory
from tests.standby.roster_fixtures import EIGHT, FIRST_DAY, local

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def roster(court):
    return list(Shift.objects.filter(court=court).order_by("starts_at"))


# Generation -------------------------------------------------------------------------------------


def test_generation_covers_eight_weeks_in_rotation_order_with_one_plus_one_plus_one(
    court_a, teams, rotation
):
    shifts = roster(court_a)
    # From 1 December 08:00 up to 8 weeks after the 30 November noon when it was set.
    assert shifts[0].starts_at == local(2026, 12, 1, 8, 0)
    assert shifts[-1].starts_at < local(2026, 11, 30, 12, 0) + dt.timedelta(weeks=8)
    assert len(shifts) == 56
    assert shifts[-1].starts_at == local(2027, 1, 25, 8, 0)
    for n, shift in enumerate(shifts):
        assert shift.team == teams[n % 6]
        assert shift.ends_at - shift.starts_at == dt.timedelta(hours=24)
        assert shift.leader.has_role(Role.BUREAU_CHIEF)
        assert shift.judge.has_role(Role.JUDGE)
        assert shift.police.has_role(Role.JUDICIAL_POLICE)
        assert len({shift.leader_id, shift.judge_id, shift.police_id}) == 3
    for before, after in itertools.pairwise(shifts):
        assert before.ends_at == after.starts_at  # no overlap, no gap


def test_generation_is_idempotent_and_the_daily_job_extends(court_a, rotation, time_machine):
    count = len(roster(court_a))
    assert services.extend_roster() == 0
    assert len(roster(court_a)) == count
    time_machine.move_to(local(2026, 12, 3, 1, 10), tick=False)
    assert services.extend_roster() == 2  # 26 and 27 January
    assert services.extend_roster() == 0
    shifts = roster(court_a)
    assert all(a.ends_at == b.starts_at for a, b in itertools.pairwise(shifts))


@override_settings(STANDBY_ROSTER_WEEKS=1)
def test_day_and_night_shifts_of_twelve_hours(court_a, chief, teams, time_machine):
    time_machine.move_to(local(2026, 11, 30, 12, 0), tick=False)
    services.set_rotation(
        user=chief,
        court=court_a,
        teams=teams[:2],
        shift_hours=12,
        starts_on=FIRST_DAY,
        start_time=EIGHT,
    )
    shifts = roster(court_a)
    assert [s.starts_at.astimezone(local(2026, 1, 1).tzinfo).hour for s in shifts[:3]] == [8, 20, 8]
    assert [s.team for s in shifts[:3]] == [teams[0], teams[1], teams[0]]


def test_editing_the_rotation_changes_only_shifts_not_started(
    court_a, chief, teams, rotation, time_machine
):
    time_machine.move_to(local(2026, 12, 5, 14, 0), tick=False)  # during the 5th shift
    past = [(s.pk, s.team_id, s.starts_at, s.ends_at) for s in roster(court_a)[:5]]
    services.set_rotation(
        user=chief,
        court=court_a,
        teams=list(reversed(teams)),
        shift_hours=12,
        starts_on=dt.date(2026, 12, 6),
        start_time=dt.time(8, 0),
    )
    shifts = roster(court_a)
    assert [(s.pk, s.team_id, s.starts_at, s.ends_at) for s in shifts[:5]] == past
    assert shifts[5].starts_at == local(2026, 12, 6, 8, 0)
    assert shifts[5].team == teams[5] and shifts[6].team == teams[4]
    assert shifts[5].ends_at - shifts[5].starts_at == dt.timedelta(hours=12)


def test_a_new_rotation_starting_mid_shift_begins_when_the_running_shift_ends(
    court_a, chief, teams, rotation, time_machine
):
    time_machine.move_to(local(2026, 12, 5, 14, 0), tick=False)
    services.set_rotation(
        user=chief, court=court_a, teams=teams, shift_hours=24, starts_on=FIRST_DAY,
        start_time=dt.time(20, 0),
    )  # fmt: skip
    shifts = roster(court_a)
    assert shifts[4].ends_at == local(2026, 12, 6, 8, 0)
    assert shifts[5].starts_at == local(2026, 12, 6, 8, 0)  # trimmed: no gap, no overlap
    assert shifts[5].ends_at == local(2026, 12, 6, 20, 0)
    assert selectors.gaps(court_a, local(2026, 12, 5, 14, 0), local(2026, 12, 20)) == []


def test_teams_need_the_right_roles_and_three_people(court_a, staff, chief):
    with pytest.raises(ValidationError) as error:
        services.save_team(
            user=chief, court=court_a, name="错组",
            leader=staff[Role.JUDGE], judge=staff[Role.JUDGE], police=staff[Role.JUDICIAL_POLICE],
        )  # fmt: skip
    assert error.value.message_dict.keys() == {"leader"}
    assert error.value.error_dict["leader"][0].code == "wrong_role"
    with pytest.raises(PermissionDenied):
        services.save_team(
            user=staff[Role.JUDGE], court=court_a, name="组",
            leader=chief, judge=staff[Role.JUDGE], police=staff[Role.JUDICIAL_POLICE],
        )  # fmt: skip


def test_a_team_member_must_be_of_the_court(court_a, court_b, staff, chief):
    outsider = UserFactory(court=court_b, roles=[Role.JUDGE])
    with pytest.raises(ValidationError) as error:
        services.save_team(
            user=chief, court=court_a, name="组",
            leader=chief, judge=outsider, police=staff[Role.JUDICIAL_POLICE],
        )  # fmt: skip
    assert error.value.error_dict["judge"][0].code == "other_court"


# Overrides --------------------------------------------------------------------------------------


def spring_festival_people(court):
    return {
        place: UserFactory(username=f"sf_{place}", court=court, roles=[role])
        for place, role in services.PLACES.items()
    }


def test_override_replaces_the_people_of_future_shifts_in_the_period(court_a, chief, rotation):
    people = spring_festival_people(court_a)
    override = services.add_override(
        user=chief, court=court_a, starts_at=local(2026, 12, 10, 8), ends_at=local(2026, 12, 13, 8),
        reason="春节", **people,
    )  # fmt: skip
    changed = Shift.objects.filter(origin=Shift.Origin.OVERRIDE).order_by("starts_at")
    assert [s.starts_at for s in changed] == [local(2026, 12, d, 8) for d in (10, 11, 12)]
    assert all(s.leader == people["leader"] and s.team is None for s in changed)
    assert Shift.objects.filter(starts_at=local(2026, 12, 13, 8), origin="rotation").exists()
    assert Notification.objects.filter(recipient=people["judge"], kind="standby.override").exists()
    # A rotation edit regenerates the future and applies the override again.
    teams = [slot.team for slot in rotation.slots.order_by("-position")]
    services.set_rotation(
        user=chief, court=court_a, teams=teams, shift_hours=24, starts_on=FIRST_DAY,
        start_time=EIGHT,
    )  # fmt: skip
    assert Shift.objects.filter(origin=Shift.Origin.OVERRIDE).count() == 3
    assert override.pk


def test_override_refuses_wrong_roles_the_past_and_empty_periods(court_a, staff, chief, rotation):
    people = spring_festival_people(court_a)
    with pytest.raises(ValidationError) as error:
        services.add_override(
            user=chief, court=court_a, starts_at=local(2026, 12, 10, 8),
            ends_at=local(2026, 12, 11, 8), reason="x",
            leader=people["judge"], judge=people["leader"], police=people["police"],
        )  # fmt: skip
    assert set(error.value.message_dict) == {"leader", "judge"}
    with pytest.raises(ValidationError) as error:
        services.add_override(
            user=chief, court=court_a, starts_at=local(2026, 11, 1, 8),
            ends_at=local(2026, 12, 11, 8), reason="x", **people,
        )  # fmt: skip
    assert error.value.error_dict["starts_at"][0].code == "past"
    with pytest.raises(ValidationError) as error:
        services.add_override(
            user=chief, court=court_a, starts_at=local(2026, 12, 10, 9),
            ends_at=local(2026, 12, 10, 10), reason="x", **people,
        )  # fmt: skip
    assert error.value.error_dict["starts_at"][0].code == "no_shifts"
    with pytest.raises(PermissionDenied):
        services.add_override(
            user=staff[Role.JUDGE], court=court_a, starts_at=local(2026, 12, 10, 8),
            ends_at=local(2026, 12, 11, 8), reason="x", **people,
        )  # fmt: skip


# Swaps ------------------------------------------------------------------------------------------


def shift_on(day: int) -> Shift:
    return Shift.objects.get(starts_at=local(2026, 12, day, 8))


def test_swap_requested_accepted_approved_exchanges_the_judges(court_a, chief, rotation):
    mine, theirs = shift_on(3), shift_on(5)
    me, other = mine.judge, theirs.judge
    swap = services.request_swap(user=me, shift=mine, counterpart=other, counterpart_shift=theirs)
    assert swap.role == "judge" and swap.status == "requested"
    with pytest.raises(PermissionDenied):
        services.accept_swap(user=me, swap=swap)
    services.accept_swap(user=other, swap=swap)
    with pytest.raises(PermissionDenied):
        services.approve_swap(user=other, swap=swap)
    swap = services.approve_swap(user=chief, swap=swap)
    assert swap.status == ShiftSwap.Status.APPROVED and swap.decided_by == chief
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.judge, theirs.judge) == (other, me)
    assert mine.origin == theirs.origin == Shift.Origin.SWAP
    assert mine.leader == mine.team.leader  # the other places are untouched


def test_a_one_way_cover(court_a, chief, rotation):
    mine = shift_on(3)
    spare = UserFactory(court=court_a, roles=[Role.JUDICIAL_POLICE])
    swap = services.request_swap(user=mine.police, shift=mine, counterpart=spare)
    services.accept_swap(user=spare, swap=swap)
    services.approve_swap(user=chief, swap=swap)
    mine.refresh_from_db()
    assert mine.police == spare


def test_swap_rules(court_a, chief, staff, rotation, time_machine):
    mine, theirs = shift_on(3), shift_on(5)
    with pytest.raises(ValidationError) as error:  # not the same role
        services.request_swap(user=mine.judge, shift=mine, counterpart=theirs.police)
    assert error.value.error_dict["counterpart"][0].code == "wrong_role"
    with pytest.raises(ValidationError) as error:  # not on that shift in that place
        services.request_swap(
            user=mine.judge, shift=mine, counterpart=theirs.judge, counterpart_shift=shift_on(6)
        )
    assert error.value.error_dict["counterpart_shift"][0].code == "not_on_shift"
    with pytest.raises(ValidationError):  # not on the shift
        services.request_swap(user=theirs.judge, shift=mine, counterpart=mine.judge)
    swap = services.request_swap(
        user=mine.judge, shift=mine, counterpart=theirs.judge, counterpart_shift=theirs
    )
    services.accept_swap(user=theirs.judge, swap=swap)
    time_machine.move_to(local(2026, 12, 3, 9), tick=False)  # the shift started meanwhile
    with pytest.raises(services.Conflict) as conflict:
        services.approve_swap(user=chief, swap=swap)
    assert conflict.value.code == "shift_started"
    mine.refresh_from_db()
    assert mine.judge == swap.requester


def test_refuse_and_withdraw(court_a, chief, rotation):
    mine, theirs = shift_on(3), shift_on(5)
    one = services.request_swap(user=mine.judge, shift=mine, counterpart=theirs.judge)
    services.refuse_swap(user=theirs.judge, swap=one)
    with pytest.raises(services.Conflict):
        services.accept_swap(user=theirs.judge, swap=one)
    two = services.request_swap(user=mine.judge, shift=mine, counterpart=theirs.judge)
    services.withdraw_swap(user=mine.judge, swap=two)
    assert ShiftSwap.objects.get(pk=two.pk).status == "withdrawn"


def test_editing_the_rotation_cancels_open_swaps_of_removed_shifts(court_a, chief, teams, rotation):
    mine, theirs = shift_on(3), shift_on(5)
    swap = services.request_swap(user=mine.judge, shift=mine, counterpart=theirs.judge)
    services.set_rotation(
        user=chief, court=court_a, teams=teams[:3], shift_hours=24, starts_on=FIRST_DAY,
        start_time=EIGHT,
    )  # fmt: skip
    swap.refresh_from_db()
    assert swap.status == ShiftSwap.Status.CANCELLED and swap.shift is None


@pytest.mark.django_db(transaction=True)
def test_two_swaps_racing_for_the_same_shift_exactly_one_wins(court_a, chief, rotation):
    mine = shift_on(3)
    swaps = []
    for day in (5, 6):
        other = shift_on(day)
        swap = services.request_swap(
            user=mine.judge, shift=mine, counterpart=other.judge, counterpart_shift=other
        )
        swaps.append(services.accept_swap(user=other.judge, swap=swap))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(swap):
        try:
            barrier.wait()
            services.approve_swap(user=chief, swap=swap)
            results.append("approved")
        except services.Conflict as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(swap,)) for swap in swaps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["approved", "roster_changed"]
    mine.refresh_from_db()
    statuses = dict(ShiftSwap.objects.values_list("pk", "status"))
    winner = next(s for s in swaps if statuses[s.pk] == "approved")
    assert mine.judge == winner.counterpart
    assert list(statuses.values()).count("approved") == 1


# Gaps -------------------------------------------------------------------------------------------


def test_gap_warnings_once_per_gap_with_time_travel(court_a, chief, teams, time_machine):
    time_machine.move_to(local(2026, 11, 30, 12, 0), tick=False)
    with override_settings(STANDBY_ROSTER_WEEKS=1):
        services.set_rotation(
            user=chief, court=court_a, teams=teams, shift_hours=24, starts_on=FIRST_DAY,
            start_time=EIGHT,
        )  # fmt: skip
    Shift.objects.get(starts_at=local(2026, 12, 4, 8)).delete()
    assert services.warn_of_gaps() == 3  # until 1 Dec 08:00, 4–5 Dec, after the last shift
    assert services.warn_of_gaps() == 0
    starts = list(GapWarning.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts[:2] == [local(2026, 11, 30, 12, 0), local(2026, 12, 4, 8)]
    assert Notification.objects.filter(recipient=chief, kind="standby.gap").count() == 3
    time_machine.move_to(local(2026, 11, 30, 18, 0), tick=False)  # the first gap is under way
    assert services.warn_of_gaps() == 0
    time_machine.move_to(local(2026, 12, 1, 8, 30), tick=False)  # a day later: nothing new
    assert services.warn_of_gaps() == 0


def test_the_daily_jobs_are_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    jobs = dict(PeriodicTask.objects.values_list("task", "crontab__hour"))
    assert jobs["standby.extend_roster"] == "1"
    assert jobs["standby.warn_of_gaps"] == "8"
