"""Who is still due for the year-end dossier to the province (rule 26).

The dossier is the secretariat's task: once the year reaches SUBMITTED the
province has it. Years still scoring or in conference are due; earlier
stages are not yet concerned.

Messages are lazy so each reminder renders them in its recipient's language.
"""

from django.utils.translation import gettext_lazy as _

from blocs.deadlines import register_deadline_check
from blocs.models import DeadlineKind
from blocs.stages import Stage

_DUE_STAGES = frozenset({Stage.SCORING, Stage.CONFERENCE})


@register_deadline_check(DeadlineKind.DOSSIER)
def dossier_not_submitted(bloc_years):
    message = _("The proposals and dossier have not been submitted to the province yet.")
    return {by.pk: [(None, message)] for by in bloc_years if by.stage in _DUE_STAGES}
