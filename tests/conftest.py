"""Shared fixtures: a small diary project in a temp dir, rendered in-process (`render_project`: load_corpus →
render_all, the Markdown the plugin hands to MkDocs) or built for real by MkDocs in a subprocess (`run_build`, for
what only a build shows: strict mode, the theme, sanitised HTML, the search data), the sample site and the field-test
site built once per session, and headless Debian Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.corpus.load import load_corpus
from site_builder.diagnostics import Diagnostic
from site_builder.model import Corpus, Settings
from site_builder.render.pages import render_all
from site_builder.structure.related import related_for

REPO = Path(__file__).resolve().parents[1]
FIELDTEST = REPO.parent / "shared" / "fieldtest"
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


def january_entry(day: int, title: str, body: str, topics: str = "") -> str:
    """A minimal entry dated 2020-01-<day>, with English keys and optional topics (the cache tests' corpus)."""
    head = f"---\ndate: 2020-01-{day:02d}\ntitle: {title}\n" + (f"topics: [{topics}]\n" if topics else "")
    return head + "---\n" + body + "\n"


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


@dataclass
class Rendered:
    """A project as the plugin sees it: its corpus, its diagnostics, and every generated page as Markdown."""

    root: Path
    corpus: Corpus
    problems: list[Diagnostic]
    pages: dict[str, str]

    @property
    def errors(self) -> list[Diagnostic]:
        """What fails a strict build (the plugin logs errors as warnings) and makes `diary check` exit 1."""
        return [p for p in self.problems if p.is_error]

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


# a Markdown link, or an HTML block's <a href>: one pattern, so links come back in the order of the page
_LINK = re.compile(r"\[(?P<md_label>[^\]]*)\]\((?P<md>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
                   r"|<a\b[^>]*?\bhref=\"(?P<html>[^\"]+)\"[^>]*>(?P<html_label>.*?)</a>", re.S)


def labelled_links(page: str) -> list[tuple[str, str]]:
    """(label, target) of every link of a generated page, Markdown or HTML block, in page order; a target names the
    page's source (`x.md`): render_all writes HTML blocks with the final URLs (`x.html`), Markdown links to sources."""
    out = []
    for m in _LINK.finditer(page):
        label = m["md_label"] if m["md"] else re.sub(r"<[^>]+>", "", m["html_label"])
        path, sep, fragment = (m["md"] or m["html"]).partition("#")
        out.append((label, (path[:-len(".html")] + ".md" if path.endswith(".html") else path) + sep + fragment))
    return out


def links(page: str) -> list[str]:
    """The targets of `labelled_links`."""
    return [target for _, target in labelled_links(page)]


def render_project(root: Path, entries: dict[str, str | bytes]) -> Rendered:
    """`make_project` + `render_diaries`."""
    return render_diaries(make_project(root, entries))


def render_diaries(root: Path) -> Rendered:
    """What the plugin's on_files does with root/diaries, in-process: load_corpus, related cases, render_all."""
    settings = Settings(root / "diaries", root / ".cache" / "diary")
    corpus, problems = load_corpus(settings)
    return Rendered(root, corpus, problems, render_all(corpus, related=related_for(corpus, settings)))


def run_build(root: Path, *, strict: bool = True) -> Build:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")] + (["--strict"] if strict else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root, timeout=600)
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files load_corpus parses (not served from a cache) while a test runs."""
    import site_builder.corpus.load as load_module

    seen: list[str] = []
    real = load_module.load_file

    def counting(path: Path, *args: object) -> object:
        seen.append(path.name)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "load_file", counting)
    return seen


@pytest.fixture
def build_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _build(entries: dict[str, str | bytes], *, strict: bool = True) -> Build:
        return run_build(make_project(tmp_path / "project", entries), strict=strict)

    return _build


@pytest.fixture
def render(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _render(entries: dict[str, str | bytes]) -> Rendered:
        return render_project(tmp_path / "project", entries)

    return _render


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


def _projects_built_together(root: Path, parts: list[dict[str, str | bytes]], *, strict: bool) -> Build:
    """Several small projects' entries in one project, built once (each keeps its own file names)."""
    entries = {rel: text for part in parts for rel, text in part.items()}
    assert len(entries) == sum(map(len, parts)), "each project keeps its own file names"
    build = run_build(make_project(root, entries), strict=strict)
    if strict:
        assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def strict_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One strict build of three small projects that assert on different pages: test_site_build's thread (THREAD:
    its entry pages, the navigation, the head) and the markup typed where a name goes, each in its own entry file
    (MARKUP_ENTRY): test_intake's title, community and thread, test_communities' title and community. A page they
    share (lists, stats, community pages) must keep every markup text."""
    import test_communities
    import test_intake
    import test_site_build

    return _projects_built_together(tmp_path_factory.mktemp("strict") / "p", [
        test_site_build.THREAD, test_intake.MARKUP_ENTRY, test_communities.MARKUP_ENTRY], strict=True)


@pytest.fixture(scope="session")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One strict build of the two small projects Chromium reads from file:// (each test opens its own entries' pages
    and searches for their words): test_offline_browser's thread and test_script_switch's Traditional and
    Simplified entries (ENTRIES of each)."""
    import test_offline_browser
    import test_script_switch

    return _projects_built_together(tmp_path_factory.mktemp("browser") / "p",
                                    [test_offline_browser.ENTRIES, test_script_switch.ENTRIES], strict=True)


@pytest.fixture(scope="session")
def lenient_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One normal (not strict) build of two small projects that assert on different pages and messages:
    test_notes' teaching notes (NOTES_FILES, one entry held back for a phone number in its notes) and test_intake's
    doubtful visibilities (VISIBILITY_FILES: each must stay private, and its secret off every page)."""
    import test_intake
    import test_notes

    return _projects_built_together(tmp_path_factory.mktemp("lenient") / "p",
                                    [test_notes.NOTES_FILES, test_intake.VISIBILITY_FILES], strict=False)


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, list[Diagnostic]]:
    """The repository's sample diaries as load_corpus reads them (no suggestions), read once per session for the
    tests that compare a build of them with what was read (the corpus is frozen; no test changes either part)."""
    return load_corpus(Settings(REPO / "diaries", tmp_path_factory.mktemp("sample-corpus") / "cache"), suggest=False)


@pytest.fixture(scope="session")
def field_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """../shared/fieldtest's diaries, written by secretaries who never saw our code, built unchanged with our taxonomy
    (not strict, once per session: test_fieldtest.py reads its pages, test_search_browser.py searches it)."""
    assert FIELDTEST.is_dir(), f"{FIELDTEST} is missing: the field-test set is part of the checkout's shared/ folder"
    root = make_project(tmp_path_factory.mktemp("fieldtest"), {})
    for f in (FIELDTEST / "diaries").iterdir():
        shutil.copy(f, root / "diaries" / f.name)
    return run_build(root, strict=False)


@pytest.fixture(scope="session", autouse=True)
def jieba_dictionary_read_once() -> Iterator[None]:
    """jieba's own dictionary (500,000 words, the same file for every project) is unmarshalled once per test process.

    Each analyzer loads it into a new Tokenizer (text/segment.py), which costs about a second; about a hundred tests
    make their own project and so their own analyzer, and spent more than a minute of the suite re-reading that file.
    Every Tokenizer still gets its own copy (the project's words are added to it); the project-specific part — user
    words, the cache folder — is untouched. Builds in a subprocess load it as users' builds do.
    """
    import jieba

    real = jieba.Tokenizer.initialize
    base: dict[str, tuple[dict[str, int], int]] = {}

    def initialize(self: jieba.Tokenizer, dictionary: str | None = None) -> None:
        if dictionary is not None or self.initialized or self.dictionary != jieba.DEFAULT_DICT:
            real(self, dictionary)
            return
        if "default" not in base:
            real(self)
            base["default"] = (dict(self.FREQ), self.total)
        freq, total = base["default"]
        self.FREQ, self.total, self.initialized = dict(freq), total, True

    jieba.Tokenizer.initialize = initialize  # type: ignore[method-assign]
    yield
    jieba.Tokenizer.initialize = real  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def jieba_nouns_read_once() -> Iterator[None]:
    """The single-character nouns of jieba's dictionary (segment.noun_characters: the same file for every project)
    are found once per test process for the analyzers: each new Analyzer reads and scans that 5 MB file again
    (about 40 ms), and the suite makes a few hundred. test_analyzer calls the function itself."""
    from site_builder.text import analyzer, segment

    nouns = segment.noun_characters()  # a tuple: no analyzer can change another's
    with pytest.MonkeyPatch.context() as m:
        m.setattr(analyzer, "noun_characters", lambda: nouns)
        yield


@pytest.fixture(scope="session", autouse=True)
def taxonomy_yaml_parsed_once() -> Iterator[None]:
    """Each taxonomy file text (topics.yml, methods.yml, glossary.yml) is parsed once per test process.

    PyYAML's pure-Python safe_load takes about a tenth of a second for the repository's topics.yml, which
    make_project copies into every project, and load_taxonomy runs in every load_corpus, `diary` command and new
    analyzer: hundreds of times in the suite (five of its modules alone parsed 223 times, 9 s). Every call gets a
    copy of its own (no caller can change another's data); a text not seen before, and every text that does not
    parse, goes to PyYAML as before. Builds in a subprocess parse as users' builds do.
    """
    import copy
    import types

    import yaml

    from site_builder.corpus import taxonomy

    parsed: dict[str, object] = {}

    def safe_load(text: str) -> object:
        if text not in parsed:
            parsed[text] = yaml.safe_load(text)  # raises for a text that does not parse: nothing is kept
        return copy.deepcopy(parsed[text])

    with pytest.MonkeyPatch.context() as m:
        # the module's `yaml` (it calls yaml.safe_load and catches yaml.YAMLError), for taxonomy.py only
        m.setattr(taxonomy, "yaml", types.SimpleNamespace(safe_load=safe_load, YAMLError=yaml.YAMLError))
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless. Missing Chromium is a failure, not a skip: `make test` installs it."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
