"""The liaison app hears enforcement: a reassigned case takes its threads to the new judge."""

from django.dispatch import receiver

from enforcement.liaison import services
from enforcement.signals import case_reassigned


@receiver(case_reassigned, dispatch_uid="liaison.note_reassignment")
def note_reassignment(sender, *, case, old_judge, new_judge, **kwargs) -> None:
    services.note_reassignment(case=case, old_judge=old_judge, new_judge=new_judge)
