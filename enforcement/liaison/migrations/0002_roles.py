"""Grant the liaison station's permissions to the bureau's roles."""

from django.db import migrations

from courtexec.roles import grant
from enforcement.liaison.roles import LIAISON_GRANTS


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, LIAISON_GRANTS, app_labels=["liaison"])


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_initial"),
        ("courtexec", "0010_wechatbinding"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
