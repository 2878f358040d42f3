"""One BuildCache owned by the plugin: while serving, every change shows up in the next build made through the same
cache object — an entry edited, an entry deleted, topics.yml changed, people.yml changed — and nothing else is
parsed again. Also: no module-level cache is left to outlive a build."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import jinja2
import pytest
from conftest import january_entry as entry
from conftest import make_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from site_builder import watching, workers
from site_builder.build_cache import BuildCache
from site_builder.corpus.load import load_corpus
from site_builder.model import Corpus, Settings
from site_builder.plugin import DiaryPlugin
from site_builder.tagging.classifier import TRAINING_MODULES
from site_builder.text import analyzer as analyzer_module

FILES: dict[str, str | bytes] = {
    "a.md": entry(2, "物业撤了", "物业公司撤场以后，楼道没人扫。", "wuye"),
    "b.md": entry(3, "楼上跑水", "三楼跑水淹了二楼，赶紧找人关阀门。", "weixiu"),
    "c.md": entry(4, "楼道堆物", "楼道里堆满了旧家具，物业不管。"),
    "d.md": entry(5, "看望老人", "下午去看刘凤霞，她腿脚不好。", "weilao"),
}


def touch_later(path: Path) -> None:
    """A stamp that differs from the last one even on a file system with coarse timestamps."""
    later = time.time() + 5
    os.utime(path, (later, later))


class Serving:
    """The plugin as `mkdocs serve` drives it: one config and plugin instance, a build after each save."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = load_config(str(root / "mkdocs.yml"))
        self.config.plugins.on_startup(command="serve", dirty=False)
        plugin = self.config.plugins["diary"]
        assert isinstance(plugin, DiaryPlugin) and isinstance(plugin.cache, BuildCache)
        self.plugin: DiaryPlugin = plugin
        self.cache = plugin.cache

    @property
    def corpus(self) -> Corpus:
        assert self.plugin.corpus is not None
        return self.plugin.corpus

    def build(self) -> None:
        build(self.config)
        assert self.plugin.cache is self.cache  # the same object, build after build

    def page(self, rel: str) -> str:
        return (self.root / "site" / rel).read_text(encoding="utf-8")


@pytest.fixture
def serving() -> Iterator[Callable[[Path], Serving]]:
    """Serving(root), stopped at the end like `mkdocs serve` (on_shutdown): its idle collector would otherwise
    freeze the test process's heap a moment after the last build (site_builder/heap.py)."""
    made: list[Serving] = []

    def start(root: Path) -> Serving:
        made.append(Serving(root))
        return made[-1]

    yield start
    for serve in made:
        serve.config.plugins.on_shutdown()


def test_every_change_shows_up_in_the_next_build_through_the_same_cache(tmp_path, parses, serving):
    root = make_project(tmp_path, FILES)
    diaries = root / "diaries"
    serve = serving(root)
    serve.build()
    assert sorted(parses) == ["a.md", "b.md", "c.md", "d.md"]
    assert "刘凤霞" in serve.page("entries/d.html")
    assert serve.corpus.by_id["c"].suggested_topics

    # an entry edited: only that file is read again, its page shows the new text
    parses.clear()
    (diaries / "a.md").write_text(entry(2, "物业撤了", "物业公司撤场以后，楼道没人扫，居民自己排了值日表。", "wuye"),
                                  encoding="utf-8")
    touch_later(diaries / "a.md")
    serve.build()
    assert parses == ["a.md"]
    assert "排了值日表" in serve.page("entries/a.html")

    # an entry deleted: gone from the corpus and the site
    parses.clear()
    (diaries / "b.md").unlink()
    serve.build()
    assert parses == []
    assert "b" not in serve.corpus.by_id
    assert not (root / "site" / "entries" / "b.html").exists()

    # topics.yml: a topic renamed shows on the pages of entries that were not read again (the page memo and the
    # files read under the old taxonomy are dropped)
    topics = diaries / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    old_name = next(t.name for t in serve.corpus.taxonomy.topics if t.slug == "weilao")
    topics.write_text(text.replace(f"name: {old_name}", "name: 关爱独居老人试点"), encoding="utf-8")
    touch_later(topics)
    serve.build()
    assert "关爱独居老人试点" in serve.page("entries/d.html")
    assert old_name not in serve.page("entries/d.html")

    # people.yml: a pseudonym given is published on the next build, without reading the entry again
    parses.clear()
    (diaries / "people.yml").write_text("刘凤霞: 刘某某\n", encoding="utf-8")
    serve.build()
    assert parses == []
    page = serve.page("entries/d.html")
    assert "刘某某" in page and "刘凤霞" not in page
    # and a real name without a pseudonym holds the entry back
    (diaries / "people.yml").write_text("刘凤霞:\n", encoding="utf-8")
    touch_later(diaries / "people.yml")
    serve.build()
    assert "d" not in serve.corpus.by_id
    assert not (root / "site" / "entries" / "d.html").exists()


class Server:
    """What on_serve sees of MkDocs' LiveReloadServer: the paths it is asked to poll."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_the_server_polls_a_signal_that_inotify_rewrites_on_a_local_disk_and_the_diaries_anywhere_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: Callable[[Path], Serving]) -> None:
    root = make_project(tmp_path, FILES)
    serve = serving(root)
    serve.build()
    assert serve.plugin.settings is not None
    diaries, signal = serve.plugin.settings.diaries_dir, serve.plugin.settings.cache_dir / "watch" / "signal"
    local = Server()
    serve.config.plugins.on_serve(cast(LiveReloadServer, local), config=serve.config, builder=lambda: None)
    assert local.watched == [str(signal)], "tmp_path is on a local disk (watching.LOCAL_FILESYSTEMS)"
    before = signal.read_bytes()
    (diaries / "a.md").write_text(entry(2, "物业撤了", "又扫了一遍楼道。", "wuye"), encoding="utf-8")
    deadline = time.monotonic() + 10
    while signal.read_bytes() == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert signal.read_bytes() != before
    serve.config.plugins.on_shutdown()  # the observer is stopped: a later save no longer rewrites the signal
    after = signal.read_bytes()
    (diaries / "b.md").write_text(entry(3, "楼上跑水", "阀门换了。", "weixiu"), encoding="utf-8")
    time.sleep(0.3)
    assert signal.read_bytes() == after

    monkeypatch.setattr(watching, "why_not_notified", lambda folder: "filesystem nfs4")
    serve.config.plugins.on_startup(command="serve", dirty=False)
    share = Server()
    serve.config.plugins.on_serve(cast(LiveReloadServer, share), config=serve.config, builder=lambda: None)
    assert share.watched == [str(diaries)]  # MkDocs' polling, as before


def test_a_served_rebuild_compiles_no_template_again_and_the_server_readies_training(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: Callable[[Path], Serving]) -> None:
    root = make_project(tmp_path, FILES)
    serve = serving(root)
    serve.build()
    imported: list[tuple[str, ...]] = []
    monkeypatch.setattr(workers, "import_in_background", lambda *modules: imported.append(modules))

    serve.config.plugins.on_serve(cast(LiveReloadServer, Server()), config=serve.config, builder=lambda: None)
    assert imported == [TRAINING_MODULES]  # what the first save of a hand-tagged entry would wait for
    pages = {p: p.read_bytes() for p in (root / "site").rglob("*.html")}
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return real(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    serve.build()  # MkDocs' new environment: Material's templates come compiled
    assert compiled == []
    assert {p: p.read_bytes() for p in (root / "site").rglob("*.html")} == pages


def test_a_save_while_serving_lists_the_warnings_it_brought_not_every_warning_again(
        tmp_path: Path, serving: Callable[[Path], Serving], caplog: pytest.LogCaptureFixture) -> None:
    # e.md has the date and title of a.md (a warning, the entry still publishes)
    root = make_project(tmp_path, {**FILES, "e.md": entry(2, "物业撤了", "又去物业公司问了一次。")})
    diaries = root / "diaries"
    serve = serving(root)

    def built() -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.diary"):
            serve.build()
        return [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.diary"]

    first = built()
    assert any("e.md" in m and "same-date-title" in m for m in first)
    # a save elsewhere: the old warning is counted, not listed again
    (diaries / "b.md").write_text(entry(3, "楼上跑水", "三楼跑水淹了二楼，关了阀门。", "weixiu"), encoding="utf-8")
    touch_later(diaries / "b.md")
    second = built()
    assert not any("same-date-title" in m for m in second)
    assert any("1 个警告和上次一样，没有再列出" in m and "1 个警告" in m for m in second)
    # a save that brings a warning of its own: that one is listed
    (diaries / "f.md").write_text(entry(4, "楼道堆物", "楼道里又堆了东西。"), encoding="utf-8")
    third = built()
    assert [m for m in third if "same-date-title" in m] == [m for m in third if "f.md" in m and "same-date-title" in m]
    assert any("f.md" in m for m in third) and any("2 个警告" in m and "1 个警告和上次一样" in m for m in third)


def test_load_corpus_with_one_cache_equals_fresh_loads_after_each_change(tmp_path):
    root = make_project(tmp_path, FILES)
    settings = Settings(root / "diaries", root / ".cache" / "diary")
    cache = BuildCache()

    def same() -> None:
        cached, cached_problems = load_corpus(settings, cache=cache)
        fresh, fresh_problems = load_corpus(settings)
        assert cached.entries == fresh.entries and cached.taxonomy == fresh.taxonomy
        assert [p.format() for p in cached_problems] == [p.format() for p in fresh_problems]

    same()
    (root / "diaries" / "c.md").write_text(entry(4, "楼道堆物", "楼道里又堆满了旧家具。"), encoding="utf-8")
    touch_later(root / "diaries" / "c.md")
    same()
    (root / "diaries" / "a.md").unlink()  # a hand-tagged one: another tagger
    same()
    (root / "diaries" / "people.yml").write_text("刘凤霞: 刘某某\n", encoding="utf-8")
    same()
    topics = root / "diaries" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("slug: weilao", "slug: weilao-x"), encoding="utf-8")
    touch_later(topics)
    same()


def test_no_module_level_cache_outlives_a_build():
    import site_builder.privacy.guard as guard
    import site_builder.tagging.tagger as tagger

    assert not hasattr(tagger, "_TAGGERS")
    assert not hasattr(analyzer_module, "_cached")
    assert not hasattr(guard._checked, "cache_info")  # the verdicts live in the LoadCache


def build_command(root: Path) -> None:
    """What `mkdocs build` does: config, on_startup, build, on_shutdown."""
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()


def test_each_mkdocs_build_rereads_only_what_changed_since_the_last(tmp_path, parses):
    root = make_project(tmp_path, FILES)
    old = time.time() - 3600  # outside the window in which a stamp is not trusted yet
    for path in (root / "diaries").rglob("*"):
        os.utime(path, (old, old))
    build_command(root)
    assert (root / ".cache" / "diary" / "load.pickle").is_file()
    parses.clear()
    build_command(root)
    assert parses == []
    (root / "diaries" / "c.md").write_text(entry(4, "楼道堆物", "楼道里的旧家具清走了。"), encoding="utf-8")
    os.utime(root / "diaries" / "c.md", (old + 60, old + 60))
    build_command(root)
    assert parses == ["c.md"]
    assert "旧家具清走了" in (root / "site" / "entries" / "c.html").read_text(encoding="utf-8")
