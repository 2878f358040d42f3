"""MkDocs adapter: diaries/ → virtual pages, the static search index, and reload on change. No logic of its own."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import log_messages, paths, workers
from .build_cache import BuildCache
from .corpus.load import load_corpus
from .heap import IdleCollector
from .model import Corpus, Settings
from .render.convert import PageConverter
from .render.escape import inert_title
from .render.fragments import FragmentCache
from .render.pages import RenderedPage, render_site
from .render.sanitize import sanitize_html, sanitize_text
from .render.simplified import ASSET as FOLD_ASSET
from .render.simplified import fold_table_script
from .render.template_code import TemplateCode
from .search.static_index import write_static_index
from .structure.related import related_for
from .tagging.classifier import TRAINING_MODULES
from .watching import DiaryWatcher

log = logging.getLogger("mkdocs.plugins.diary")
HERE = Path(__file__).parent
# the search engine before the search UI that uses it
ASSETS = ("diary.css", "diary-search-engine.js", "diary-search.js", "diary-script.js", "diary-handout.js")
NEEDED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")


ELSEWHERE_TEMPLATE = "diary-elsewhere.html"  # overrides/: renders nothing (DiaryPlugin._template_elsewhere)


class _ElsewhereSkipped(logging.Filter):
    """MkDocs says "Page skipped … empty output" for each page a worker wrote; the worker wrote it, so not here."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.pages or not record.getMessage().startswith("Page skipped: '"):
            return True
        return record.getMessage().split("'", 2)[1] not in self.pages


class _NotDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class DiariesDir(c.Dir):
    """`diaries_dir`, resolved next to mkdocs.yml like MkDocs' own `docs_dir`; a misspelled folder would otherwise
    build an empty site and report success, so it must exist, and the secretary reads why in Chinese."""

    def __init__(self) -> None:
        super().__init__(exists=False, default="diaries")

    def run_validation(self, value: object) -> str:
        path = super().run_validation(value)
        if not os.path.isdir(path):
            raise ValidationError(f"找不到日记文件夹 {path}：请检查 mkdocs.yml 里 diary 插件的 "
                                  f"diaries_dir（现在是“{value}”）")
        return path


class DiaryConfig(Config):
    diaries_dir = DiariesDir()
    cache_dir = c.Dir(default=".cache/diary")  # made on first use
    search = c.Type(bool, default=True)


class DiaryPlugin(BasePlugin[DiaryConfig]):
    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.settings: Settings | None = None
        # `mkdocs serve`: made in on_startup, in memory, as long as the server (a plugin with on_startup is kept
        # between rebuilds): a save re-reads one file, not all of them. `mkdocs build`: made in on_config, once the
        # cache folder is known, with the files read on disk, so the next build re-reads only what changed
        self.cache: BuildCache | None = None
        self._template_code: TemplateCode | None = None
        self._heap: IdleCollector | None = None
        self._watcher: DiaryWatcher | None = None  # `mkdocs serve` on a local disk: inotify instead of polling
        self.serving = False
        self._served = False
        self._warnings_told: set[str] = set()  # the warnings the last build listed (a server lists new ones only)
        self.dirty = False
        self._pages_written: dict[str, str] = {}
        self._converter: PageConverter | None = None  # one per build, for the pages written with HTML blocks
        self._in_nav: set[str] = set()  # src paths of the pages in the navigation
        self._nav: Any = None
        self._elsewhere: workers.Pending | None = None  # pages a worker is putting through the theme
        self._elsewhere_pages: tuple[list[_PreparedPage], Any, Any] = ([], [], None)  # theirs, doc_files, env
        self._skipped_filter = _ElsewhereSkipped()
        logging.getLogger("mkdocs.commands.build").addFilter(self._skipped_filter)

    def on_startup(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self._served = False  # a first build done while serving
        self.dirty = dirty
        # MkDocs keeps a plugin with on_startup for the whole process, so a second command in it (tests) starts anew
        self.cache = BuildCache() if self.serving else None
        self._template_code = TemplateCode() if self.serving else None  # the theme, compiled once per server
        if self._heap is not None:
            self._heap.stop()
        self._stop_watching()
        self._heap = IdleCollector() if self.serving else None  # the memory kept between saves (heap.py)
        log_messages.install()  # MkDocs' progress lines in Chinese (log_messages.py)
        if dirty:
            # `make serve` uses --dirty on purpose (see _page_file); the navigation never lists entries, so the
            # "inaccurate navigation" MkDocs warns about after every save cannot happen here
            logging.getLogger("mkdocs.commands.build").addFilter(_NotDirtyWarning())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._heap is not None:
            self._heap.build_started()
        # the end-of-life banners of Material and ProperDocs are for the site's maintainers, not for a secretary
        # running `make serve`; CONTRIBUTING says what moving off MkDocs 1.6 takes
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
        self.settings = Settings(diaries_dir=Path(self.config.diaries_dir).resolve(),
                                 cache_dir=Path(self.config.cache_dir).resolve())
        if self.cache is None:
            self.cache = BuildCache.on_disk(self.settings.cache_dir)
        # the one rule that needs the main config's docs_dir, so it cannot live in DiaryConfig's own validation
        docs = Path(config.docs_dir).resolve()
        if self.settings.diaries_dir == docs or docs in self.settings.diaries_dir.parents:
            # MkDocs copies everything in docs_dir to the site: people.yml and private entries would be published
            raise PluginError(f"diaries_dir（{self.config.diaries_dir}）不能放在 docs_dir 里面："
                              "那样化名表和不公开的日记会被原样复制到网站上。请把日记放在 docs 外面。")
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
        assert self.settings is not None and self.cache is not None
        corpus, problems = load_corpus(self.settings, cache=self.cache)
        # the same rule as `diary check`: an error (an entry that cannot be published as written) fails a
        # `--strict` build, a warning never does; a normal build publishes every publishable entry either way.
        # While serving, a save lists the warnings it brought, not again every warning of the diaries (thousands of
        # lines at a college's scale, with hers lost among them); errors are always listed
        told, repeated = self._warnings_told, 0
        self._warnings_told = set()
        for problem in problems:
            text = problem.format()
            if not problem.is_error and self.serving:
                self._warnings_told.add(text)
                if self._served and text in told:
                    repeated += 1
                    continue
            (log.warning if problem.is_error else log.info)(text)
        self.corpus = corpus
        has_home = files.get_file_from_path("index.md") is not None
        analyzer = self.cache.analyzer(corpus.taxonomy, self.settings)
        # weighed once for related cases and the browser index (a server re-weighs only the entries a save changed)
        terms = self.cache.doc_terms(corpus.entries, analyzer)
        # issue #12 item 1, once per build; `mkdocs build` keeps it on disk for the next build of the same diaries
        related = related_for(corpus, self.settings, analyzer, store=not self.serving, terms=terms)
        # the files read and the browser's index are written now, before any page exists (MkDocs has emptied the
        # site folder before on_files): at the end of the build their memory came on top of every page MkDocs keeps
        if not self.serving:
            self.cache.save()
        if self.config.search:
            write_static_index(corpus, self.settings, Path(config.site_dir) / paths.SEARCH_ASSETS,
                               directory_urls=config.use_directory_urls, analyzer=analyzer, terms=terms,
                               encoded=self.cache.encoded_postings)
        del terms  # the pages do not need them: at 20,000 entries they are tens of MB (a server's memo keeps its own)
        # the page memo pays off only in a server that builds again; in `mkdocs build` it would keep every
        # entry page's Markdown and parts alive until the process ends (the pages' own objects drop them once written)
        memo = self.cache.page_memo(corpus.taxonomy) if self.serving else None
        self._converter = None
        for src, page in render_site(corpus, home=not has_home, memo=memo, related=related,
                                     directory_urls=config.use_directory_urls).items():
            if files.get_file_from_path(src) is None:
                # only the index pages may appear in a navigation MkDocs builds by itself: entries and the
                # per-topic/year/thread pages never do (Material renders the whole nav into every page)
                level = InclusionLevel.INCLUDED if src.endswith("index.md") else InclusionLevel.NOT_IN_NAV
                content = page.markdown
                if self.serving:
                    file = File.generated(config, src, abs_src_path=self._page_file(src, content), inclusion=level)
                else:
                    file = File.generated(config, src, content=content, inclusion=level)
                files.append(file)
                if page.cuts and level is InclusionLevel.NOT_IN_NAV:
                    # a page in the nav keeps the Page MkDocs makes for it (which takes its title from the nav)
                    _PreparedPage(file, config, page, self._page_converter)
        for asset in ASSETS:
            files.append(File.generated(config, f"assets/diary/{asset}", abs_src_path=str(HERE / "assets" / asset)))
        # the 简体 switch's table, from the same Python table search folds with (render/simplified.py)
        files.append(File.generated(config, f"assets/diary/{FOLD_ASSET}", content=fold_table_script()))
        errors = sum(p.is_error for p in problems)
        log.info("diary: 发布了 %d 篇日记；%d 个错误、%d 个警告（和 `diary check` 的结果相同）%s%s",
                 len(corpus.entries), errors, len(problems) - errors,
                 "；有错误时 `--strict` 构建会停止，请先改正" if errors else "",
                 f"；其中 {repeated} 个警告和上次一样，没有再列出（`diary check` 列出全部）" if repeated else "")
        return files

    def _page_file(self, src: str, content: str) -> str:
        """While serving, pages live in files rewritten only when their text changes, so `mkdocs serve --dirty`
        re-renders the few pages a save affects instead of all of them (in-memory pages always count as changed)."""
        assert self.settings is not None
        path = self.settings.cache_dir / "pages" / src
        if self._pages_written.get(src) != content or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            self._pages_written[src] = content
        return str(path)

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self._in_nav = {page.file.src_uri for page in nav.pages}
        self._nav = nav
        self._convert_ahead(config, files)
        return nav

    def _convert_ahead(self, config: MkDocsConfig, files: Files) -> None:
        """A first build's prepared pages converted now, on every core (workers.py), instead of one by one when
        MkDocs reads them: converting ~2 ms per page is the largest single cost of a build of thousands of entries.
        Each page gets what its own `render` would have made (the same converter, MkDocs' own link and anchor
        processors, their log lines replayed when MkDocs renders the page, so `--strict` counts them). Not when
        another plugin may change a page's Markdown before it is rendered: then every page waits for MkDocs."""
        if any(config.plugins.events[event] for event in ("pre_page", "page_read_source", "page_markdown")):
            return
        if self.serving and self._served:
            return  # a save while serving changes a few pages: not worth looking at every file's date
        pages = [f.page for f in files.documentation_pages()
                 if isinstance(f.page, _PreparedPage) and (not self.dirty or f.is_modified())]
        if len(pages) < workers.MIN_ITEMS or workers.worker_count() < 2:
            return

        def convert(chunk: Sequence[int]) -> list[_Converted]:
            with _LogsKept() as kept:
                # sanitised there too (what _sanitise_page would do next, a tenth of a large build)
                return [replace(done, content=sanitize_html(done.content), sanitized=True)
                        for done in (pages[i].convert(config, files, kept) for i in chunk)]

        try:
            for page, converted in zip(pages, workers.imap_chunks(convert, range(len(pages))), strict=True):
                page.ahead = converted
                # its Markdown is not needed any more (no plugin reads it, see above): every page's Markdown and
                # HTML at once was 100 MB more peak memory at 20,000 entries
                page.drop_markdown()
        except Exception as exc:  # a worker died: the pages it did not convert are converted when MkDocs asks
            log.debug("pages not converted ahead: %r", exc)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # a new cache per build: the navigation may have changed (render/fragments.py)
        if self._template_code is not None:
            self._template_code.install(env)  # first: the fragment cache below loads templates
        FragmentCache(self._fragment_folder).install(env)
        self._template_elsewhere(env, config, files)
        return env

    def _template_elsewhere(self, env: Any, config: MkDocsConfig, files: Files) -> None:
        """In a build of thousands of pages, the second half of the prepared pages is put through the theme and
        written by a worker process while MkDocs does the rest here: templating is the other large cost of a build.
        The worker runs MkDocs' own page step (`_build_page`, with this build's nav, env and pages, as forked) and
        sends back only its log lines; here those pages get an empty template, for which MkDocs writes nothing.
        Not when serving (a save renders a few pages), nor when another plugin handles page_context or post_page
        (its work on those pages would happen in the worker and be lost)."""
        from mkdocs.commands import build as mkdocs_build

        self._elsewhere = None
        if self.serving or self.dirty:
            return
        for event in ("page_context", "post_page"):
            if any(getattr(handler, "__self__", None) is not self for handler in config.plugins.events[event]):
                return
        prepared = [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                    if isinstance(f.page, _PreparedPage)]
        if len(prepared) < workers.MIN_ITEMS:
            return
        theirs = prepared[len(prepared) // 2:]
        nav, doc_files = self._nav, files.documentation_pages(inclusion=InclusionLevel.is_included)

        def build_pages(chunk: Sequence[int]) -> list[tuple[str, int, str]]:
            with _LogsKept() as kept:
                for i in chunk:
                    mkdocs_build._build_page(theirs[i], config, doc_files, nav, env)
                return kept.records

        size = -(-len(theirs) // workers.CHUNKS_PER_WORKER)
        chunks = [range(i, min(i + size, len(theirs))) for i in range(0, len(theirs), size)]
        pending = workers.start(build_pages, chunks)
        if pending is None:
            return
        self._elsewhere = pending
        self._elsewhere_pages = (theirs, doc_files, env)
        for page in theirs:
            page.meta["template"] = ELSEWHERE_TEMPLATE
        self._skipped_filter.pages = {page.file.src_uri for page in theirs}

    def on_build_error(self, error: Exception) -> None:
        pending, self._elsewhere = self._elsewhere, None
        if pending is not None:
            pending.cancel()
        if self._heap is not None:
            self._heap.build_done()

    def on_shutdown(self) -> None:
        if self._heap is not None:
            self._heap.stop()
        self._stop_watching()

    def _stop_watching(self) -> None:
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()

    def on_post_build(self, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        finally:
            if self._heap is not None:
                self._heap.build_done()

    def _post_build(self, config: MkDocsConfig) -> None:
        from mkdocs.commands import build as mkdocs_build

        self._served = self.serving
        pending, self._elsewhere = self._elsewhere, None
        theirs, doc_files, env = self._elsewhere_pages
        self._elsewhere_pages = ([], [], None)
        self._skipped_filter.pages = set()
        if pending is None:
            return
        try:
            said = pending.wait()
        except Exception as exc:  # the worker died (out of memory, killed): its pages are made here after all
            log.warning("diary: 后台进程没有完成，剩下的 %d 个页面在这里生成（%r）", len(theirs), exc)
            for page in theirs:
                del page.meta["template"]
                mkdocs_build._build_page(page, config, doc_files, self._nav, env)
            return
        for line in said:  # what MkDocs said in the worker, said here (`--strict` counts it)
            name, level, message = cast(tuple[str, int, str], line)
            logging.getLogger(name).log(level, "%s", message)
        for page in theirs:
            page.content = None  # kept until now in case the worker could not finish (see on_post_page)

    def _fragment_folder(self, page: Page | None) -> str | None:
        """The folder whose pages share the theme's navigation and script tags; None for a page in the nav."""
        if page is None or page.file.src_uri in self._in_nav:
            return None
        return page.url.rstrip("/").rpartition("/")[0]

    def _sanitise_page(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # every page this plugin generates (entries, lists, home, search …) is sanitised; the docs/ pages are the
        # maintainers' own. The theme prints the title (into <title>) and the table of contents outside the page
        # body, beyond the sanitiser's reach: both are reduced to inert text here.
        if page.file.generated_by is None:
            return html
        ahead = isinstance(page, _PreparedPage) and page.sanitized is not None and html is page.sanitized
        if isinstance(page, _PreparedPage):
            page.sanitized = None
        if page.title:
            page.title = inert_title(page.title)
        items = list(page.toc)
        while items:
            item = items.pop()
            item.title = sanitize_text(item.title)
            items.extend(item.children)
        # the HTML a worker sanitised, unless another plugin's on_page_content changed it since
        return html if ahead else sanitize_html(html)

    # MkDocs keeps every Page until the build ends, and with it each page's Markdown and HTML: at 20,000 entries the
    # largest part of the peak memory. A prepared page drops its Markdown once every plugin's on_page_content has
    # seen it (its HTML is already made) and its HTML once the page is written (the anchor check after the pages
    # uses only the anchors and links recorded in `render`); the theme reads neither, search plugins read the HTML
    # in on_page_context
    @event_priority(-100)  # after every other plugin's on_page_content
    def _drop_markdown(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if isinstance(page, _PreparedPage):
            page.drop_markdown()
        return html

    on_page_content = CombinedEvent(_sanitise_page, _drop_markdown)

    @event_priority(-100)  # after every other plugin's on_post_page
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if isinstance(page, _PreparedPage) and page.file.src_uri not in self._skipped_filter.pages:
            page.content = None
        return output

    def _page_converter(self, config: MkDocsConfig) -> PageConverter:
        if self._converter is None:
            self._converter = PageConverter(config.markdown_extensions, config.mdx_configs)
        return self._converter

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.settings is not None:
            # the server polls one small file that inotify rewrites on a save where it can (watching.py), the
            # diaries themselves anywhere else
            self._stop_watching()
            diaries = self.settings.diaries_dir
            self._watcher = DiaryWatcher.start(diaries, self.settings.cache_dir / "watch" / "signal")
            server.watch(str(self._watcher.signal if self._watcher is not None else diaries))
        # the first build may have read the tagger from the disk cache; the first save of a hand-tagged entry
        # retrains it, and would wait for scikit-learn's import (about a second) but for this
        workers.import_in_background(*TRAINING_MODULES)
        return server


class _PreparedPage(Page):
    """A generated page whose HTML blocks are already made (render.pages.RenderedPage.parts). MkDocs keeps a page
    a plugin attaches to its File (Material's blog does the same); only `render` differs: instead of a new Markdown
    instance per page it uses the build's one converter, which passes the HTML blocks through unparsed
    (render/convert.py). Everything else is what Page.render does, with MkDocs' own processors on the Markdown
    parts: links in a diary body are rewritten and checked, anchors recorded, the title taken from the first h1.
    The result goes through on_page_content (sanitised) like any page."""

    def __init__(self, file: File, config: MkDocsConfig, page: RenderedPage,
                 converter: Callable[[MkDocsConfig], PageConverter]) -> None:
        super().__init__(None, file, config)
        self._page: RenderedPage | None = page  # its parts are cut in `render`; it holds the File's string
        self._converter = converter
        self.ahead: _Converted | None = None  # converted before MkDocs asked (DiaryPlugin._convert_ahead)
        self.sanitized: str | None = None  # `content` as a worker sanitised it, until on_page_content

    def read_source(self, config: MkDocsConfig) -> None:
        super().read_source(config)
        # meta.get_data returns a copy of the text even when it has no front matter (ours never has): the page keeps
        # the string the File (or the serve memo) already holds rather than a second copy of every page's Markdown
        if self._page is not None and self.markdown == self._page.markdown:
            self.markdown = self._page.markdown

    def drop_markdown(self) -> None:
        """Drop the page's Markdown and its File's copy once the HTML is made and every plugin has seen both."""
        self.markdown = self._page = None
        if self.file.abs_src_path is None:  # the text is in memory, not in a file of the serve cache
            self.file.content_string = ""

    def convert(self, config: MkDocsConfig, files: Files, kept: _LogsKept | None = None) -> _Converted:
        """The page's HTML and what MkDocs records about it, as plain values (a worker sends them back)."""
        converter = self._converter(config)
        m = mkdocs_pages  # under ProperDocs `mkdocs.*` is ProperDocs' own module
        raw_html, anchors = m._RawHTMLPreprocessor(), m._ExtractAnchorsTreeprocessor(self.file, files, config)
        relative, title = m._RelativePathTreeprocessor(self.file, files, config), m._ExtractTitleTreeprocessor()
        for processor in (raw_html, anchors, relative, title):
            processor._register(converter.md)
        assert self._page is not None, "rendered after its Markdown was dropped (on_page_content)"
        if kept is not None:
            kept.records = []
        content, toc = converter.convert(self._page.parts)  # cut now, let go once converted
        links = None
        if m.log.getEffectiveLevel() > logging.DEBUG:
            links = {target.src_uri: dict(found) for target, found in relative.links_to_anchors.items()}
        found = frozenset(anchors.present_anchor_ids | raw_html.present_anchor_ids)
        return _Converted(content, toc, title.title, found, links, tuple(kept.records) if kept is not None else ())

    def render(self, config: MkDocsConfig, files: Files) -> None:
        done, self.ahead = self.ahead, None
        if done is None:
            done = self.convert(config, files)
        for name, level, message in done.logs:  # what MkDocs' processors said in the worker, said here
            logging.getLogger(name).log(level, "%s", message)
        self.content = done.content
        self.sanitized = done.content if done.sanitized else None
        self.toc = get_toc(done.toc)
        self._title_from_render = done.title
        self.present_anchor_ids = set(done.anchors)
        if done.links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): dict(found)  # type: ignore[misc]
                                     for uri, found in done.links.items()}


@dataclass(frozen=True)
class _Converted:
    content: str
    toc: list[Any]  # the toc extension's tokens (plain dicts and lists)
    title: str | None
    anchors: frozenset[str]
    links: dict[str, dict[str, str]] | None  # target page's src_uri → this page's links to its anchors
    logs: tuple[tuple[str, int, str], ...]  # (logger, level, message) said while converting in a worker
    sanitized: bool = False  # `content` has been through sanitize_html already


class _LogsKept(logging.Handler):
    """In a worker: MkDocs' log lines (a link to a missing page, say) kept for the page instead of printed, so the
    build process says them when the page is rendered (and `--strict` counts them there)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    def __enter__(self) -> _LogsKept:
        logger = logging.getLogger("mkdocs")
        self._was = logger.handlers, logger.propagate
        logger.handlers, logger.propagate = [self], False
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("mkdocs")
        logger.handlers, logger.propagate = self._was
