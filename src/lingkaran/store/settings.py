"""User preferences in a small JSON file (not in the caseload: they belong to the person, not the data).

Location: $LINGKARAN_CONFIG, else the platform's user config folder (~/.config/lingkaran/config.json).
"""

import json
import os
from pathlib import Path

from lingkaran.errors import InvalidInput
from lingkaran.messages import N_, _

# key: (description, validator) — every setting lingkaran knows; nothing else can be stored.
SETTINGS = {
    "worker": N_("Your name: the default --worker of open and --by of intervene."),
    "lang": N_("Interface language: en or id."),
    "no_contact_days": N_("Days without contact before the dashboard flags a case (default 30)."),
    "retention_years": N_("Years a closed case is kept before `retention` lists it for erasure (default 5)."),
    "agency": N_("Your agency's name, printed at the head of the papers `paper` writes."),
    "hub": N_("The agency hub's PostgreSQL URL, for `sync` and `hub` (no password in it: use a password file)."),
}
DEFAULTS = {"no_contact_days": 30, "retention_years": 5}


def config_path() -> Path:
    """The preferences file this run uses."""
    if os.environ.get("LINGKARAN_CONFIG"):
        return Path(os.environ["LINGKARAN_CONFIG"]).expanduser()
    from lingkaran.store.locations import user_folder

    return user_folder("config") / "config.json"


def load() -> dict:
    """All stored settings as written, unchecked: an empty dict when there is no file.

    A file that exists but is not a JSON object (a syntax error, a list, bytes that are not UTF-8, no permission
    to read it) is refused, never taken for "no settings": a lost `retention_years` would erase with the default,
    and `config set` would write over what the person wrote. Values are checked by `get`, not here, so that
    `config set`/`unset` can repair a bad value.
    """
    path = config_path()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    except ValueError as error:  # json.JSONDecodeError and UnicodeDecodeError
        raise _unreadable(path, str(error).splitlines()[0]) from None
    except RecursionError:  # nested ~1,000 deep: Python's parser recurses once per level
        raise _unreadable(path, _("it is nested too deeply")) from None
    if not isinstance(stored, dict):
        raise _unreadable(path, _("it holds {kind}, not an object {{...}}").format(kind=type(stored).__name__))
    return stored


def _unreadable(path: Path, reason: str) -> InvalidInput:
    return InvalidInput(
        _(
            "cannot read the settings file {path} ({reason}); nothing was changed: fix it, or "
            "remove it to start from the defaults"
        ).format(path=path, reason=reason)
    )


def get(key: str):
    """One setting (checked with the rules of `config set`), or its default, or None.

    A hand-edited value those rules refuse stops the command that needs it: one line naming the key and the file.
    """
    stored = load()
    if key not in stored:
        return DEFAULTS.get(key)
    try:
        return checked(key, stored[key])
    except InvalidInput as problem:
        raise InvalidInput(
            _(
                "{problem} in {path}; fix it with `lingkaran config set {key} VALUE` or `lingkaran config unset {key}`"
            ).format(problem=problem.message, path=config_path(), key=key)
        ) from None


def checked(key: str, value: object) -> object:
    """A value read from the file, checked like the same value typed for `config set` (numbers may be written
    as JSON numbers or as text; names and the language only as text)."""
    if key not in DEFAULTS and not isinstance(value, str):
        raise InvalidInput(_("{key} must be text, not {value}").format(key=key, value=json.dumps(value)))
    return validate(key, value if isinstance(value, str) else json.dumps(value))


def validate(key: str, value: str) -> object:
    """Check a value typed for `key` and return it in its stored form."""
    if key not in SETTINGS:
        raise InvalidInput(_("unknown setting {key!r}; settings: {known}").format(key=key, known=", ".join(SETTINGS)))
    if key == "lang":
        if value.lower() not in ("en", "id"):
            raise InvalidInput(_("lang must be en or id, not {value!r}").format(value=value))
        return value.lower()
    if key in ("no_contact_days", "retention_years"):
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 1000:
            raise InvalidInput(
                _("{key} must be a whole number from 1 to 1000, not {value!r}").format(key=key, value=value)
            )
        return int(value)
    if key == "hub":
        from lingkaran.store.hub.url import checked_url

        return checked_url(value)
    from lingkaran.domain.parse import clean_text

    # The rule of every text flag (--worker, --by...): no control characters but newline and tab, not empty.
    return clean_text(value, key, required=True)


def save(settings: dict) -> None:
    """Write the settings file privately (0600, folder 0700), replacing it atomically."""
    path = config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(settings, file, ensure_ascii=False, indent=2)
    os.replace(temporary, path)
