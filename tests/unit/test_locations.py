"""lingkaran's per-user folders are where platformdirs puts them, without loading it at start-up."""

import sys

import platformdirs
import pytest

from lingkaran.store.locations import user_folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is worked out only on Linux")
@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/xdg"])
def test_the_folders_are_platformdirs_own(monkeypatch, xdg):
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(variable, raising=False) if xdg is None else monkeypatch.setenv(variable, xdg)
    assert user_folder("config") == platformdirs.user_config_path("lingkaran", appauthor=False)
    assert user_folder("data") == platformdirs.user_data_path("lingkaran", appauthor=False)
