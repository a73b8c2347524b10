"""Every user-facing word goes through this catalog (gettext, one catalog per language).

Message ids are the English text; `locale/<lang>/LC_MESSAGES/lingkaran.po` holds the translations and is
compiled to the `.mo` file read here. `N_` marks a string for translation where it is defined; `_` translates
it where it is shown, in the language chosen at start-up.
"""

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "lingkaran"
LANGUAGES = ("en", "id")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def choose_language(flag: str | None, env_lang: str | None, locale_vars: list[str | None]) -> str:
    """Pick the interface language: --lang, then LINGKARAN_LANG, then the locale, then English."""
    for candidate in (flag, env_lang):
        if candidate:
            return candidate.lower()[:2]
    for value in locale_vars:
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` (falls back to English text)."""
    global _translation, _language
    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def current_language() -> str:
    """The language `_()` translates into now."""
    return _language


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it yet."""
    return message
