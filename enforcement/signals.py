"""Signals other apps hear from enforcement, sent inside the service's transaction."""

from django.dispatch import Signal

# A chief handed the case to another judge (``reassign_case``): ``case``, ``old_judge``,
# ``new_judge``, ``user``. Receivers write in the same transaction.
case_reassigned = Signal()
