"""Respondents added before case funds existed get their virtual sub-accounts now."""

from django.db import migrations

from casefunds.virtual_accounts import compose


def open_missing_accounts(apps, schema_editor):
    CaseParty = apps.get_model("enforcement", "CaseParty")
    CourtAccount = apps.get_model("casefunds", "CourtAccount")
    Account = apps.get_model("casefunds", "Account")
    missing = (
        CaseParty.objects.filter(role="respondent", fund_account__isnull=True)
        .select_related("case")
        .order_by("pk")
    )
    for link in missing.iterator():
        court_id = link.case.court_id
        numbering, _created = CourtAccount.objects.get_or_create(
            court_id=court_id, defaults={"virtual_prefix": f"9{court_id:07d}"}
        )
        numbering.last_serial += 1
        numbering.save(update_fields=["last_serial"])
        Account.objects.create(
            court_id=court_id,
            kind="case",
            case_id=link.case_id,
            payer_id=link.pk,
            virtual_number=compose(numbering.virtual_prefix, numbering.last_serial),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casefunds", "0003_roles_tiers_and_schedules"),
        ("enforcement", "0004_case_assistants_history"),
    ]

    operations = [migrations.RunPython(open_missing_accounts, migrations.RunPython.noop)]
