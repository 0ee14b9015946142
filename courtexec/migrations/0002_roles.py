"""Create the bureau's roles as groups and grant the project package's permissions."""

from django.db import migrations

from courtexec.roles import CORE_PERMISSIONS, Role, grant


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    grant(apps, schema_editor, CORE_PERMISSIONS, app_labels=["courtexec", "auth"])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[role.value for role in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courtexec", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
