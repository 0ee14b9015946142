"""24小时备勤: the "1+1+1" standby teams, their rotation into shifts, and police callouts.

A shift names its three people directly (a bureau leader, an enforcement judge, a judicial police
officer), so a swap or an override changes who is on duty without touching the team, and a past
shift stays a record of who actually was. PostgreSQL refuses two overlapping shifts of one court
(an exclusion constraint over ``int8range(court) && tstzrange(start, end)``, core GiST range
operators only) and the same person twice in one shift; together these keep anyone from being on
two overlapping shifts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.history import tracked_history
from courtexec.models import Court
from enforcement.models import EnforcementCase, Party

User = settings.AUTH_USER_MODEL


class StandbyTeam(models.Model):
    """A "1+1+1" team: exactly one bureau leader, one enforcement judge, one judicial police."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=60)
    leader = models.ForeignKey(
        User, verbose_name=_("bureau leader"), on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        User, verbose_name=_("enforcement judge"), on_delete=models.PROTECT, related_name="+"
    )
    police = models.ForeignKey(
        User, verbose_name=_("judicial police"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("standby team")
        verbose_name_plural = _("standby teams")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="standby_team_name_unique"),
            models.CheckConstraint(
                condition=~models.Q(leader=models.F("judge"))
                & ~models.Q(leader=models.F("police"))
                & ~models.Q(judge=models.F("police")),
                name="standby_team_three_people",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def members(self) -> tuple:
        return (self.leader, self.judge, self.police)


class Rotation(models.Model):
    """How a court's teams take turns: the ordered teams, the shift length and where it starts.

    Shifts are generated ahead from it (``STANDBY_ROSTER_WEEKS``); editing it regenerates only
    shifts that have not started.
    """

    court = models.OneToOneField(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="standby_rotation"
    )
    shift_hours = models.PositiveSmallIntegerField(
        _("shift length (hours)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("24 for a day-and-night shift from the start time; 12 for day and night."),
    )
    starts_on = models.DateField(_("first shift on"))
    start_time = models.TimeField(_("shift start time"), default="08:00")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("standby rotation")
        verbose_name_plural = _("standby rotations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shift_hours__gte=1) & models.Q(shift_hours__lte=168),
                name="standby_rotation_shift_hours",
            )
        ]

    def __str__(self) -> str:
        return str(self.court)


class RotationTeam(models.Model):
    """A team's place in the rotation order."""

    court_lookup = "rotation__court"

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("rotation"), on_delete=models.CASCADE, related_name="slots"
    )
    team = models.ForeignKey(StandbyTeam, verbose_name=_("team"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("team in the rotation")
        verbose_name_plural = _("teams in the rotation")
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "position"], name="standby_rotation_position_unique"
            ),
            models.UniqueConstraint(fields=["rotation", "team"], name="standby_rotation_team_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.team}"


class Shift(models.Model):
    """Who is on duty from ``starts_at`` to ``ends_at`` (half-open). Past shifts are records."""

    class Origin(models.TextChoices):
        ROTATION = "rotation", _("Rotation")
        OVERRIDE = "override", _("Override")  # e.g. Spring Festival
        SWAP = "swap", _("Swap")

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    team = models.ForeignKey(
        StandbyTeam,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The rotation's team; empty for a team put together by an override."),
    )
    leader = models.ForeignKey(
        User, verbose_name=_("bureau leader"), on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        User, verbose_name=_("enforcement judge"), on_delete=models.PROTECT, related_name="+"
    )
    police = models.ForeignKey(
        User, verbose_name=_("judicial police"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ROTATION
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["court", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="standby_shift_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(leader=models.F("judge"))
                & ~models.Q(leader=models.F("police"))
                & ~models.Q(judge=models.F("police")),
                name="standby_shift_three_people",
            ),
            # standby_shifts_do_not_overlap (migration 0001, RunSQL): EXCLUDE USING gist
            # (int8range(court_id, court_id, '[]') WITH &&, tstzrange(starts_at, ends_at) WITH &&)
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.court} {start:%Y-%m-%d %H:%M}"

    @property
    def members(self) -> tuple:
        return (self.leader, self.judge, self.police)


class Callout(models.Model):
    """The police caught a wanted debtor (网上布控): the court must respond and take over.

    ``handover_deadline`` follows the custody agreement (BRIEF §4): a catch from 20:00 to 08:00 is
    held by the police until the court takes over before the next 08:00; a daytime catch is
    handled at once (``STANDBY_DAY_RESPONSE_HOURS``).
    """

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DISPATCHED = "dispatched", _("Team dispatched")
        HANDED_OVER = "handed_over", _("Handed over")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        PAID_IN_FULL = "paid_in_full", _("Paid in full")
        PAID_IN_PART = "paid_in_part", _("Paid in part")
        PROMISE = "promise", _("Promise to pay")
        DETENTION = "detention", _("Detention decided")
        TRANSFERRED = "transferred", _("Transferred to the requesting court")
        RELEASED = "released", _("Released")

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    reported_by = models.ForeignKey(
        User, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    police_station = models.CharField(_("police station"), max_length=100)
    police_officer = models.CharField(_("police officer"), max_length=50)
    police_phone = models.CharField(_("police phone"), max_length=30)
    caught_at = models.DateTimeField(_("caught at"))
    person_name = models.CharField(_("person's name"), max_length=100)
    person_id_number = models.CharField(_("person's ID number"), max_length=18, blank=True)
    wanted_reference = models.CharField(
        _("wanted notice or case number"), max_length=100, blank=True
    )
    requesting_court_name = models.CharField(
        _("requesting court"),
        max_length=100,
        blank=True,
        help_text=_("Empty when the case is this court's own; otherwise an assist (异地协助)."),
    )
    requesting_court_code = models.CharField(_("requesting court code"), max_length=20, blank=True)
    matched_case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("matched case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callouts",
    )
    matched_party = models.ForeignKey(
        Party, verbose_name=_("matched party"), on_delete=models.PROTECT, null=True, blank=True
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift on duty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callouts",
    )
    handover_deadline = models.DateTimeField(_("handover deadline"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.REPORTED
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    deadline_warned_at = models.DateTimeField(_("deadline warning sent at"), null=True, blank=True)
    deadline_missed_at = models.DateTimeField(_("deadline missed alert at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    amount_paid = models.BigIntegerField(_("amount paid (fen)"), default=0)
    deposit = models.ForeignKey(
        "casefunds.Deposit",
        verbose_name=_("receipt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    promise_due_on = models.DateField(_("promised payment date"), null=True, blank=True)
    measure = models.ForeignKey(
        "enforcement.CoerciveMeasure",
        verbose_name=_("detention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    # --- callouts (0003): who took each step, and the handover record ---
    dispatched_by = models.ForeignKey(
        User,
        verbose_name=_("dispatched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_to = models.ForeignKey(
        User,
        verbose_name=_("taken over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The court officer who took the person over from the police."),
    )
    handover_place = models.CharField(_("handover place"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    transfer_recipient = models.CharField(
        _("received at the requesting court by"),
        max_length=100,
        blank=True,
        help_text=_("For an assist: the officer of the requesting court who took the person."),
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("callout")
        verbose_name_plural = _("callouts")
        ordering = ["-caught_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_paid__gte=0), name="standby_callout_amount_paid"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_assist(self) -> bool:
        return bool(self.requesting_court_name)


class CalloutEvent(models.Model):
    """One timed step of a callout (reported, notified, escalated, acknowledged, dispatched,
    handed over, outcome …): the callout's timeline, append-only."""

    court_lookup = "callout__court"

    callout = models.ForeignKey(
        Callout, verbose_name=_("callout"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("callout event")
        verbose_name_plural = _("callout events")
        ordering = ["callout", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.callout} {self.kind}"


# --- roster -----------------------------------------------------------------------------------


class Override(models.Model):
    """People put on duty for a period instead of the rotation's team (e.g. Spring Festival).

    Kept as a record so that regenerating the roster after a rotation edit applies it again.
    """

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    leader = models.ForeignKey(
        User, verbose_name=_("bureau leader"), on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        User, verbose_name=_("enforcement judge"), on_delete=models.PROTECT, related_name="+"
    )
    police = models.ForeignKey(
        User, verbose_name=_("judicial police"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = tracked_history()

    class Meta:
        verbose_name = _("roster override")
        verbose_name_plural = _("roster overrides")
        ordering = ["court", "-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="standby_override_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(leader=models.F("judge"))
                & ~models.Q(leader=models.F("police"))
                & ~models.Q(judge=models.F("police")),
                name="standby_override_three_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {timezone.localtime(self.starts_at):%Y-%m-%d} {self.reason}"


class ShiftSwap(models.Model):
    """One person asks another of the same role to take their shift, in exchange for the
    other's shift or as a one-way cover; the counterpart accepts, a bureau leader approves."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled (roster regenerated)")

    OPEN = (Status.REQUESTED, Status.ACCEPTED)

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    requester = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("requester's shift"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    counterpart = models.ForeignKey(
        User, verbose_name=_("counterpart"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_shift = models.ForeignKey(
        Shift,
        verbose_name=_("counterpart's shift"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a one-way cover."),
    )
    role = models.CharField(_("place"), max_length=10)  # leader / judge / police
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = tracked_history()

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("counterpart")),
                name="standby_swap_two_people",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["leader", "judge", "police"]),
                name="standby_swap_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.counterpart}"

    @property
    def is_cover(self) -> bool:
        return self.counterpart_shift_id is None


class CalendarFeed(models.Model):
    """A secret per-user address of one's own shifts as iCalendar; revocable."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    court_lookup = "user__court"

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="standby_one_live_feed_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class GapWarning(models.Model):
    """A gap in the roster that the bureau chief was warned of (once per gap)."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("gap from"))
    ends_at = models.DateTimeField(_("gap until"))
    warned_at = models.DateTimeField(_("warned at"), default=timezone.now)

    class Meta:
        verbose_name = _("roster gap warning")
        verbose_name_plural = _("roster gap warnings")
        ordering = ["court", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["court", "starts_at"], name="standby_gap_once")
        ]

    def __str__(self) -> str:
        return f"{self.court} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
