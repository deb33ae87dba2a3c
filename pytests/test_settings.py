"""Vars are checked before dbt runs: known names, right kinds."""

from __future__ import annotations

import pytest

from infusion_edits import cli
from infusion_edits.cli import PROJECT_DIR
from infusion_edits.settings import (
    SettingsError,
    project_defaults,
    validate_vars,
)

DEFAULTS = project_defaults(PROJECT_DIR)


def test_a_misspelled_var_is_refused_with_the_known_names() -> None:
    typo = r"Unknown var\(s\) apply_policy_to_all_date\. Known vars: "
    with pytest.raises(SettingsError, match=typo):
        validate_vars({"apply_policy_to_all_date": True}, DEFAULTS)


def test_a_list_var_given_as_a_number_is_refused() -> None:
    with pytest.raises(SettingsError, match="must be a list"):
        validate_vars({"em_unbundling_modifiers": 25}, DEFAULTS)


def test_list_items_become_text() -> None:
    checked = validate_vars({"em_unbundling_modifiers": [25]}, DEFAULTS)
    assert checked == {"em_unbundling_modifiers": ["25"]}


def test_a_flag_must_be_boolean() -> None:
    with pytest.raises(SettingsError, match="true or false"):
        validate_vars({"apply_policy_to_all_dates": "maybe"}, DEFAULTS)


def test_plan_names_with_quotes_and_semicolons_are_kept_as_text() -> None:
    plans = ["O'Brien; drop table x", "WI Marketplace Silver"]
    checked = validate_vars({"in_scope_plans": plans}, DEFAULTS)
    assert checked["in_scope_plans"] == plans


def test_schema_and_timestamp_vars_are_checked() -> None:
    with pytest.raises(SettingsError, match="plain name"):
        validate_vars({"input_schema": "raw; drop"}, DEFAULTS)
    with pytest.raises(SettingsError, match="run_started_at"):
        validate_vars({"run_started_at": "yesterday"}, DEFAULTS)


def test_the_fingerprint_changes_with_an_engine_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A daily run must not add to decisions (and key hashes) made by
    another DuckDB or dbt version: the fingerprint holds their versions."""
    before = cli.fingerprint({})
    assert cli.fingerprint({}) == before
    installed = cli.engine_versions()
    monkeypatch.setattr(
        cli, "engine_versions", lambda: {**installed, "duckdb": "0.0.1"}
    )
    assert cli.fingerprint({}) != before
