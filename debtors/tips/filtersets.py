"""django-filter filtersets of the debtors section, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debtors.models import Tip

# --- Tips (举报线索) ------------------------------------------------------------------------------


class TipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Reference, debtor, ID number or case")
    )
    status = django_filters.ChoiceFilter(choices=Tip.Status.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=Tip.Source.choices, label=_("Source"))
    outcome = django_filters.ChoiceFilter(choices=Tip.Outcome.choices, label=_("Outcome"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Past the check date"))
    unrouted = django_filters.BooleanFilter(method="filter_unrouted", label=_("Unrouted queue"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Routed to me"))
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("Received from")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("Received until")
    )

    class Meta:
        model = Tip
        fields = ["status", "source", "outcome", "case", "judge"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(debtor_name__icontains=value)
            | Q(debtor_id_number=value.upper())
            | Q(case__number__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=Tip.OPEN_STATUSES, check_due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_unrouted(self, queryset, name, value):
        if value is None:
            return queryset
        unrouted = Q(status__in=[Tip.Status.RECEIVED, Tip.Status.UNROUTABLE])
        return queryset.filter(unrouted) if value else queryset.exclude(unrouted)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(judge=user)
