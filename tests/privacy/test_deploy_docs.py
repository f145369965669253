import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_of_the_settings_is_documented():
    settings = (ROOT / "negotiator" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ(?:\.get)?\(|environ\[|env_bool\(|env_list\()"([A-Z_]+)"', settings))
    assert {"DATABASE_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS"} <= read
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "deploy.md").read_text(), re.MULTILINE))
    assert read - documented == set(), "add these to the table in docs/deploy.md"
