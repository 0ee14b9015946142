"""Many cases quickly for the command centre's tests (a test dataset, not the filing rules)."""

from __future__ import annotations

from enforcement.models import EnforcementCase


def copies(case: EnforcementCase, count: int, **changes) -> list[EnforcementCase]:
    """``count`` copies of ``case`` with numbers of their own, in a few INSERTs."""
    fields = {
        field.attname: getattr(case, field.attname)
        for field in EnforcementCase._meta.concrete_fields
        if not field.primary_key
    }
    first = EnforcementCase.objects.count()  # numbers unique across calls
    return EnforcementCase.objects.bulk_create(
        [
            EnforcementCase(
                **{**fields, "number": f"{case.number}-{first + n}", "sequence": None, **changes}
            )
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )
