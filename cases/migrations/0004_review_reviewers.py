"""The review queue (a proxy of Case), two custom case permissions, and the
"Reviewers" group with exactly the permissions reviewers need (issue 7)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Reviewers"

# Read everything a review needs, decide on letters, write internal notes and
# take cases. Never: edit or delete cases, see the audit trail, export
# sensitive fields.
REVIEWER_PERMISSIONS = [
    "view_case",
    "assign_case",
    "view_caseinreview",
    "view_debtor",
    "view_debt",
    "view_budgetline",
    "view_evidence",
    "view_proposal",
    "view_contact",
    "view_letter",
    "change_letter",
    "view_letterreview",
    "view_casestatuschange",
    "view_reviewernote",
    "add_reviewernote",
    "view_lprrate",
    "view_hotline",
]


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate);
    # create them now so the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(content_type__app_label="cases", codename__in=REVIEWER_PERMISSIONS)
    missing = set(REVIEWER_PERMISSIONS) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions missing for the Reviewers group: {sorted(missing)}")
    group.permissions.set(permissions)


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_privacy_consent_withdrawn"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseInReview",
            fields=[],
            options={
                "verbose_name": "case waiting for review",
                "verbose_name_plural": "review queue",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("cases.case",),
        ),
        migrations.AlterModelOptions(
            name="case",
            options={
                "ordering": ["-updated_at", "-id"],
                "permissions": [
                    ("assign_case", "Can assign cases to reviewers"),
                    ("export_sensitive", "Can export sensitive debtor fields"),
                ],
                "verbose_name": "case",
                "verbose_name_plural": "cases",
            },
        ),
        migrations.RunPython(create_reviewers_group, remove_reviewers_group),
    ]
