"""Forms of case messaging: the shape only; ``services`` checks each file's real type and size."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.forms import PeriodForm as BasePeriodForm
from enforcement.forms import BootstrapForm, MultipleFileInput


class AttachmentsField(forms.FileField):
    """Several files from one input (the service limits how many and what they are)."""

    def __init__(self, **kwargs):
        accept = ",".join(settings.LIAISON_ATTACHMENT_TYPES)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        return [super(AttachmentsField, self).clean(item, initial) for item in files]


class MessageForm(BootstrapForm):
    """A message of either side: text, files, or both."""

    prefix = "message"
    size = "lg"

    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write to the court…")}),
    )
    attachments = AttachmentsField(
        label=_("Attach photos or PDF files"),
        required=False,
        help_text=_("JPEG, PNG or WebP images or PDF documents, up to 10 MB each."),
    )


class InboxFilterForm(BootstrapForm):
    """Filters of the liaison inbox, shared by the page and the API."""

    awaiting = forms.BooleanField(label=_("Awaiting a reply"), required=False)
    flagged = forms.BooleanField(label=_("Flagged to the chief"), required=False)
    case = forms.CharField(label=_("Case"), required=False, max_length=60)


class PeriodForm(BasePeriodForm):
    """The period of the reply-time figures (``from``/``to``; by default the last 30 days),
    shared by the page and the API so both answer the same field errors."""

    max_months = 24

    def fill(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        if end is None:
            end = timezone.localdate() if start is None else start + dt.timedelta(days=29)
        return start or end - dt.timedelta(days=29), end
