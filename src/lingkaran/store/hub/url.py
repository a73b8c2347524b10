"""A hub's address (a libpq URL or key=value connection string), checked without loading psycopg."""

import re
from urllib.parse import parse_qs, urlsplit

from lingkaran.errors import InvalidInput
from lingkaran.messages import _

URL_SCHEMES = ("postgresql://", "postgres://")
PASSWORD_KEYWORD = re.compile(r"(?:^|\s)password\s*=", re.IGNORECASE)


def has_password(url: str) -> bool:
    """Whether the address carries a password itself (in the user part, a query parameter or a keyword)."""
    if url.startswith(URL_SCHEMES):
        parts = urlsplit(url)
        return parts.password is not None or "password" in {key.lower() for key in parse_qs(parts.query)}
    return PASSWORD_KEYWORD.search(url) is not None


def checked_url(url: str) -> str:
    """The address, stripped; refused when empty, on several lines, or holding a password."""
    url = url.strip()
    if not url or "\n" in url or not url.isprintable():
        raise InvalidInput(_("the hub address must be one line, a PostgreSQL URL or connection string"))
    if has_password(url):
        raise InvalidInput(
            _(
                "the hub address must not hold a password; keep it in a password file "
                "(~/.pgpass, or passfile= in the address) instead"
            )
        )
    return url
