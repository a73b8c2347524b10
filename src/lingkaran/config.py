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
}
DEFAULTS = {"no_contact_days": 30, "retention_years": 5}


def config_path() -> Path:
    """The preferences file this run uses."""
    if os.environ.get("LINGKARAN_CONFIG"):
        return Path(os.environ["LINGKARAN_CONFIG"]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("lingkaran", appauthor=False) / "config.json"


def load() -> dict:
    """All stored settings (an empty dict when there is no file or it cannot be read)."""
    try:
        stored = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def get(key: str):
    """One setting, or its default, or None."""
    return load().get(key, DEFAULTS.get(key))


def stored_number(key: str) -> int:
    """A number setting as stored: a hand-edited file may hold anything, so it is checked like `config set`."""
    value = get(key)
    try:
        return validate(key, str(value))
    except InvalidInput:
        raise InvalidInput(_("the {key} setting {value!r} is not a whole number from 1 to 1000; fix it with "
                             "`lingkaran config set {key} {default}`").format(
                                 key=key, value=value, default=DEFAULTS[key])) from None


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
            raise InvalidInput(_("{key} must be a whole number from 1 to 1000, not {value!r}").format(
                key=key, value=value))
        return int(value)
    if not value.strip():
        raise InvalidInput(_("{key} must not be empty").format(key=key))
    from lingkaran.values import encodable

    return encodable(value, key).strip()


def save(settings: dict) -> None:
    """Write the settings file privately (0600, folder 0700), replacing it atomically."""
    path = config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(settings, file, ensure_ascii=False, indent=2)
    os.replace(temporary, path)
