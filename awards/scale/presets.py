"""The sizes ``seed_scale`` builds, and the row counts they make (pure arithmetic).

A preset is the shape of the dataset: provinces × blocs × members × years, with a
scoring sheet of ``criteria`` scored lines. Every bloc-year is complete (closed), so
each table's row count follows from the shape alone: :func:`expected_counts` is that
arithmetic, which the command prints and the tests compare with the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from awards.tally import certificate_quota

__all__ = [
    "CODE_PREFIX",
    "LAST_YEAR",
    "PRESETS",
    "Preset",
    "certificate_places",
    "expected_counts",
]

#: Scale provinces are ``scale-01``, ``scale-02``…: ``--reset`` deletes exactly those.
CODE_PREFIX = "scale-"
#: The newest generated year; the dataset covers the ``years`` years up to it.
LAST_YEAR = 2025


@dataclass(frozen=True)
class Preset:
    provinces: int
    blocs: int
    members: int
    years: int
    criteria: int = 40
    #: Mid-year sheets (self-scores, submitted) besides the year-end ones.
    mid_year: bool = True

    def __post_init__(self):
        if not 1 <= self.provinces <= 99:
            raise ValueError("provinces: 1 to 99")
        if not 1 <= self.blocs <= 99:
            raise ValueError("blocs: 1 to 99")
        if not 4 <= self.members <= 60:
            # Fewer than 4 members cannot hold a flag poll, a certificate poll and two
            # different next officers with clear majorities.
            raise ValueError("members: 4 to 60")
        if not 1 <= self.years <= LAST_YEAR - 2000:
            raise ValueError(f"years: 1 to {LAST_YEAR - 2000}")
        if not 8 <= self.criteria <= 200:
            raise ValueError("criteria: 8 to 200")

    def with_overrides(self, **values) -> Preset:
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    @property
    def first_year(self) -> int:
        return LAST_YEAR - self.years + 1


PRESETS = {
    # Issue 9: the whole country, 34 provinces after the 2025 reorganisation.
    "national": Preset(provinces=34, blocs=12, members=10, years=10),
    "province": Preset(provinces=1, blocs=12, members=10, years=10),
    "ci": Preset(provinces=2, blocs=2, members=5, years=2),
}


def certificate_places(members: int) -> int:
    """The certificate quota of the default rules (50 % of the members other than the
    one flag unit, rounded down; :func:`awards.tally.certificate_quota`)."""
    return certificate_quota(members, 50, 1)


#: Rows of fixed number per bloc-year.
STAGE_CHANGES = 6
COMMITMENTS = 6
COVENANT_EVENTS = 2
COUNTING_MEMBERS = 3
POLLS = 4
#: Bloc documents in the chair's register: minutes, counting minutes, submission,
#: summary report, score table, dossier contents (achievement reports come on top).
BLOC_DOCUMENTS = 6
#: Conference trail: saved, attendance, committee, rules frozen, 3 per poll,
#: results confirmed, flag handed over.
CONFERENCE_EVENTS = 4 + 3 * POLLS + 2


def expected_counts(preset: Preset, groups: int, criteria_rows: int) -> dict[str, int]:
    """Rows per model label for ``preset``; ``groups`` and ``criteria_rows`` are the
    scoring template's group and criterion rows (parents included)."""
    p, m = preset, preset.members
    blocs = p.provinces * p.blocs
    years = blocs * p.years
    certificates = certificate_places(m)
    proposals = 1 + certificates
    periods = 2 if p.mid_year else 1
    sheets = years * m * periods
    candidates = m + (m - 1) + (m - 1) + (m - 1)
    return {
        "members.Province": p.provinces,
        "members.Agency": blocs * m,
        "members.User": p.provinces + 2 * blocs * m,
        "awards.ProvinceVotingDefaults": p.provinces,
        "blocs.Bloc": blocs,
        "blocs.BlocYear": years,
        "blocs.Membership": years * m,
        "blocs.StageChange": years * STAGE_CHANGES,
        "covenants.Covenant": years,
        "covenants.Commitment": years * COMMITMENTS,
        "covenants.Signature": years * m,
        "covenants.CovenantEvent": years * COVENANT_EVENTS,
        "covenants.ScoringTemplate": years,
        "covenants.ScoringGroup": years * groups,
        "covenants.ScoringCriterion": years * criteria_rows,
        "covenants.ScoringSettings": years,
        "covenants.RankingPublication": years,
        "covenants.ScoreSheet": sheets,
        "covenants.ScoreLine": sheets * p.criteria,
        # Year-end: submitted, review submitted, final, ranking published; mid-year: submitted.
        "covenants.ScoreEvent": years * m * (4 + (1 if p.mid_year else 0)),
        "covenants.MidYearReview": years,
        "covenants.Initiative": years * m * 2,
        "covenants.ScoringYearEvent": years,
        "awards.VotingRules": years,
        "awards.Conference": years,
        "awards.Attendance": years * m,
        "awards.CountingMember": years * min(COUNTING_MEMBERS, m - 2),
        "awards.ConferenceEvent": years * CONFERENCE_EVENTS,
        "awards.Poll": years * POLLS,
        "awards.PollCandidate": years * candidates,
        "awards.BallotParticipation": years * POLLS * m,
        "awards.AwardProposal": years * proposals,
        "awards.AchievementReport": years * proposals,
        "awards.ProposalDecision": years * proposals,
        "awards.FlagHandover": years,
        "members.RegisterEntry": years * (BLOC_DOCUMENTS + proposals),
        "members.IssuedDocument": years * (BLOC_DOCUMENTS + proposals),
    }
