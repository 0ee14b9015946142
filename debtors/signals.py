"""Receivers that keep the public search's read model in step (ADR 013).

Signals rather than calls in each service: an entry changes state in several services
(publish, delete, correct) and may change through the admin, and a party is edited by the
enforcement app; a receiver sees every save, in the saving transaction.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from debtors.models import BlacklistEntry
from enforcement.models import Party


@receiver(post_save, sender=BlacklistEntry, dispatch_uid="debtors_public_listing_entry")
def entry_saved(sender, instance: BlacklistEntry, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures load rows as they are
        return
    from debtors.services import sync_public_listing

    sync_public_listing(entry=instance)


@receiver(post_save, sender=Party, dispatch_uid="debtors_public_listing_party")
def party_saved(sender, instance: Party, raw: bool = False, created: bool = False, **kwargs):
    if raw or created:  # a new party has no published entry yet
        return
    from debtors.services import sync_public_party

    sync_public_party(party=instance)
