"""MkDocs adapter: diaries/ → virtual pages, the static search index, and reload on change. No logic of its own."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import paths
from .corpus import load_corpus
from .model import Corpus, Settings
from .render.pages import render_all
from .render.sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.diary")
HERE = Path(__file__).parent
ASSETS = ("diary.css", "diary-search.js")
NEEDED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")


class DiaryConfig(Config):
    diaries_dir = c.Type(str, default="diaries")
    cache_dir = c.Type(str, default=".cache/diary")
    search = c.Type(bool, default=True)


class DiaryPlugin(BasePlugin[DiaryConfig]):
    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.settings: Settings | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = Settings(diaries_dir=(root / self.config.diaries_dir).resolve(),
                                 cache_dir=(root / self.config.cache_dir).resolve())
        theme_dirs = config.theme.dirs
        theme_dirs.insert(1 if config.theme.custom_dir else 0, str(HERE / "overrides"))
        for ext in NEEDED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            uri = f"assets/diary/{asset}"
            if uri not in target:
                target.append(uri)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        corpus, problems = load_corpus(self.settings)
        for problem in problems:
            # both severities are warnings to MkDocs: a normal build still publishes every valid entry,
            # `mkdocs build --strict` refuses to publish while anything is wrong, and lists all of it
            log.warning(problem.format())
        self.corpus = corpus
        has_home = files.get_file_from_path("index.md") is not None
        for src, content in render_all(corpus, home=not has_home).items():
            if files.get_file_from_path(src) is None:
                # only the index pages may appear in a navigation MkDocs builds by itself: entries and the
                # per-topic/year/thread pages never do (Material renders the whole nav into every page)
                level = InclusionLevel.INCLUDED if src.endswith("index.md") else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, src, content=content, inclusion=level))
        for asset in ASSETS:
            files.append(File.generated(config, f"assets/diary/{asset}", abs_src_path=str(HERE / "assets" / asset)))
        log.info("diary: %d entries, %d problems", len(corpus.entries), len(problems))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri.startswith("entries/"):
            return sanitize_html(html)
        return html

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.corpus is None or not self.config.search or self.settings is None:
            return
        from .search.static_index import write_static_index

        write_static_index(self.corpus, self.settings, Path(config.site_dir) / paths.SEARCH_ASSETS,
                           directory_urls=config.use_directory_urls)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.settings is not None:
            server.watch(str(self.settings.diaries_dir))
        return server
