"""The "Utbildare" group. It carries no permissions: being in it is what lets a person lead
workshop sessions, and administrators put trainers in it in the Wagtail admin."""

from django.db import migrations

TRAINER_GROUP = "Utbildare"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=TRAINER_GROUP)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=TRAINER_GROUP, permissions__isnull=True, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("lessons", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
