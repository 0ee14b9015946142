"""Party users opened before their phone was recorded on the user get it from their account:
the notification centre texts a party at ``User.phone``."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_phones(apps, schema_editor):
    User = apps.get_model("courtexec", "User")
    PortalAccount = apps.get_model("liaison", "PortalAccount")
    User.objects.filter(portal_account__isnull=False, phone="").update(
        phone=Subquery(PortalAccount.objects.filter(user=OuterRef("pk")).values("phone")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("liaison", "0005_wechat")]

    operations = [migrations.RunPython(copy_phones, migrations.RunPython.noop)]
