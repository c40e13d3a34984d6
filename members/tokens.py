"""One-time links for invitations.

An invitation link is a password-reset token with its own salt: it expires
after ``PASSWORD_RESET_TIMEOUT`` and stops working as soon as the person sets
a password (the token hashes the password and the last login), so it is
single use without storing anything.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members.tokens.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()
