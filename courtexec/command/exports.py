"""The command centre's Excel exports: the kinds a person may ask for, and one streaming writer.

A kind turns the request's parameters into a :class:`Sheet` (a title, columns and the records)
for the person asking, checking what they may see each time: when the page asks, and again when
the worker builds the file, so stored parameters are never trusted beyond that person's rights
at the time.

Headers and values are written in Chinese (zh-hans) whatever the page language, as the case
list's export does (``enforcement.exports``): a spreadsheet reads the same for every court and
every report built on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from casefunds.models import yuan
from courtexec.command.forms import CommandForm
from courtexec.command.selectors import visible_tile
from courtexec.command.tiles import Column, Unit
from courtexec.models import Court, User
from courtexec.visibility import visible_court_ids
from enforcement.exports import DATE_FORMAT, HEADER_FILL, MONEY_FORMAT

CHUNK_SIZE = 2000  # rows fetched from PostgreSQL at a time
LANGUAGE = "zh-hans"
UNSAFE = re.compile(r'[\\/:*?"<>|\[\]]')  # not in a file or sheet name


@dataclass(frozen=True)
class Sheet:
    """What one export writes. ``title`` (Chinese) names the job, the sheet and the file."""

    title: str
    columns: tuple[Column, ...]
    records: QuerySet

    @property
    def filename(self) -> str:
        return UNSAFE.sub("_", self.title) + ".xlsx"


@dataclass(frozen=True)
class Prepared:
    params: dict[str, str]  # the cleaned parameters: stored on the job, read again by the worker
    sheet: Sheet


@dataclass(frozen=True)
class Kind:
    code: str
    # (user, raw parameters, today) -> Prepared; ValidationError on bad parameters (a 400), Http404
    # for what the user may not see.
    prepare: Callable[[User, Mapping[str, Any], dt.date], Prepared]


# --- Kind "tile": a tile's drill-down list --------------------------------------------------


class TileExportForm(CommandForm):
    """The drill-down's choice: the tile ``key``, the period and court, and ``previous`` (the
    previous period's records, as the drill-down's toggle shows them)."""

    key = forms.CharField(max_length=100)
    previous = forms.BooleanField(required=False)

    def __init__(self, data=None, **kwargs) -> None:
        extra = {name: (data or {}).get(name, "") for name in ("key", "previous")}
        super().__init__(data, **kwargs)
        if self.is_bound:
            self.data = {**self.data, **extra}


def _where(user: User, court: Court | None) -> str:
    """The courts a title names: the one chosen, else the user's own (the figures of every court
    they see are their court's with those below it), else all courts (a system administrator)."""
    if court is not None:
        return court.name
    if user.court is None or visible_court_ids(user) is None:
        return gettext("All courts")
    return user.court.name


def prepare_tile(user: User, params: Mapping[str, Any], today: dt.date) -> Prepared:
    form = TileExportForm(params, user=user, today=today)
    if not form.is_valid():
        names = {"start": "from", "end": "to"}  # the request's names
        raise ValidationError({names.get(f, f): e for f, e in form.errors.as_data().items()})
    tile = visible_tile(user, form.cleaned_data["key"])
    scope = form.scope()
    previous = form.cleaned_data["previous"]
    if previous:
        scope = scope.previous()
    with translation.override(LANGUAGE):
        where = _where(user, form.cleaned_data.get("court"))
        title = f"{tile.label}-{where}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    cleaned = {**form.query(), "key": tile.key, "previous": "1" if previous else ""}
    return Prepared(cleaned, Sheet(title, tile.columns, tile.records(scope)))


KINDS: dict[str, Kind] = {kind.code: kind for kind in [Kind("tile", prepare_tile)]}


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        message = _("Unknown kind of export.")
        raise ValidationError({"kind": [ValidationError(message, code="invalid")]}) from None


# --- The writer -----------------------------------------------------------------------------


def _width(column: Column) -> int:
    if column.unit is Unit.MONEY:
        return 16
    return max(12, 2 * len(str(column.header)) + 4)


def _cell(sheet: WriteOnlyWorksheet, column: Column, record: Any) -> Any:
    """The record's value for ``column`` as Excel wants it: yuan and dates formatted, times
    local and naive (Excel has no time zones), lazy text translated."""
    value = column.value(record)
    if value is None:
        return None
    if column.unit is Unit.MONEY:
        cell = WriteOnlyCell(sheet, value=yuan(value))
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, dt.datetime):
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = f"{DATE_FORMAT} hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Promise):
        return str(value)
    return value


def write(sheet: Sheet, *, progress: Callable[[int], None] | None = None, every: int = 0):
    """A write-only workbook of ``sheet`` (rows go to a temporary file, not memory) and the
    number of rows written. ``progress(rows)`` is called after every ``every`` rows."""
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(UNSAFE.sub("_", sheet.title)[:31])  # Excel's limit
    for index, column in enumerate(sheet.columns, start=1):
        out.column_dimensions[get_column_letter(index)].width = _width(column)
    out.freeze_panes = "A2"
    rows = 0
    with translation.override(LANGUAGE):
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(out, value=str(column.header))
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
            header.append(cell)
        out.append(header)
        try:
            for record in sheet.records.iterator(chunk_size=CHUNK_SIZE):
                out.append([_cell(out, column, record) for column in sheet.columns])
                rows += 1
                if progress is not None and every and rows % every == 0:
                    progress(rows)
        except BaseException:
            out.close()  # end the half-written sheet's temporary file now, not at collection
            raise
    return workbook, rows
