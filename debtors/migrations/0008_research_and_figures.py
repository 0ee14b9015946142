"""Re-searches after 终本 (ResearchRun), the deletion ground "no basis remains"; the role grants
and the daily re-search job (06:45, before the deletion-task job at 07:00)."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from courtexec.roles import grant
from debtors.roles import RESEARCH_GRANTS

JOB_NAME = "终本后财产复查 (re-searches after termination, daily)"
JOB_TASK = "debtors.run_researches"


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, RESEARCH_GRANTS, app_labels=["debtors"])


def schedule_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    PeriodicTask.objects.update_or_create(
        name=JOB_NAME,
        defaults={"task": JOB_TASK, "crontab": schedule, "interval": None, "enabled": True},
    )


def unschedule_job(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("debtors", "0007_exposure"),
        ("enforcement", "0004_case_assistants_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AlterField(
            model_name="blacklistentry",
            name="deletion_ground",
            field=models.CharField(
                blank=True,
                choices=[
                    ("performed", "Obligation performed or enforcement completed"),
                    ("settlement_performed", "Settlement agreement performed in full"),
                    ("applicant_request", "Applicant's written request approved"),
                    (
                        "nothing_found",
                        "Terminated for now; two or more network searches found no property and no lead was given",
                    ),
                    ("stayed", "Enforcement stayed for retrial or bankruptcy"),
                    ("not_enforced", "Ruling not to enforce"),
                    ("terminated", "Enforcement terminated"),
                    ("period_expired", "Listing period expired"),
                    (
                        "no_basis",
                        "No basis remains: the application was rejected or the case withdrawn (Art. 11)",
                    ),
                ],
                max_length=30,
                verbose_name="deletion ground",
            ),
        ),
        migrations.AlterField(
            model_name="deletiontask",
            name="ground",
            field=models.CharField(
                choices=[
                    ("performed", "Obligation performed or enforcement completed"),
                    ("settlement_performed", "Settlement agreement performed in full"),
                    ("applicant_request", "Applicant's written request approved"),
                    (
                        "nothing_found",
                        "Terminated for now; two or more network searches found no property and no lead was given",
                    ),
                    ("stayed", "Enforcement stayed for retrial or bankruptcy"),
                    ("not_enforced", "Ruling not to enforce"),
                    ("terminated", "Enforcement terminated"),
                    ("period_expired", "Listing period expired"),
                    (
                        "no_basis",
                        "No basis remains: the application was rejected or the case withdrawn (Art. 11)",
                    ),
                ],
                max_length=30,
                verbose_name="ground",
            ),
        ),
        migrations.AlterField(
            model_name="historicalblacklistentry",
            name="deletion_ground",
            field=models.CharField(
                blank=True,
                choices=[
                    ("performed", "Obligation performed or enforcement completed"),
                    ("settlement_performed", "Settlement agreement performed in full"),
                    ("applicant_request", "Applicant's written request approved"),
                    (
                        "nothing_found",
                        "Terminated for now; two or more network searches found no property and no lead was given",
                    ),
                    ("stayed", "Enforcement stayed for retrial or bankruptcy"),
                    ("not_enforced", "Ruling not to enforce"),
                    ("terminated", "Enforcement terminated"),
                    ("period_expired", "Listing period expired"),
                    (
                        "no_basis",
                        "No basis remains: the application was rejected or the case withdrawn (Art. 11)",
                    ),
                ],
                max_length=30,
                verbose_name="deletion ground",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalResearchRun",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_request_id",
                    models.CharField(
                        blank=True, db_index=True, max_length=64, verbose_name="request id"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="run number")),
                ("due_on", models.DateField(verbose_name="due on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "With the investigation group"),
                            ("done", "Done"),
                            ("missed", "Missed (a later run searched)"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "opened_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="opened at"
                    ),
                ),
                (
                    "completed_on",
                    models.DateField(blank=True, null=True, verbose_name="searched on"),
                ),
                (
                    "property_found",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Findings with a balance or value.",
                        verbose_name="pieces of property found",
                    ),
                ),
                (
                    "new_findings",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Property no earlier search of the party found.",
                        verbose_name="new findings",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="enforcement.enforcementcase",
                        verbose_name="case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical re-search after termination",
                "verbose_name_plural": "historical re-searches after termination",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ResearchRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="run number")),
                ("due_on", models.DateField(verbose_name="due on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "With the investigation group"),
                            ("done", "Done"),
                            ("missed", "Missed (a later run searched)"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "opened_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="opened at"
                    ),
                ),
                (
                    "completed_on",
                    models.DateField(blank=True, null=True, verbose_name="searched on"),
                ),
                (
                    "property_found",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Findings with a balance or value.",
                        verbose_name="pieces of property found",
                    ),
                ),
                (
                    "new_findings",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Property no earlier search of the party found.",
                        verbose_name="new findings",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="research_runs",
                        to="enforcement.enforcementcase",
                        verbose_name="case",
                    ),
                ),
                (
                    "requests",
                    models.ManyToManyField(
                        blank=True,
                        related_name="research_runs",
                        to="debtors.investigationrequest",
                        verbose_name="investigation requests",
                    ),
                ),
            ],
            options={
                "verbose_name": "re-search after termination",
                "verbose_name_plural": "re-searches after termination",
                "ordering": ["case", "number"],
                "indexes": [
                    models.Index(fields=["status", "due_on"], name="debtors_res_status_92a1bb_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "number"), name="one_research_run_per_number"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1), ("number__lte", 10)),
                        name="research_run_number_range",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.RunPython(schedule_job, unschedule_job),
    ]
