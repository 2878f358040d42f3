"""Shared fixtures: a real MkDocs build of a small diary project in a temp dir, and headless Debian Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MKDOCS_YML = """site_name: 测试百科
use_directory_urls: false
theme:
  name: material
  language: zh
  font: false
  features: [navigation.prune]
plugins:
  - diary
"""


@dataclass
class Build:
    root: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def make_project(root: Path, entries: dict[str, str | bytes], *, taxonomy: bool = True) -> Path:
    """A project folder with mkdocs.yml, the repo's taxonomy files and the given diary files."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    diaries = root / "diaries"
    diaries.mkdir(exist_ok=True)
    if taxonomy:
        for name in ("topics.yml", "methods.yml", "userdict.txt"):
            shutil.copy(REPO / "diaries" / name, diaries / name)
    for rel, content in entries.items():
        path = diaries / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_build(root: Path, *, strict: bool = True) -> Build:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")] + (["--strict"] if strict else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root, timeout=600)
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def build_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _build(entries: dict[str, str | bytes], *, strict: bool = True) -> Build:
        return run_build(make_project(tmp_path / "project", entries), strict=strict)

    return _build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's own sample diaries, built once per test session (strict)."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "diaries", root / "diaries")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, strict=True)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless. Missing Chromium is a failure, not a skip: `make test` installs it."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
