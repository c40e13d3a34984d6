"""Signing in with a username and password: Django's model backend, which also loads the
signed-in user on every request.

The user is read with their agency and their board's province in the same query: the
navigation bar names the agency and links the board's province on every page, which
would otherwise cost one or two more queries per page (issue 9's query budgets).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

__all__ = ["UserBackend"]


class UserBackend(ModelBackend):
    def _users(self):
        return get_user_model()._default_manager.select_related("agency", "board_province")

    def get_user(self, user_id):
        try:
            user = self._users().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await self._users().aget(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
