"""The client's address for the login throttle (django-axes).

Behind nginx every request comes from the proxy, so REMOTE_ADDR would put every
user in one bucket: a few wrong passwords from anyone would lock a username out
for the whole province. The proxy writes the real address into a header of its
own (``proxy_set_header X-Real-IP $remote_addr``, docs/deployment.md), replacing
whatever the client sent; ``CLIENT_IP_HEADER`` names it. Trusting it is only
safe when nothing but the proxy reaches the application server, the same
assumption as SECURE_PROXY_SSL_HEADER, so it is empty (REMOTE_ADDR) unless set.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    header = settings.CLIENT_IP_HEADER
    if header:
        address = request.headers.get(header, "").strip()
        if address:
            return address
    return request.META.get("REMOTE_ADDR")
