"""Reads of the command centre: the scope a person may ask for, and the figures in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from courtexec.command.tiles import REGISTRY, Chart, ChartData, Number, Scope, Tile
from courtexec.models import Court, User
from courtexec.visibility import visible_court_ids


def court_subtree(court_id: int) -> frozenset[int]:
    """A court and every court below it (a higher court's figures cover its courts)."""
    ids, frontier = {court_id}, {court_id}
    while frontier:
        frontier = set(Court.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier -= ids
        ids |= frontier
    return frozenset(ids)


def scope_courts(user: User, court: Court | None) -> frozenset[int] | None:
    """The courts a figure of ``user`` covers: the chosen court with those below it, or all
    the user may see. A court the user may not see is a 404."""
    visible = visible_court_ids(user)
    if court is None:
        return None if visible is None else frozenset(visible)
    if visible is not None and court.pk not in visible:
        raise Http404
    subtree = court_subtree(court.pk)
    # A judge of a higher court sees their own court only, not those below it.
    return subtree if visible is None else subtree & frozenset(visible)


def courts_seen_whole(user: User) -> set[int] | None:
    """The courts whose figures ``user`` may read: those they see together with every court
    below them (a higher court's totals include its courts'); ``None`` for every court."""
    visible = visible_court_ids(user)
    if visible is None:
        return None
    return {court for court in visible if court_subtree(court) <= visible}


def scope_for(user: User, court: Court | None, start: dt.date, end: dt.date, today: dt.date):
    return Scope(scope_courts(user, court), start, end, today)


def choosable_courts(user: User) -> QuerySet[Court]:
    """The courts of the court selector: those the user may see."""
    visible = visible_court_ids(user)
    courts = Court.objects.order_by("code")
    return courts if visible is None else courts.filter(pk__in=visible)


@dataclass(frozen=True)
class TileFigure:
    tile: Tile
    value: Number
    previous: Number  # None for a snapshot tile, or when the figure has no value then

    @property
    def change(self) -> Number:
        if self.tile.snapshot or self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def evaluate(tiles: list[Tile], scope: Scope) -> list[TileFigure]:
    """The tiles' figures in ``scope``, with the previous period's for comparison."""
    previous = scope.previous()
    return [
        TileFigure(tile, tile.measure(scope), None if tile.snapshot else tile.measure(previous))
        for tile in tiles
    ]


def tile_figures(user: User, scope: Scope) -> list[TileFigure]:
    """Every tile ``user`` may see, with the previous period's figure for comparison."""
    return evaluate(REGISTRY.visible_tiles(user), scope)


def chart_figures(user: User, scope: Scope) -> list[tuple[Chart, ChartData]]:
    return [(chart, chart.build(scope)) for chart in REGISTRY.visible_charts(user)]


def visible_tile(user: User, key: str) -> Tile:
    """The tile ``key`` if ``user`` may see it; otherwise a 404 (an unknown key too)."""
    for tile in REGISTRY.visible_tiles(user):
        if tile.key == key:
            return tile
    raise Http404
