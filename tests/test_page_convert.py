"""The cheap page path (issue #14.1) gives the same pages as the plain one.

- Entry, topic and list pages are converted from their parts (pages.RenderedPage: Markdown, HTML blocks, Markdown …)
  with the HTML blocks stashed unparsed (render/convert.py): that must give the HTML their whole Markdown gives.
- Those HTML blocks carry final URLs, which MkDocs no longer checks: every link a generated page makes, Markdown or
  HTML, must reach a page the renderer makes, for both `use_directory_urls` settings.
- Material's nav and script tags are rendered once per folder (render/fragments.py): a build with that cache and one
  without must write the same bytes.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from functools import cache
from pathlib import Path

import markdown
import pytest
from conftest import REPO, make_project
from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder import paths
from site_builder.corpus.load import load_corpus
from site_builder.model import Corpus, Settings
from site_builder.render.convert import PageConverter
from site_builder.render.fragments import FragmentCache
from site_builder.render.pages import RenderedPage, render_site
from site_builder.structure.related import related_for

EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]  # the project's mkdocs.yml
CONFIGS = {"toc": {"permalink": False}}


@cache
def _sample(tmp: Path) -> tuple[Corpus, Settings]:
    settings = Settings(diaries_dir=REPO / "diaries", cache_dir=tmp / "cache")
    corpus, _ = load_corpus(settings)
    return corpus, settings


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Settings]:
    return _sample(tmp_path_factory.mktemp("convert"))


# per `use_directory_urls`: the sample they were rendered from (held, so it is the same object) and its pages
_SITES: dict[bool, tuple[tuple[Corpus, Settings], dict[str, RenderedPage]]] = {}


def _site(sample: tuple[Corpus, Settings], directory_urls: bool) -> dict[str, RenderedPage]:
    """The sample's pages, rendered once per setting: two tests read the `use_directory_urls: false` ones and
    neither changes them."""
    if directory_urls not in _SITES or _SITES[directory_urls][0] is not sample:
        corpus, settings = sample
        _SITES[directory_urls] = (sample, render_site(corpus, related=related_for(corpus, settings),
                                                      directory_urls=directory_urls))
    return _SITES[directory_urls][1]


def test_parts_convert_to_what_the_whole_markdown_gives(sample: tuple[Corpus, Settings]) -> None:
    pages = _site(sample, False)
    prepared = {src: p for src, p in pages.items() if p.parts}
    # every entry page is prepared, so are the topic and year lists; cards, notes, threads and related cases are there
    assert len(sample[0].entries) > 400 and all(paths.entry(e.id) in prepared for e in sample[0].entries)
    assert "years/index.md" in prepared and any(src.startswith("topics/") for src in prepared)
    joined = "".join(p.markdown for p in prepared.values())
    for marker in ("diary-card", "diary-notes", "diary-thread", "diary-related", "diary-suggested"):
        assert f'class="{marker}' in joined, marker
    converter = PageConverter(EXTENSIONS, CONFIGS)
    for src, page in prepared.items():
        assert "\x1e" not in page.markdown and not any("\x1e" in part for part in page.parts), src
        plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
        expected = plain.convert(page.markdown)
        got, toc = converter.convert(page.parts)
        assert re.sub(r"\s+", " ", got) == re.sub(r"\s+", " ", expected), src
        assert toc == plain.toc_tokens, src  # type: ignore[attr-defined]


def test_a_body_cannot_reach_into_the_stash(sample: tuple[Corpus, Settings]) -> None:
    """A diary body that imitates the converter's part tokens (it cannot know the random one) or python-markdown's
    placeholders stays text."""
    converter = PageConverter(EXTENSIONS, CONFIGS)
    body = "diary-part-0000000000000000-1\n\n\x02wzxhzdk:0\x03 diary-part-0000000000000000-1"
    html, _ = converter.convert(("# t\n\n", "<p>chrome</p>", body))
    assert html.count("<p>chrome</p>") == 1
    assert "diary-part-0000000000000000-1" in html


_MD_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HREF = re.compile(r'href="([^"]+)"')


@pytest.mark.parametrize("directory_urls", [False, True])
def test_every_generated_link_reaches_a_generated_page(sample: tuple[Corpus, Settings], directory_urls: bool) -> None:
    pages = _site(sample, directory_urls)
    urls = {paths.url(src, directory_urls): src for src in pages}
    checked = 0
    for src, page in pages.items():
        here = paths.url(src, directory_urls)
        base = here.rpartition("/")[0] if not here.endswith("/") else here.rstrip("/")
        html_parts = page.parts[1::2]
        for part in html_parts:
            for target in _HREF.findall(part):
                if target.startswith(("http:", "https:", "#")):
                    continue
                resolved = posixpath.normpath(posixpath.join(base, target.split("#")[0]))
                resolved = "./" if resolved == "." else resolved + ("/" if target.endswith("/") else "")
                assert resolved in urls, (src, target)
                checked += 1
        # Markdown links (MkDocs checks them too; these are the ones a template wrote)
        for target in _MD_LINK.findall(page.markdown):
            path = target.split("#")[0]
            if not path.endswith(".md"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
            assert resolved in pages or (REPO / "docs" / resolved).exists(), (src, target)
            checked += 1
    assert checked > 5 * len(sample[0].entries)


def _build(root: Path, *, fragments: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    with monkeypatch.context() as m:
        if not fragments:
            m.setattr(FragmentCache, "install", lambda self, env: None)
        build(load_config(str(root / "mkdocs.yml")))
    site = root / "site"
    out = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")}
    shutil.rmtree(site)
    return out


@pytest.mark.parametrize("directory_urls", [False, True])
def test_fragment_cache_changes_no_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    entries = {}
    for i, (day, topic) in enumerate([("03-01", "物业"), ("03-09", "物业"), ("04-02", "为老服务"), ("05-06", "物业")]):
        entries[f"2024/2024-{day}.md"] = (f"---\ndate: 2024-{day}\ntitle: 第{i}篇 楼道灯坏了\ntopics: [{topic}]\n"
                                          f"case: 楼道灯\n---\n\n【情况】三楼的灯坏了。\n\n【做法】找物业修。\n")
    root = make_project(tmp_path / "p", entries)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "use_directory_urls: false", f"use_directory_urls: {str(directory_urls).lower()}"), encoding="utf-8")
    monkeypatch.chdir(root)
    cached = _build(root, fragments=True, monkeypatch=monkeypatch)
    plain = _build(root, fragments=False, monkeypatch=monkeypatch)
    assert len(cached) > 10 and any(k.startswith("entries") for k in cached)
    assert cached.keys() == plain.keys()
    for name in cached:
        assert cached[name] == plain[name], name
