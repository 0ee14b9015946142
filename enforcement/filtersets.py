"""Filters shared by the case list page, its Excel export and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.models import User
from courtexec.roles import Role
from enforcement import selectors
from enforcement.models import (
    CoerciveMeasure,
    Consultation,
    EnforcementCase,
    FieldAction,
    Objection,
    TravelRequest,
)


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Case number, party name or ID"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(choices=EnforcementCase.Status.choices)
    type_code = django_filters.MultipleChoiceFilter(choices=EnforcementCase.TypeCode.choices)
    category = django_filters.MultipleChoiceFilter(choices=EnforcementCase.Category.choices)
    judge = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("Judge"))
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[("overdue", _("Overdue")), ("due_soon", _("Due soon"))],
        method="filter_deadline",
    )
    flag = django_filters.MultipleChoiceFilter(
        label=_("Joint-meeting flags"),
        choices=EnforcementCase.Flag.choices,
        method="filter_flags",
    )
    needs_consultation = django_filters.BooleanFilter(
        label=_("Needs consultation"), method="filter_needs_consultation"
    )
    filed_after = django_filters.DateFilter(
        field_name="filed_on", lookup_expr="gte", label=_("Filed from")
    )
    filed_before = django_filters.DateFilter(
        field_name="filed_on", lookup_expr="lte", label=_("Filed until")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("filed_on", "filed_on"),
            ("due_on", "due_on"),
            ("number", "number"),
            ("amount_to_enforce", "amount"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = EnforcementCase
        fields = ["status", "type_code", "category", "judge"]

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            from courtexec.selectors import visible_staff

            self.filters["judge"].queryset = visible_staff(user).filter(groups__name=Role.JUDGE)

    def filter_search(self, queryset, name, value):
        return selectors.search_cases(queryset, value)

    def filter_flags(self, queryset, name, value):
        return queryset.filter(flags__overlap=value) if value else queryset

    def filter_deadline(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return selectors.overdue_cases(queryset, today)
        if value == "due_soon":
            return selectors.due_soon_cases(queryset, today)
        return queryset

    def filter_needs_consultation(self, queryset, name, value):
        if value is None:
            return queryset
        due = selectors.cases_needing_consultation(queryset, timezone.localdate())
        return due if value else queryset.exclude(pk__in=due.values("pk"))


class ConsultationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Consultation
        fields = {"case": ["exact"], "held_on": ["gte", "lte"]}


class ObjectionFilterSet(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Objection
        fields = {"case": ["exact"], "ruling": ["exact"], "filed_on": ["gte", "lte"]}

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = selectors.overdue_objections(queryset, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class MeasureFilterSet(django_filters.FilterSet):
    class Meta:
        model = CoerciveMeasure
        fields = {"case": ["exact"], "kind": ["exact"], "decided_on": ["gte", "lte"]}


class UtcDateTimeField(forms.DateTimeField):
    """An instant, sent to the database in UTC: PostgreSQL refuses offsets beyond ±15:59 that
    ISO 8601 text may carry ("…-19:13"), and a moment before year 1 in UTC is no date."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or timezone.is_naive(value):
            return value
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(django_filters.DateTimeFilter):
    field_class = UtcDateTimeField


class FieldActionFilterSet(django_filters.FilterSet):
    class Meta:
        model = FieldAction
        fields = {
            "case": ["exact"],
            "kind": ["exact"],
            "officer": ["exact"],
            "occurred_at": ["gte", "lte"],
        }
        filter_overrides = {models.DateTimeField: {"filter_class": UtcDateTimeFilter}}


class TravelRequestFilterSet(django_filters.FilterSet):
    class Meta:
        model = TravelRequest
        fields = {"case": ["exact"], "status": ["exact"], "depart_on": ["gte", "lte"]}
