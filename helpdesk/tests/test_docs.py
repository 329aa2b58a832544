"""The README stays true to the code: every environment variable the settings read is documented."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _env_names() -> set[str]:
    source = (ROOT / "helpdesk" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))


def test_every_environment_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in _env_names() if f"`{name}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"


def test_readme_opens_with_the_two_commands():
    head = "\n".join((ROOT / "README.md").read_text().splitlines()[:15])
    assert "make run" in head and "make test" in head
