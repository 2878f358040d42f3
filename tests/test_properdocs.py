"""The site outlives Material 9 / MkDocs 1.6: ProperDocs (the maintained MkDocs 1.6 fork) builds the same site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Build

from site_builder.diagnostics import Diagnostic
from site_builder.model import Corpus

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def _pages(site: Path) -> dict[str, tuple[str, str]]:
    """Every HTML page with its title and its article (the part our plugin makes), minus MkDocs' build stamps."""
    pages = {}
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        title = _TITLE.search(html)
        article = _ARTICLE.search(html)
        pages[path.relative_to(site).as_posix()] = (title.group(1) if title else "",
                                                    article.group(1) if article else "")
    return pages


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory, sample_corpus: tuple[Corpus, list[Diagnostic]]) -> Path:
    root = tmp_path_factory.mktemp("properdocs")
    shutil.copytree(REPO / "diaries", root / "diaries")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    proc = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=root, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    published = len(sample_corpus[0].entries)
    assert f"发布了 {published} 篇日记" in proc.stderr, "our plugin ran under ProperDocs and said so in Chinese"
    return root / "site"


def test_properdocs_builds_the_same_pages_as_mkdocs(sample_site: Build, properdocs_site: Path) -> None:
    ours, theirs = _pages(sample_site.site), _pages(properdocs_site)
    assert sum(1 for _title, article in ours.values() if article.strip()) > 500, "the comparison sees page content"
    assert sorted(ours) == sorted(theirs)
    differing = [rel for rel in ours if ours[rel] != theirs[rel]]
    assert not differing, f"pages whose title or content differ under ProperDocs: {differing[:10]}"
    data = sorted(p.relative_to(sample_site.site) for p in (sample_site.site / "search-data").rglob("*") if p.is_file())
    assert data, "the sample site has search data"
    for rel in data:
        assert (properdocs_site / rel).read_bytes() == (sample_site.site / rel).read_bytes(), rel
