"""The data version that cached page fragments are keyed by (:mod:`members.caching`).

One row holds a random token that changes after every committed write to the database.
It lives in the database, not in the cache, so every app server and worker reads the same
token whatever cache each of them has: a fragment cached by one worker is never served by
another after the data changed. It is random, not a counter, so restoring a backup or
flushing a test database can never bring back a token that fragments were stored under.
"""

from django.db import models
from django.db.models import Q

__all__ = ["DataVersion"]


class DataVersion(models.Model):
    #: Always 1: the site has one data version.
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="members_dataversion_single_row")
        ]

    def __str__(self):
        return self.token
