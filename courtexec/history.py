"""Change trail (办案轨迹全程留痕): every tracked model's history row carries the request id.

``HistoryRequestMiddleware`` (django-simple-history) stamps the user; the request-id middleware
puts the id of the current request in a context variable, stamped here on each history row, so
one request's changes across several models can be found together.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import ParamSpec, TypeVar

from django.db import models, transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from courtexec.request_context import current_request_id

P = ParamSpec("P")
R = TypeVar("R")


class RequestIdHistoricalModel(models.Model):
    """Abstract base of every historical model: the request that made the change.

    Named ``history_request_id`` like simple-history's own fields, so it can never clash with
    a tracked model's foreign key called ``request`` (whose column is ``request_id``).
    """

    history_request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)

    class Meta:
        abstract = True


def tracked_history(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` with the request id; use on every model people edit."""
    return HistoricalRecords(bases=[RequestIdHistoricalModel], **kwargs)


@receiver(pre_create_historical_record)
def stamp_request_id(sender, history_instance, **kwargs) -> None:
    history_instance.history_request_id = current_request_id()


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """History rows written inside name ``user`` when no web request names one.

    ``HistoryRequestMiddleware`` gives simple-history the request's user; a Celery task, a
    management command or an import has no request, so the service says who acts.
    """
    context = HistoricalRecords.context
    if getattr(context, "request", None) is not None or user is None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def acting_user_id() -> int | None:
    """The user history rows written now would name (the request's, or ``acting_as``'s); for
    writes that bypass the ORM and insert their history rows themselves."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def recorded_write(func: Callable[P, R]) -> Callable[P, R]:
    """A service: one transaction, and its history rows name the ``user=`` it was given."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), acting_as(kwargs.get("user")):
            return func(*args, **kwargs)

    return wrapper
