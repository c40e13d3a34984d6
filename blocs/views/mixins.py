from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .. import permissions, selectors


class BlocYearMixin(LoginRequiredMixin):
    """Loads the bloc-year from the URL and checks the user may see it.

    Subclasses narrow the check with ``permission`` (a predicate taking the
    user and the bloc-year).
    """

    permission = staticmethod(permissions.can_view_bloc_year)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.bloc_year = selectors.bloc_year_detail(bloc_id=kwargs["pk"], year=kwargs["year"])
        if not self.permission(request.user, self.bloc_year):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("bloc_year", self.bloc_year)
        kwargs.setdefault("bloc", self.bloc_year.bloc)
        return super().get_context_data(**kwargs)


def add_service_error(form, exc):
    """Put a service's ValidationError next to the fields it names.

    Errors about fields the form does not show (or about the whole object)
    go to the form's top, so nothing the user typed is lost.
    """
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
