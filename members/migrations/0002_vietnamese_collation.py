"""PostgreSQL: an ICU collation named "vi" for Vietnamese alphabetical order.

On SQLite this operation does nothing; members.collation registers a Python
collation with the same name on each connection instead.
"""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [CreateCollation("vi", provider="icu", locale="vi")]
