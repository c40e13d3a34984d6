"""Keys change on import: the archive's keys → this database's, including the few that are
stored inside values rather than in foreign keys.

Two values carry keys of other rows and are rewritten with the foreign keys:

- a closed poll's ``outcome`` (:func:`awards.counting.outcome_json`) names agencies by id
  (``elected``, ``next_round``, each result's ``agency_id``);
- a register line's ``key`` names the bloc-year and, for an achievement report, the
  proposal (``blocyear:<id>:<name>``, ``blocyear:<id>:achievement:<proposal id>``;
  :func:`covenants.issuing.bloc_document_key`, :func:`awards.issued.issue_achievement`).
"""

from __future__ import annotations

import re

from .archive import ArchiveInvalid

__all__ = ["VALUE_REFERENCES", "VALUE_REWRITES", "IdMap", "ordered_by_self_reference"]


class IdMap:
    """Per model (``app.model``, lower case): archive key → key here."""

    def __init__(self):
        self._map: dict[str, dict[str, object]] = {}

    def add(self, label: str, old, new) -> None:
        self._map.setdefault(label, {})[str(old)] = new

    def get(self, label: str, old):
        try:
            return self._map[label][str(old)]
        except KeyError:
            raise ArchiveInvalid(
                f"data.json: a row points to {label} {old}, which the archive does not hold."
            ) from None

    def count(self, label: str) -> int:
        return len(self._map.get(label, {}))


def ordered_by_self_reference(model, records: list[dict]) -> list[dict]:
    """``records`` with every row after the row of the same model it points to (a
    sub-criterion after its criterion, an agency after its successor)."""
    own = [
        f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is model
    ]
    if not own:
        return list(records)
    by_pk = {str(record.get("pk")): record for record in records}
    placed: set[str] = set()
    ordered: list[dict] = []

    def place(record, path=()):
        pk = str(record.get("pk"))
        if pk in placed:
            return
        if pk in path:
            raise ArchiveInvalid(f"data.json: {model._meta.label_lower} rows point in a circle.")
        for name in own:
            target = (record.get("fields") or {}).get(name)
            if target is not None and str(target) in by_pk:
                place(by_pk[str(target)], (*path, pk))
        placed.add(pk)
        ordered.append(record)

    for record in records:
        place(record)
    return ordered


def _outcome_agencies(value) -> list:
    """The agency ids a poll's outcome names (the export adds them to the references)."""
    if not isinstance(value, dict):
        return []
    ids = [*(value.get("elected") or []), *(value.get("next_round") or [])]
    ids += [r["agency_id"] for r in value.get("results") or [] if isinstance(r, dict)]
    return [pk for pk in ids if pk is not None]


def _poll_outcome(value, ids: IdMap):
    if not isinstance(value, dict):
        return value

    def agency(old):
        return ids.get("members.agency", old)

    value = dict(value)
    for name in ("elected", "next_round"):
        if isinstance(value.get(name), list):
            value[name] = [agency(old) for old in value[name]]
    if isinstance(value.get("results"), list):
        value["results"] = [
            {**result, "agency_id": agency(result["agency_id"])}
            if isinstance(result, dict) and result.get("agency_id") is not None
            else result
            for result in value["results"]
        ]
    return value


_REGISTER_KEY = re.compile(r"^blocyear:(?P<year>\d+):(?P<rest>.*)$", re.DOTALL)
_ACHIEVEMENT = re.compile(r"^achievement:(?P<proposal>\d+)$")


def _register_key(value, ids: IdMap):
    match = _REGISTER_KEY.match(value or "")
    if match is None:
        raise ArchiveInvalid(f"data.json: register key {value!r} does not name a bloc-year.")
    rest = match["rest"]
    if achievement := _ACHIEVEMENT.match(rest):
        rest = f"achievement:{ids.get('awards.awardproposal', achievement['proposal'])}"
    return f"blocyear:{ids.get('blocs.blocyear', match['year'])}:{rest}"


#: (model, field) → (shared model, function(value) → the keys of it the value names).
VALUE_REFERENCES = {("awards.poll", "outcome"): ("members.agency", _outcome_agencies)}

#: (model, field) → function(value, ids) giving the value with this database's keys.
VALUE_REWRITES = {
    ("awards.poll", "outcome"): _poll_outcome,
    ("members.registerentry", "key"): _register_key,
}
