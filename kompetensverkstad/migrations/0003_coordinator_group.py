"""The "Samordnare" group: Wagtail's "access admin" and nothing else, so a coordinator reaches
the reports and the staff list in /admin/ but may edit no page. Administrators tie each member
to municipalities (Samordnare in the admin's snippets)."""

from django.db import migrations

COORDINATOR_GROUP = "Samordnare"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    admin_type, _created = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _created = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access_admin)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=COORDINATOR_GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After these, which give "choose" on images and documents to every group with admin
        # access: a coordinator has no use for the image and document choosers.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("kompetensverkstad", "0002_coordinators"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
