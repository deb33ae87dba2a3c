"""The Spark loader opens the same warehouse and metastore as dbt.

Skipped without pyspark (it is installed by scripts/spark_leg.sh, which
runs these tests).
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
import yaml

spark_loader = pytest.importorskip("infusion_edits.spark_loader")

ROOT = Path(__file__).resolve().parents[1]


def profile_settings(environ: dict[str, str]) -> dict[str, str]:
    """server_side_parameters of the `spark` output, rendered as dbt
    would with the given environment."""
    profiles = yaml.safe_load((ROOT / "profiles.yml").read_text())
    output = profiles["infusion_edits"]["outputs"]["spark"]

    def env_var(name: str, default: str | None = None) -> str:
        value = environ.get(name, default)
        assert value is not None, f"{name} has no default"
        return value

    render = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {
        key: render.from_string(str(value)).render(env_var=env_var)
        for key, value in output["server_side_parameters"].items()
    }


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {
            "INFUSION_EDITS_THREADS": "1",
            "INFUSION_EDITS_SPARK_DRIVER_MEMORY": "1g",
            "INFUSION_EDITS_SPARK_SHUFFLE_PARTITIONS": "2",
            "INFUSION_EDITS_SPARK_WAREHOUSE": "/tmp/w",
            "INFUSION_EDITS_SPARK_METASTORE": "/tmp/m",
            "INFUSION_EDITS_SPARK_TMPDIR": "/tmp/t",
        },
    ],
)
def test_loader_settings_match_the_profile(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same keys and values as profiles.yml, defaults and overrides alike
    (dbt-spark adds spark.sql.ansi.enabled=false itself)."""
    for name in list(os.environ):
        if name.startswith("INFUSION_EDITS_"):
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    expected = profile_settings(environ)
    expected["spark.sql.ansi.enabled"] = "false"
    assert spark_loader.spark_settings() == expected


def test_settings_keep_spark_on_the_loopback_address() -> None:
    settings = spark_loader.spark_settings()
    assert settings["spark.driver.bindAddress"] == "127.0.0.1"
    assert settings["spark.driver.host"] == "127.0.0.1"
    assert settings["spark.ui.enabled"] == "false"
    assert settings["spark.master"].startswith("local[")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (Decimal("0.0000"), "0.0000"),
        (3, "3"),
        (dt.date(2026, 6, 1), "2026-06-01"),
        (dt.datetime(2026, 12, 1), "2026-12-01 00:00:00"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_csv_text(value: object, text: str) -> None:
    """Values are written as DuckDB and psql write them in CSV."""
    assert spark_loader.csv_text(value) == text
