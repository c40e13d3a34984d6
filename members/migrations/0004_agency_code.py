"""Agencies get a stable code (the key import files match on).

Existing agencies get "dv<id>" so the unique rule can be added; the board
replaces them with real codes (SYT, SGDDT…) by editing or importing.
"""

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Agency = apps.get_model("members", "Agency")
    for agency in Agency.objects.filter(code=""):
        agency.code = f"dv{agency.pk}"
        agency.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("members", "0003_board_province_label")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="code",
            field=models.SlugField(default="", max_length=30),
            preserve_default=False,
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
    ]
