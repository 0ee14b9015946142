"""Roles of the enforcement bureau, stored as Django groups with permissions.

The group name is the role's stable code; people see the translated label. Each app grants its
own permissions to roles in a data migration through :func:`grant`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JUDGE = "enforcement_judge", _("Enforcement judge")  # 执行法官
    CLERK = "enforcement_clerk", _("Enforcement officer / clerk")  # 执行员/书记员
    BUREAU_CHIEF = "bureau_chief", _("Bureau chief")  # 执行局长
    SECTION_CHIEF = "section_chief", _("Section chief")  # 科长
    JUDICIAL_POLICE = "judicial_police", _("Judicial police")  # 法警
    POLICE_LIAISON = "police_liaison", _("Police liaison")  # 公安联络员 (reports callouts)
    CUSTODIAN = "vehicle_custodian", _("Vehicle custodian")  # 车辆保管单位 (sees its own vehicles)
    SIGHTING_PARTNER = "sighting_partner", _("Sighting partner system")  # 车辆布控协作平台
    PARTY = "party", _("Party (liaison station)")  # 当事人 (signs in with a one-time code)
    FINANCE = "finance_officer", _("Finance officer")  # 财务
    INVESTIGATOR = "investigation_group", _("Investigation group member")  # 查控组
    PRESIDENT = "court_president", _("Court president")  # 院长
    SYSADMIN = "system_administrator", _("System administrator")  # 系统管理员


# People outside the bureau who sign in for one task; the dashboard (the court's figures and
# staff) is not for them, so they start at that task's page.
OUTSIDE_ROLES: dict[Role, str] = {
    Role.POLICE_LIAISON: "standby:callout-board",
    Role.CUSTODIAN: "vehicles:custody-portal",
    Role.SIGHTING_PARTNER: "vehicles:sightings",
    Role.PARTY: "liaison:portal-home",
}


# Permissions of the project package; apps add theirs in their own data migrations.
CORE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SYSADMIN: [
        "courtexec.view_all_courts",
        "courtexec.view_court",
        "courtexec.add_court",
        "courtexec.change_court",
        "courtexec.view_user",
        "courtexec.add_user",
        "courtexec.change_user",
        "auth.view_group",
    ],
    Role.PRESIDENT: ["courtexec.view_lower_courts", "courtexec.view_court", "courtexec.view_user"],
    Role.BUREAU_CHIEF: ["courtexec.view_court", "courtexec.view_user"],
    Role.SECTION_CHIEF: ["courtexec.view_court", "courtexec.view_user"],
    Role.JUDGE: ["courtexec.view_court", "courtexec.view_user"],
    Role.CLERK: ["courtexec.view_court", "courtexec.view_user"],
    Role.JUDICIAL_POLICE: ["courtexec.view_court", "courtexec.view_user"],
    Role.FINANCE: ["courtexec.view_court", "courtexec.view_user"],
    Role.INVESTIGATOR: ["courtexec.view_court", "courtexec.view_user"],
}

# The working-day calendar (national data) is kept by system administrators; granted by
# migration 0007, after the model exists.
CALENDAR_PERMISSIONS: dict[Role, list[str]] = {
    Role.SYSADMIN: [
        f"courtexec.{action}_calendarday" for action in ("view", "add", "change", "delete")
    ],
}


# The notification centre's records in admin (deliveries with the SMS sandbox's outbox, inboxes,
# preferences), for system administrators; granted by migration 0011, after the models exist.
NOTIFICATION_PERMISSIONS: dict[Role, list[str]] = {
    Role.SYSADMIN: [
        "courtexec.view_notification",
        "courtexec.view_delivery",
        "courtexec.view_notificationpreference",
    ],
}


# Every app's grants, registered in its AppConfig.ready(); re-applied after each migrate/flush.
REGISTERED_GRANTS: list[dict[Role, list[str]]] = [
    CORE_PERMISSIONS,
    CALENDAR_PERMISSIONS,
    NOTIFICATION_PERMISSIONS,
]


def register_grants(grants: dict[Role, list[str]]) -> None:
    if grants not in REGISTERED_GRANTS:
        REGISTERED_GRANTS.append(grants)


def sync_roles(sender=None, **kwargs) -> None:
    """post_migrate: make sure every role exists with its permissions.

    The data migrations create them once; ``flush`` (run between transactional tests) wipes
    tables and then sends post_migrate, so the roles are restored here.
    """
    from django.apps import apps as global_apps

    labels = sorted(
        {dotted.split(".")[0] for g in REGISTERED_GRANTS for p in g.values() for dotted in p}
    )
    for grants in REGISTERED_GRANTS:
        grant(global_apps, None, grants, app_labels=labels)
    Group = global_apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def grant(apps, schema_editor, grants: dict[Role, list[str]], *, app_labels: list[str]) -> None:
    """Give roles permissions from a data migration (creating the permission rows first)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
