"""Fail when a tracked SQL or YAML file has a line over 80 characters.

SQLFluff checks models, tests and analyses; this also covers macros, seeds'
YAML and the project files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIMIT = 80
PATTERNS = ("*.sql", "*.yml", "*.yaml")


def tracked_files(root: Path) -> list[Path]:
    """SQL and YAML files git tracks (or, outside git, finds) under root."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", *PATTERNS],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return [root / name for name in listed]
    except (OSError, subprocess.CalledProcessError):
        return sorted(
            path
            for pattern in PATTERNS
            for path in root.rglob(pattern)
            if ".venv" not in path.parts and "target" not in path.parts
        )


def long_lines(path: Path) -> list[str]:
    """One message per line of the file that is over the limit."""
    text = path.read_text(encoding="utf-8")
    return [
        f"{path}:{number}: {len(line)} characters"
        for number, line in enumerate(text.splitlines(), start=1)
        if len(line) > LIMIT
    ]


def main() -> int:
    """Print every long line; exit 1 when there is one."""
    root = Path(__file__).resolve().parent.parent
    problems = [msg for path in tracked_files(root) for msg in long_lines(path)]
    for message in problems:
        print(message)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
