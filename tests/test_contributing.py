"""CONTRIBUTING's module table is how a newcomer finds their way: it must name every module, and only real ones."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "site_builder"
_NAME = re.compile(r"`([\w./-]+)`")


def _table_rows() -> list[tuple[list[str], list[str]]]:
    """(names in the module column, names in the holds column) for each row of the '## Modules' table."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("module", "---"):
            continue
        rows.append((_NAME.findall(cells[0]), _NAME.findall(" ".join(cells[1:]))))
    assert len(rows) > 10, "the module table was not found"
    return rows


def _documented() -> set[str]:
    """Module paths relative to site_builder/ that the table names (a package row's names are inside the package)."""
    found: set[str] = set()
    for modules, holds in _table_rows():
        packages = [m for m in modules if m.endswith("/")]
        found.update(m for m in modules if m.endswith(".py"))
        for name in holds:
            if not name.endswith(".py"):
                continue
            if "/" in name:
                found.add(name)
                continue
            inside = [p + name for p in packages if (PACKAGE / p / name).exists()]
            found.update(inside or [name])
    return found


def _modules() -> set[str]:
    return {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    }


def test_every_module_is_in_the_table() -> None:
    missing = sorted(_modules() - _documented())
    assert not missing, f"add these to CONTRIBUTING.md's module table: {missing}"


def test_the_table_names_only_real_modules() -> None:
    # a row may also name the benchmark or test that goes with a module
    elsewhere = [REPO / "benchmarks", REPO / "tests"]
    stale = sorted(m for m in _documented() if not any((d / m).exists() for d in (PACKAGE, *elsewhere)))
    assert not stale, f"CONTRIBUTING.md names modules that no longer exist: {stale}"
