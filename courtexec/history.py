"""Change trail (办案轨迹全程留痕): every tracked model's history row carries the request id.

``HistoryRequestMiddleware`` (django-simple-history) stamps the user; the request-id middleware
puts the id of the current request in a context variable, stamped here on each history row, so
one request's changes across several models can be found together.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from courtexec.request_context import current_request_id


class RequestIdHistoricalModel(models.Model):
    """Abstract base of every historical model: the request that made the change."""

    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)

    class Meta:
        abstract = True


def tracked_history(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` with the request id; use on every model people edit."""
    return HistoricalRecords(bases=[RequestIdHistoricalModel], **kwargs)


@receiver(pre_create_historical_record)
def stamp_request_id(sender, history_instance, **kwargs) -> None:
    history_instance.request_id = current_request_id()
