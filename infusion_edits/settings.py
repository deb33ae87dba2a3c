"""Validation of the vars a run passes to dbt.

Every var must be one the project declares in dbt_project.yml, of the same
kind as its default: a list stays a list of plain values, a flag a boolean.
A typo or a wrong kind stops the run with one message instead of being
ignored or failing deep inside a model.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$")


class SettingsError(ValueError):
    """A var is unknown or of the wrong kind."""


def project_defaults(project_dir: Path) -> dict[str, object]:
    """The vars declared in dbt_project.yml with their defaults."""
    text = (project_dir / "dbt_project.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text).get("vars", {}))


def parse_vars(text: str) -> dict[str, object]:
    """Vars given as YAML or JSON; they must form a mapping."""
    try:
        value = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        raise SettingsError(
            f"--vars is not valid YAML or JSON: {error}"
        ) from error
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingsError(f"--vars must be a mapping, got: {text!r}")
    return {str(key): item for key, item in value.items()}


def check_list(name: str, value: object) -> list[str]:
    """A list of plain values, each kept as text."""
    if not isinstance(value, list):
        raise SettingsError(
            f'Var {name} must be a list, e.g. {name}: ["a", "b"]; got {value!r}'
        )
    for item in value:
        if isinstance(item, dict | list) or item is None:
            raise SettingsError(f"Var {name} holds {item!r}: use plain values")
    return [str(item) for item in value]


def check_flag(name: str, value: object) -> bool:
    """A boolean (true/false)."""
    if isinstance(value, bool):
        return value
    raise SettingsError(f"Var {name} must be true or false, got {value!r}")


def check_text(name: str, value: object) -> str:
    """A schema name or a timestamp, depending on the var."""
    text = str(value).strip()
    if name == "run_started_at" and not TIMESTAMP.match(text):
        raise SettingsError(
            f"Var run_started_at must be YYYY-MM-DD HH:MM:SS, got {text!r}"
        )
    if name != "run_started_at" and not IDENTIFIER.match(text):
        raise SettingsError(f"Var {name} must be a plain name, got {text!r}")
    return text


def validate_vars(
    given: dict[str, object], defaults: dict[str, object]
) -> dict[str, object]:
    """Checked copies of the given vars; unknown names are refused."""
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise SettingsError(
            f"Unknown var(s) {', '.join(unknown)}. Known vars: "
            f"{', '.join(sorted(defaults))} (see README.md#vars)."
        )
    checked: dict[str, object] = {}
    for name, value in given.items():
        default = defaults[name]
        if isinstance(default, list):
            checked[name] = check_list(name, value)
        elif isinstance(default, bool):
            checked[name] = check_flag(name, value)
        else:
            checked[name] = check_text(name, value)
    return checked
