"""Signing in through the directory (OpenLDAP, Active Directory) with ldap3.

The user is looked up with the search account (VSC_LDAP_BIND_DN), the typed user name escaped
into VSC_LDAP_USER_FILTER, then bound as with their own password. Their role comes from the
vscapp groups their entry's `memberOf` lists (direct membership; Active Directory's nested
groups are not followed). A member of several vscapp groups gets the first of ROLE_PRECEDENCE:
coordinator, then prevention officer, then police liaison.

No Flask here: every function takes the settings as a mapping (app.config).
"""

import logging
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ldap3 import ANONYMOUS, NONE, SIMPLE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from vscapp.vocabulary import Role

ROLE_PRECEDENCE = (Role.COORDINATOR, Role.OFFICER, Role.LIAISON)
MEMBER_OF = "memberOf"
log = logging.getLogger(__name__)


class DirectoryUnavailable(Exception):
    """The directory cannot be reached, or refuses the search account: nobody from the
    directory can sign in now (local accounts still can)."""


@dataclass(frozen=True)
class DirectoryUser:
    """A directory entry whose owner has just proved their password."""

    username: str
    dn: str
    email: str | None
    groups: tuple[str, ...] = field(default=())


def configured(config):
    return bool(config.get("LDAP_URL"))


def authenticate(config, username, password):
    """The entry of `username` if `password` is theirs, else None. An empty password is
    refused before anything is sent: a simple bind with a name and no password is an
    "unauthenticated bind" that many servers accept."""
    if not username or not password:
        return None
    with _search_connection(config) as conn:
        found = find_user(conn, config, username)
    if found is None or not _password_is_right(config, found.dn, password):
        return None
    return found


def find_user(conn, config, username):
    """The one entry the user filter matches for this user name, or None (none or several)."""
    attribute = config.get("LDAP_EMAIL_ATTRIBUTE") or "mail"
    ok = conn.search(config["LDAP_USER_BASE"], user_filter(config, username),
                     attributes=[attribute, MEMBER_OF], size_limit=2)
    if not ok and conn.result.get("result") not in (0, 4):  # 4: size limit exceeded
        raise DirectoryUnavailable(f"search failed: {conn.result.get('description')}")
    entries = conn.entries
    if len(entries) != 1:
        if entries:
            log.warning("the user filter matches several entries for %r: refused", username)
        return None
    entry = entries[0]
    return DirectoryUser(username, entry.entry_dn, _first(entry, attribute),
                         tuple(_values(entry, MEMBER_OF)))


def user_filter(config, username):
    """The configured filter with the user name in it, every special character escaped."""
    return config["LDAP_USER_FILTER"].replace("{username}", escape_filter_chars(username))


def role_for(config, groups):
    """The role the first vscapp group of ROLE_PRECEDENCE gives, or None (no vscapp group)."""
    member_of = {normalized_dn(group) for group in groups}
    for role in ROLE_PRECEDENCE:
        group = config.get(f"LDAP_GROUP_{role.name}")
        if group and normalized_dn(group) in member_of:
            return role
    return None


def normalized_dn(dn):
    """A DN compared the way directories do: names and values without case or spaces."""
    try:
        return tuple((name.lower(), value.lower()) for name, value, _ in parse_dn(dn, strip=True))
    except LDAPException:
        return (("", dn.strip().lower()),)


def _password_is_right(config, dn, password):
    with _connection(config, dn, password) as conn:
        return conn.bind()


@contextmanager
def _search_connection(config):
    """A connection bound with the search account (anonymously without one)."""
    with _connection(config, config.get("LDAP_BIND_DN"),
                     config.get("LDAP_BIND_PASSWORD")) as conn:
        if not conn.bind():
            log.error("the directory refuses the search account: %s",
                      conn.result.get("description"))
            raise DirectoryUnavailable("the directory refuses the search account")
        yield conn


@contextmanager
def _connection(config, user=None, password=None):
    """An open connection, not yet bound (start-TLS done first when asked), closed afterwards.
    Any failure to talk to the directory becomes DirectoryUnavailable."""
    conn = Connection(_server(config), user=user or None, password=password or None,
                      authentication=SIMPLE if user else ANONYMOUS, read_only=True,
                      raise_exceptions=False, receive_timeout=config.get("LDAP_TIMEOUT", 5))
    try:
        conn.open()
        if config.get("LDAP_START_TLS") and not conn.server.ssl and not conn.start_tls():
            raise DirectoryUnavailable(f"start-TLS failed: {conn.last_error}")
        yield conn
    except LDAPException as exc:
        raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _close(conn)


def _close(conn):
    """Unbind and close, whatever state a failure left the connection in."""
    with suppress(LDAPException):
        conn.unbind()
    if conn.socket is not None:  # ldap3 keeps the socket of a connection that failed
        conn.socket.close()


def _server(config):
    """The server the URL names (ldap3 itself trips over a trailing slash)."""
    url = urlsplit(config["LDAP_URL"])
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.get("LDAP_CA_FILE") or None)
    return Server(url.hostname, port=url.port, use_ssl=url.scheme == "ldaps", tls=tls,
                  get_info=NONE, connect_timeout=config.get("LDAP_TIMEOUT", 5))


def _values(entry, attribute):
    return list(entry[attribute].values) if attribute in entry else []


def _first(entry, attribute):
    values = _values(entry, attribute)
    return str(values[0]).strip().lower() if values else None
