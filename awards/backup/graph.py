"""Which rows make up a bloc-year, declared once, in the order they can be written.

A bloc-year's archive holds two kinds of rows:

- **owned** rows (:data:`OWNED`): the bloc-year and everything recorded *for* it — members,
  stage history, deadlines and reminders, the covenant with its signatures and attachments,
  the scoring sheet, score sheets with evidence and their trail, the mid-year review,
  initiatives, the voting rules, eligibility, the conference, polls (anonymous counters and
  the participation rows exactly as stored: they name no voter, by construction, and the
  archive adds nothing to them), proposals, achievement reports, the board's decisions, the
  flag handover, and the documents issued for it under a register (the register lines are
  found by their key, ``blocyear:<id>:…``, see :func:`covenants.issuing.bloc_document_key`).
  They are exported whole, deleted by ``--replace`` and written again on import, with new
  primary keys;
- **reference** rows (:data:`REFERENCES`): the province, the bloc, agencies and people. They
  outlive a bloc-year and are shared with other years, so they are matched on import by a
  natural key (:mod:`awards.backup.references`) and never deleted or changed.

Each :class:`Node` says how to reach its rows from a bloc-year (an ORM path to it, or the
register key). Nodes are in dependency order: a node's foreign keys point to reference
models, to earlier nodes or to itself (``tests/awards/test_backup.py`` checks this and that
every model reaching a bloc-year is declared here or in :data:`EXCLUDED`).

Left out on purpose:

- the audit trail of django-simple-history (``Historical*`` models, recognised by their
  ``instance_type``): it is the server's record of who changed what there, not the
  bloc-year's data; an import writes rows "raw" and adds no history of its own;
- the background tasks' table (django-tasks-db) and the province-wide dossier bundles: jobs
  and build products of one server, rebuilt on demand;
- province-level settings (calendar, voting defaults) and people imports, which belong to
  the province, not to one bloc-year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models import Q

from covenants.issuing import bloc_document_key

__all__ = [
    "EXCLUDED",
    "OWNED",
    "REFERENCES",
    "REFERENCE_FIELDS",
    "Node",
    "delete_bloc_year",
    "file_fields",
    "is_historical",
    "owned_labels",
]


@dataclass(frozen=True)
class Node:
    """One owned model and how to reach its rows from a bloc-year.

    ``path`` is the ORM lookup from the model to the bloc-year ("" for the bloc-year
    itself); ``register_key`` instead names the lookup of a register key that starts with
    the bloc-year's document prefix.
    """

    label: str
    path: str = ""
    register_key: str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def condition(self, bloc_year) -> Q:
        if self.register_key:
            prefix = bloc_document_key(bloc_year, "")
            return Q(**{f"{self.register_key}__startswith": prefix})
        if not self.path:
            return Q(pk=bloc_year.pk)
        return Q(**{self.path: bloc_year.pk})

    def rows(self, bloc_year) -> models.QuerySet:
        return self.model._base_manager.filter(self.condition(bloc_year)).order_by("pk")


OWNED: tuple[Node, ...] = (
    Node("blocs.BlocYear"),
    Node("blocs.Membership", "bloc_year"),
    Node("blocs.SecretariatDelegation", "bloc_year"),
    Node("blocs.StageChange", "bloc_year"),
    Node("blocs.BlocYearDeadline", "bloc_year"),
    Node("blocs.DeadlineChange", "bloc_year"),
    Node("blocs.ReminderLog", "bloc_year"),
    Node("covenants.Covenant", "bloc_year"),
    Node("covenants.Commitment", "covenant__bloc_year"),
    Node("covenants.CovenantAttachment", "covenant__bloc_year"),
    Node("covenants.Signature", "covenant__bloc_year"),
    Node("covenants.CovenantEvent", "covenant__bloc_year"),
    Node("covenants.ScoringTemplate", "bloc_year"),
    Node("covenants.ScoringGroup", "template__bloc_year"),
    Node("covenants.ScoringCriterion", "group__template__bloc_year"),
    Node("covenants.ScoringSettings", "bloc_year"),
    Node("covenants.RankingPublication", "bloc_year"),
    Node("covenants.ScoreSheet", "bloc_year"),
    Node("covenants.ScoreLine", "sheet__bloc_year"),
    Node("covenants.Evidence", "line__sheet__bloc_year"),
    Node("covenants.ScoreEvent", "sheet__bloc_year"),
    Node("covenants.MidYearReview", "bloc_year"),
    Node("covenants.Initiative", "bloc_year"),
    Node("covenants.ScoringYearEvent", "bloc_year"),
    Node("awards.VotingRules", "bloc_year"),
    Node("awards.Eligibility", "bloc_year"),
    Node("awards.Conference", "bloc_year"),
    Node("awards.Attendance", "conference__bloc_year"),
    Node("awards.CountingMember", "conference__bloc_year"),
    Node("awards.ConferenceEvent", "bloc_year"),
    Node("awards.Poll", "bloc_year"),
    Node("awards.PollCandidate", "poll__bloc_year"),
    Node("awards.BallotParticipation", "poll__bloc_year"),
    Node("awards.AwardProposal", "bloc_year"),
    Node("awards.AchievementReport", "proposal__bloc_year"),
    Node("awards.ProposalDecision", "proposal__bloc_year"),
    Node("awards.FlagHandover", "bloc_year"),
    Node("members.RegisterEntry", register_key="key"),
    Node("members.IssuedDocument", register_key="entry__key"),
)

#: Shared rows, matched by natural key on import; in the order they are created.
REFERENCES: tuple[str, ...] = ("members.Province", "members.Agency", "members.User", "blocs.Bloc")

#: Models of our apps that are deliberately not part of a bloc-year's archive, and why.
EXCLUDED: dict[str, str] = {
    "members.Invitation": "invitation emails sent to a person: the server's mail log",
    "members.ImportBatch": "a province's spreadsheet imports",
    "members.DataVersion": "the site's cache token (members.caching): every import changes it",
    "blocs.ProvinceDeadline": "the province's calendar, shared by all its blocs",
    "awards.ProvinceVotingDefaults": "the province's voting defaults (each year has a copy)",
    "awards.ProvinceDossier": "a province-wide ZIP built in the background, rebuilt on demand",
}

#: Fields of reference rows written to the archive. Credentials and admin rights never
#: leave the server: a person created by an import has no password (they use "forgot
#: password") and no staff rights.
REFERENCE_FIELDS: dict[str, tuple[str, ...] | None] = {
    "members.Province": None,
    "members.Agency": None,
    "members.User": (
        "username",
        "email",
        "full_name",
        "first_name",
        "last_name",
        "position",
        "phone",
        "preferred_language",
        "agency",
        "agency_role",
        "board_province",
        "is_active",
        "date_joined",
    ),
    "blocs.Bloc": None,
}


@cache
def owned_labels() -> frozenset[str]:
    """The owned models as ``app.model`` in lower case, as the serializer names them."""
    return frozenset(node.label.lower() for node in OWNED)


def is_historical(model) -> bool:
    """A django-simple-history model (it records ``instance_type``, the tracked model)."""
    return getattr(model, "instance_type", None) is not None


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def delete_bloc_year(bloc_year) -> dict[str, int]:
    """Delete the bloc-year's owned rows, dependants first; shared rows stay.

    The caller holds the transaction. Files stay in storage: another row may name the same
    path, and an import that writes them back reuses identical files.
    """
    deleted: dict[str, int] = {}
    for node in reversed(OWNED):
        count, _per_model = node.rows(bloc_year).delete()
        deleted[node.label] = count
    return deleted
