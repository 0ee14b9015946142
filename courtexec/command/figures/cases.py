"""The command centre's case tiles and charts (enforcement's records, its selectors' rules)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtexec.command.tiles import Column, Group, Scope, Tile, register
from enforcement.models import EnforcementCase

VIEW_CASES = "enforcement.view_enforcementcase"


def case_link(case: EnforcementCase) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])


# The drill-down columns of every list of cases.
CASE_COLUMNS = (
    Column(_("Case number"), lambda case: case.number, link=case_link),
    Column(_("Court"), lambda case: case.court.name),
    Column(_("Judge"), lambda case: str(case.judge)),
    Column(_("Filed on"), lambda case: case.filed_on),
    Column(_("Due on"), lambda case: case.due_on),
    Column(_("Status"), lambda case: case.get_status_display()),
    Column(_("Closed on"), lambda case: case.closed_on),
)


def cases(scope: Scope) -> QuerySet[EnforcementCase]:
    return scope.restrict(EnforcementCase.objects.select_related("court", "judge"))


def filed(scope: Scope) -> QuerySet[EnforcementCase]:
    return scope.in_period(cases(scope), "filed_on").order_by("filed_on", "pk")


register(
    Tile(
        "cases.filed",
        Group.CASES,
        _("Cases filed"),
        filed,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        help=_("Cases filed in the period (收案)."),
    ),
)
