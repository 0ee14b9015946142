"""The command centre's vehicles tiles (扣押车辆): vehicles in custody, the custody fees they
run up, and seizures, read through ``vehicles.selectors`` and its fee arithmetic."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtexec.command.tiles import Column, Group, Scope, Tile, Unit, local_day, register
from vehicles import selectors
from vehicles.models import Impound

VIEW_IMPOUNDS = "vehicles.view_impound"  # the impound's page and its fee statement


def vehicle_link(impound: Impound) -> str:
    return reverse("vehicles:vehicle", args=[impound.vehicle_id])


IMPOUND_COLUMNS = (
    Column(_("Vehicle"), lambda impound: str(impound.vehicle), link=vehicle_link),
    Column(_("Case number"), lambda impound: impound.case.number),
    Column(_("Court"), lambda impound: impound.case.court.name),
    Column(_("Seized on"), lambda impound: local_day(impound.seized_at)),
    Column(_("State"), lambda impound: impound.get_state_display()),
    Column(_("Custodian"), lambda impound: impound.custodian.name if impound.custodian else ""),
    Column(_("Taken into custody on"), lambda impound: local_day(impound.intake_at)),
    Column(_("Left custody on"), lambda impound: local_day(impound.ended_at)),
)


def impounds(scope: Scope) -> QuerySet[Impound]:
    return scope.restrict(Impound.objects.select_related("vehicle", "case__court", "custodian"))


def in_custody(scope: Scope) -> QuerySet[Impound]:
    return impounds(scope).filter(state=Impound.State.IN_CUSTODY).order_by("intake_at", "pk")


def impounded(scope: Scope) -> QuerySet[Impound]:
    return scope.in_period(impounds(scope), "seized_at").order_by("seized_at", "pk")


# --- Custody fees (保管费) ---------------------------------------------------------------------

FEE_COLUMNS = (
    *IMPOUND_COLUMNS,
    Column(_("Days in the period"), lambda impound: selectors.period_statement(impound).days),
    Column(
        _("Fees in the period"),
        lambda impound: selectors.period_statement(impound).total,
        unit=Unit.MONEY,
    ),
)


def charged(scope: Scope) -> QuerySet[Impound]:
    """Impounds with custody days in the period, up to today (no fee for days to come)."""
    last = min(scope.end, scope.today)
    if last < scope.start:
        return Impound.objects.none()
    return selectors.charged_between(impounds(scope), scope.start, last).order_by("intake_at", "pk")


def custody_fees(scope: Scope) -> int:
    """The sum of the list's "Fees in the period" column."""
    return sum(selectors.period_statement(impound).total for impound in charged(scope))


register(
    Tile(
        "vehicles.in_custody",
        Group.VEHICLES,
        _("Vehicles in custody"),
        in_custody,
        IMPOUND_COLUMNS,
        permission=VIEW_IMPOUNDS,
        snapshot=True,
        help=_("Impounded vehicles kept by a custodian now (第三方保管), longest kept first."),
    ),
    Tile(
        "vehicles.custody_fees",
        Group.VEHICLES,
        _("Custody fees"),
        charged,
        FEE_COLUMNS,
        value=custody_fees,
        unit=Unit.MONEY,
        permission=VIEW_IMPOUNDS,
        help=_(
            "Fees the custodians' agreements charge for the period's days (保管费, accrued, "
            "whether posted or invoiced yet or not): each day a vehicle was kept at its class's "
            "daily rate, and the towing fee of a tow in the period. A day no agreement covers "
            "is charged nothing."
        ),
    ),
    Tile(
        "vehicles.impounded",
        Group.VEHICLES,
        _("Vehicles seized"),
        impounded,
        IMPOUND_COLUMNS,
        permission=VIEW_IMPOUNDS,
        help=_("Vehicles seized in the period (扣押)."),
    ),
)
