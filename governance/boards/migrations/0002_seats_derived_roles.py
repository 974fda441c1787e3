"""The hub roles owner_group_rep and creative_board_rep are derived from seats (issue 13): the
stored role assignments of those roles are deleted; seats replace them."""

from django.db import migrations

DERIVED = ("owner_group_rep", "creative_board_rep")


def delete_stored_board_roles(apps, schema_editor):
    apps.get_model("organisations", "RoleAssignment").objects.filter(role__in=DERIVED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0001_initial"),
        ("organisations", "0004_unique_org_number_message"),
    ]

    operations = [migrations.RunPython(delete_stored_board_roles, migrations.RunPython.noop)]
