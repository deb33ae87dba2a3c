"""Infusion & Injection Administration claim edits (MP-PY-1771) for dbt."""

__version__ = "0.1.0"
