"""The public search's read model (ADR 013), filled from the entries published so far."""

import unicodedata

import django.db.models.deletion
from django.db import migrations, models


def _key(text):
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def backfill(apps, schema_editor):
    BlacklistEntry = apps.get_model("debtors", "BlacklistEntry")
    PublicListing = apps.get_model("debtors", "PublicListing")
    published = BlacklistEntry.objects.filter(status="published").select_related(
        "respondent__party"
    )
    PublicListing.objects.bulk_create(
        PublicListing(
            entry=entry,
            name_key=_key(entry.respondent.party.name),
            id_key=_key(entry.respondent.party.id_number),
            published_at=entry.published_at or entry.approved_at or entry.created_at,
        )
        for entry in published.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("debtors", "0004_blacklist_roles_and_schedule"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicListing",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="public_listing",
                        serialize=False,
                        to="debtors.blacklistentry",
                        verbose_name="entry",
                    ),
                ),
                (
                    "name_key",
                    models.CharField(
                        db_collation="C", max_length=200, verbose_name="name (normalised)"
                    ),
                ),
                (
                    "id_key",
                    models.CharField(
                        blank=True,
                        db_collation="C",
                        max_length=18,
                        verbose_name="identity number (normalised)",
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="published at")),
            ],
            options={
                "verbose_name": "public listing",
                "verbose_name_plural": "public listings",
                "indexes": [
                    models.Index(fields=["name_key", "entry"], name="public_listing_name"),
                    models.Index(
                        condition=models.Q(("id_key", ""), _negated=True),
                        fields=["id_key", "entry"],
                        name="public_listing_id",
                    ),
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
