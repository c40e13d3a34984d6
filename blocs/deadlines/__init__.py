"""Deadlines and reminders: the registry of who is still due for each task.

``blocs`` cannot import covenants or awards (they depend on it), so the apps
that own a task register a *checker* for its deadline kind at ready time, as
they register stage guards. A checker takes bloc-years and returns, per
bloc-year id, who is still due: a list of ``(agency or None, message)``,
where None means the bloc's own task (the secretariat's). Checkers take
several bloc-years at once so the province dashboard costs a fixed number of
queries however many blocs there are; :func:`pending_items` is the
one-bloc-year form.
"""

from collections.abc import Callable, Sequence

from ..models_deadlines import DeadlineKind

PendingItem = tuple[object | None, str]
Checker = Callable[[Sequence[object]], dict[int, list[PendingItem]]]

_CHECKERS: dict[str, list[Checker]] = {}


def register_deadline_check(kind: str) -> Callable[[Checker], Checker]:
    """Attach a checker to a deadline kind (used from ``AppConfig.ready``)."""
    if kind not in DeadlineKind.values:
        raise ValueError(f"Unknown deadline kind: {kind!r}")

    def decorator(checker: Checker) -> Checker:
        checkers = _CHECKERS.setdefault(kind, [])
        if checker not in checkers:
            checkers.append(checker)
        return checker

    return decorator


def checkers_for(kind: str) -> list[Checker]:
    return list(_CHECKERS.get(kind, ()))


def pending_many(kind: str, bloc_years: Sequence) -> dict[int, list[PendingItem]]:
    """Who is still due for ``kind`` in each bloc-year (absent: nobody)."""
    result: dict[int, list[PendingItem]] = {}
    if not bloc_years:
        return result
    for checker in checkers_for(kind):
        for bloc_year_id, items in checker(bloc_years).items():
            if items:
                result.setdefault(bloc_year_id, []).extend(items)
    return result


def pending_items(bloc_year, kind: str) -> list[PendingItem]:
    return pending_many(kind, [bloc_year]).get(bloc_year.pk, [])
