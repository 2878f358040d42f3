"""Corpus → {source path: Markdown} for every virtual page of the site (entries, topics, methods, years, threads)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby, pairwise

import jinja2

from .. import paths, workers
from ..model import Corpus, Entry
from ..structure.communities import build_communities, slug_by_name
from ..structure.recommend import RECOMMENDED
from .card import case_card, lay_out_body, one_line_summary
from .community import community_pages
from .curriculum import curriculum_pages
from .escape import Markdown, finalize
from .glossary import link_terms
from .handout import handout_pages
from .stats_page import stats_page


@dataclass(frozen=True)
class ListItem:
    label: str
    src: str
    note: str = ""


ENTRY_TEMPLATE = "entry.md.j2"
MD_ATTRIBUTE = " markdown"  # md_in_html's attribute, where a template wrote `{{ md }}`


@dataclass(frozen=True)
class RenderedPage:
    """One generated page. `markdown` is the whole page as Markdown (what any Markdown converter can publish).
    `parts`, when the template wrote HTML blocks (entry pages), is the same page cut into Markdown, HTML, Markdown, …:
    the HTML parts are exactly the blocks Markdown would pass through untouched, so a converter may stash them
    instead of parsing them (render/convert.py); joined by blank lines and converted, the parts give the same HTML as
    `markdown` does. The parts are cut from `markdown` when asked for (`cuts`: where each part after the first starts;
    `attributes`: where md_in_html's attribute stands, which the parts leave out), so a page's text is held once."""

    markdown: str
    cuts: tuple[int, ...] = ()
    attributes: tuple[int, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        if not self.cuts:
            return ()
        text, attributes, out = self.markdown, self.attributes, []
        bounds = (0, *self.cuts, len(text))
        j = 0
        for start, end in pairwise(bounds):
            pieces = []
            while j < len(attributes) and attributes[j] < end:
                pieces.append(text[start:attributes[j]])
                start = attributes[j] + len(MD_ATTRIBUTE)
                j += 1
            pieces.append(text[start:end])
            out.append("".join(pieces))
        return tuple(out)


class PageMemo:
    """What a long-running caller (`mkdocs serve`) keeps between builds so a save re-renders only what it changed:
    entry pages by everything they show, and every other template's text by everything it was given. The markers a
    template's HTML blocks are cut at stay the same for the memo's life (random per memo: no diary text holds
    them), so a remembered text cuts like a new one. Each build leaves only what it used."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.pages: dict[object, RenderedPage] = {}
        self.texts: dict[object, str] = {}


class _EntryRef:
    """An entry inside a memo key, with its hash computed once per build (_EntryHashes). A key holds the same
    entries many times (a topic page lists hundreds, each entry page its thread and related cases), and a frozen
    dataclass hashes all its fields at every call (a fifth of a save's rendering at 7,000 entries went to hashing
    keys). Equal entries are equal refs, as equal keys must be; an unchanged entry is usually the very same object
    (`is` first). Entry itself cannot keep its hash: it is pickled between processes (workers, the disk cache), and
    a string's hash differs from one process to the next."""

    __slots__ = ("_hash", "entry")

    def __init__(self, entry: Entry, hashed: int) -> None:
        self.entry, self._hash = entry, hashed

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _EntryRef) and self._hash == other._hash and (
            self.entry is other.entry or self.entry == other.entry)


class _EntryHashes:
    """Each entry's hash, once per build (keyed by identity: the corpus holds every entry for the whole build)."""

    def __init__(self) -> None:
        self._by_id: dict[int, _EntryRef] = {}

    def ref(self, e: Entry) -> _EntryRef:
        found = self._by_id.get(id(e))
        if found is None or found.entry is not e:
            found = self._by_id[id(e)] = _EntryRef(e, hash(e))
        return found

    def frozen(self, value: object) -> object:
        """A template's value as a key: lists, dicts and sets as tuples and frozensets of their frozen items, each
        entry as its ref."""
        if isinstance(value, Entry):
            return self.ref(value)
        if isinstance(value, list | tuple):
            return tuple(self.frozen(v) for v in value)
        if isinstance(value, dict):
            return tuple((k, self.frozen(v)) for k, v in value.items())
        if isinstance(value, set | frozenset):
            return frozenset(self.frozen(v) for v in value)
        return value


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # The templates produce Markdown, not HTML, so HTML autoescaping would mangle it; instead `finalize` escapes
    # every printed string that is not marked Markdown (escape.py), and the plugin sanitises every generated page.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("site_builder.render", "templates"),
        autoescape=False,  # noqa: S701
        finalize=finalize,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["urlencode"] = _urlencode
    # a macro's output (case cards, teaching notes) is Markdown already: the macro's own `{{ }}` escaped the values
    env.filters["markdown"] = Markdown
    return env


def _urlencode(value: object) -> Markdown:
    return Markdown(jinja2.filters.do_urlencode(value))  # type: ignore[arg-type]


class Renderer:
    def __init__(self, corpus: Corpus, *, home: bool = True, memo: PageMemo | None = None,
                 related: Mapping[str, tuple[str, ...]] | None = None, directory_urls: bool = False) -> None:
        self.corpus = corpus
        self.home = home
        # the page chrome is written as HTML blocks (Markdown only where diary text or a heading is), so its links
        # are final URLs, which depend on MkDocs' `use_directory_urls`
        self.directory_urls = directory_urls
        # issue #12 item 1: entry id → related entry ids, computed once per build (related.py)
        self.related = related or {}
        # pages by everything they show (PageMemo); a long-running caller (`mkdocs serve`) passes the same memo to
        # every build, so a save re-renders only the pages it changed (a new memo when the taxonomy changes)
        self.memo = memo
        self.used = PageMemo()  # what this build used of the memo, and made (render_site keeps it for the next)
        # where a template's HTML blocks start and end, and where md_in_html's `markdown` attribute goes (see
        # RenderedPage); random, so no diary text can contain them
        token = memo.token if memo is not None else secrets.token_hex(8)
        self.used.token = token
        self._cut, self._md_attr = f"\x1ediary-cut-{token}\x1e", f"\x1ediary-md-{token}\x1e"
        self._markers = re.compile(f"({re.escape(self._cut)}|{re.escape(self._md_attr)})")
        self._hashes = _EntryHashes()  # memo keys hash each entry once per build
        self._threads = {t.id: t for t in corpus.threads()}
        self._positions = {e.id: i for t in self._threads.values() for i, e in enumerate(t.entries)}
        # issue #12 items 5–6: a community named on a page links to its page (templates get the name as written)
        slugs = slug_by_name(build_communities(corpus.entries))
        self._community_pages = {k: paths.community(v) for k, v in slugs.items()}

    def _render(self, template: str, src: str, **values: object) -> str:
        key: object = None
        if self.memo is not None and template != ENTRY_TEMPLATE:  # entry pages have their own memo
            try:
                # everything the template sees: its values, the links (src, directory URLs), the community pages
                key = (template, src, self.directory_urls, self._hashes.frozen(self._community_pages),
                       self._hashes.frozen(values))
                hash(key)
            except TypeError:  # a value that is no key (none of ours): rendered every time
                key = None
            found = self.memo.texts.get(key) if key is not None else None
            if found is not None:
                self.used.texts[key] = found
                return found
        text = self._render_now(template, src, **values)
        if key is not None:
            self.used.texts[key] = text
        return text

    def _render_now(self, template: str, src: str, **values: object) -> str:
        def link(target: str) -> Markdown:  # a Markdown link: MkDocs turns it into a URL and checks it
            return Markdown(paths.rel(src, target))

        def href(target: str) -> Markdown:  # a link inside an HTML block: already the URL
            return Markdown(paths.href(src, target, self.directory_urls))

        return _env().get_template(template).render(link=link, href=href, paths=paths,
                                                    community_page=lambda name: self._community_pages.get(name, ""),
                                                    cut=Markdown(self._cut), md=Markdown(self._md_attr), **values)

    def _cut_up(self, text: str) -> RenderedPage:
        if self._cut not in text:
            return RenderedPage(text)
        out, cuts, attributes, length = [], [], [], 0
        for i, piece in enumerate(self._markers.split(text)):
            if i % 2 == 0:
                out.append(piece)
                length += len(piece)
            elif piece == self._cut:
                cuts.append(length)
            else:
                attributes.append(length)
                out.append(MD_ATTRIBUTE)
                length += len(MD_ATTRIBUTE)
        return RenderedPage("".join(out), tuple(cuts), tuple(attributes))

    def pages(self) -> Iterator[tuple[str, RenderedPage]]:
        yield from self.entry_pages()
        for src, text in self.other_pages():
            yield src, self._cut_up(text)

    def other_pages(self) -> Iterator[tuple[str, str]]:
        yield from self.topic_pages()
        yield from self.method_pages()
        yield from self.year_pages()
        yield from self.case_pages()
        yield from community_pages(self.corpus, self._render, ListItem)
        yield from curriculum_pages(self.corpus, self._render, ListItem)  # issue #12 item 2
        yield from handout_pages(self.corpus, self._render)  # issue #12 item 4
        yield paths.STATS, stats_page(self.corpus, self._render)
        yield paths.SEARCH, self.search_page()
        yield paths.GLOSSARY, self._render("glossary.md.j2", paths.GLOSSARY, terms=self.corpus.taxonomy.glossary,
                                           topics={t.slug: t for t in self.corpus.taxonomy.topics})
        if self.home:
            yield paths.HOME, self.home_page()

    # -- entries ----------------------------------------------------------------------------------------------
    def entry_page(self, e: Entry) -> RenderedPage:
        tax = self.corpus.taxonomy
        known_topics = {t.slug: t for t in tax.topics}
        known_methods = {m.slug: m for m in tax.methods}
        found = self.corpus.thread_of(e)
        thread = self._threads[found.id] if found else None
        prev = nxt = None
        position = 0
        if thread:
            position = self._positions[e.id] + 1
            prev = thread.entries[position - 2] if position > 1 else None
            nxt = thread.entries[position] if position < len(thread.entries) else None
        src = paths.entry(e.id)
        return self._cut_up(self._render(
            ENTRY_TEMPLATE, src, e=e, topics=[known_topics[s] for s in e.all_topics if s in known_topics],
            suggested=not e.topics and bool(e.suggested_topics),
            methods=[known_methods[s] for s in e.methods if s in known_methods],
            unlisted_methods=e.unlisted_methods,
            card=Markdown(case_card(e.body)),  # escapes what it quotes; the body is sanitised as HTML
            body=Markdown(link_terms(lay_out_body(e.body), tax.glossary, paths.rel(src, paths.GLOSSARY))),
            thread=thread, position=position, prev=prev, next=nxt, related=self.related_cards(e)))

    def related_cards(self, e: Entry) -> list[tuple[Entry, str]]:
        """The related entries of `e` as (entry, one-line summary) for the case-card macro."""
        by_id = self.corpus.by_id
        return [(by_id[i], one_line_summary(by_id[i].body)) for i in self.related.get(e.id, ()) if i in by_id]

    def entry_pages(self) -> Iterator[tuple[str, RenderedPage]]:
        known: list[tuple[Entry, object, RenderedPage | None]] = []
        ref = self._hashes.ref
        for e in self.corpus.entries:
            if self.memo is None:  # a single build keeps nothing for a next one: no key to make
                known.append((e, None, None))
                continue
            thread = self.corpus.thread_of(e)
            key: object = (ref(e), tuple(ref(x) for x in thread.entries) if thread else None,
                           tuple(ref(r) if r is not None else None
                                 for r in (self.corpus.by_id.get(i) for i in self.related.get(e.id, ()))))
            known.append((e, key, self.memo.pages.get(key)))
        missing = [e for e, _, page in known if page is None]

        def render(chunk: Sequence[Entry]) -> list[RenderedPage]:
            return [self.entry_page(e) for e in chunk]

        # a first build renders thousands of entry pages: on every core (workers.py); a save, a few, here
        made = iter(workers.map_chunks(render, missing))
        for e, used, found in known:
            page = found if found is not None else next(made)
            if used is not None:
                self.used.pages[used] = page
            yield paths.entry(e.id), page

    # -- topics, methods, years, threads ---------------------------------------------------------------------
    def topic_pages(self) -> Iterator[tuple[str, str]]:
        tax = self.corpus.taxonomy
        items = []
        for t in tax.topics:
            entries = list(self.corpus.with_topic(t.slug))
            by_year = [(y, list(es)) for y, es in
                       groupby(sorted(entries, key=lambda x: (-x.year, x.date, x.id)), key=lambda x: x.year)]
            methods = [m for m in tax.methods if t.slug in m.topics]
            suggested = {x.id for x in entries if not x.topics}
            src = paths.topic(t.slug)
            best = list(self.corpus.recommended(t.slug))
            yield src, self._render("topic.md.j2", src, t=t, entries=entries, by_year=by_year, methods=methods,
                                    suggested=suggested, best=best if len(entries) > RECOMMENDED else [])
            items.append(ListItem(t.name, src, f"{len(entries)} 篇"))
        lead = "按社区工作的问题分类。每个主题页列出相关的日记案例和工作法。"
        yield paths.TOPICS, self._render("list.md.j2", paths.TOPICS, title="主题", lead=lead, items=items)

    def method_pages(self) -> Iterator[tuple[str, str]]:
        tax = self.corpus.taxonomy
        topics = {t.slug: t for t in tax.topics}
        items = []
        for m in tax.methods:
            entries = list(self.corpus.with_method(m.slug))
            src = paths.method(m.slug)
            yield src, self._render("method.md.j2", src, m=m, entries=entries,
                                    topics=[topics[s] for s in m.topics if s in topics])
            count = f"{len(entries)} 篇"
            items.append(ListItem(m.name, src, f"{m.who} · {count}" if m.who else count))
        lead = "社区书记们总结出的、有名字的工作方法，以及用到它们的案例。"
        yield paths.METHODS, self._render("list.md.j2", paths.METHODS, title="工作法", lead=lead, items=items)

    def year_pages(self) -> Iterator[tuple[str, str]]:
        items = []
        for y in sorted(self.corpus.years(), reverse=True):
            entries = self.corpus.in_year(y)
            src = paths.year(y)
            yield src, self._render("list.md.j2", src, title=f"{y}年的日记", lead=f"共 {len(entries)} 篇。",
                                    items=[ListItem(e.title, paths.entry(e.id),
                                                    f"{e.date}" + (f" · {e.community}" if e.community else ""))
                                           for e in entries])
            items.append(ListItem(f"{y}年", src, f"{len(entries)} 篇"))
        yield paths.YEARS, self._render("list.md.j2", paths.YEARS, title="按年份", lead="", items=items)

    def case_pages(self) -> Iterator[tuple[str, str]]:
        items = []
        for t in self.corpus.threads():
            src = paths.case(t.id)
            summaries = {e.id: one_line_summary(e.body) for e in t.entries}
            yield src, self._render("case.md.j2", src, thread=t, summaries=summaries)
            items.append(ListItem(t.title, src,
                                  f"{len(t.entries)} 篇 · {t.entries[0].date.year}—{t.entries[-1].date.year}"))
        yield paths.CASES, self._render("list.md.j2", paths.CASES, title="案例线索",
                                        lead="一件事往往要跟好几个月甚至几年。这里把同一件事的日记按时间串起来。",
                                        items=items)

    # -- home and search -------------------------------------------------------------------------------------
    def home_page(self) -> str:
        c = self.corpus
        counts = {t.slug: len(c.with_topic(t.slug)) for t in c.taxonomy.topics}
        topics = sorted(((t, counts[t.slug]) for t in c.taxonomy.topics), key=lambda x: -x[1])
        questions = [q for t, _ in topics[:8] for q in t.questions[:1]]
        years = c.years() or (0,)
        recent = [e for e in sorted(c.entries, key=lambda e: (e.date, e.id), reverse=True)[:10]]
        return self._render("home.md.j2", paths.HOME, total=len(c.entries), first_year=years[0],
                            last_year=years[-1], communities=c.communities(), topics=topics, questions=questions,
                            recent=recent)

    def search_page(self) -> str:
        c = self.corpus
        return self._render("search.md.j2", paths.SEARCH, topics=c.taxonomy.topics, years=sorted(c.years()),
                            communities=c.communities(), base="../")


def render_site(corpus: Corpus, *, home: bool = True, memo: PageMemo | None = None,
                related: Mapping[str, tuple[str, ...]] | None = None,
                directory_urls: bool = False) -> dict[str, RenderedPage]:
    """Every generated page, keyed by its source path; `memo` keeps pages across the builds of one `mkdocs serve`
    (the caller makes a new one when the taxonomy changes)."""
    renderer = Renderer(corpus, home=home, memo=memo, related=related, directory_urls=directory_urls)
    pages = dict(renderer.pages())
    if memo is not None:
        # keep only what this build used: a long `mkdocs serve` session would otherwise keep every edited version
        memo.pages, memo.texts = renderer.used.pages, renderer.used.texts
    return pages


def render_all(corpus: Corpus, *, home: bool = True, related: Mapping[str, tuple[str, ...]] | None = None,
               directory_urls: bool = False) -> dict[str, str]:
    """Every generated page as Markdown, keyed by its source path (for any Markdown converter)."""
    return {src: page.markdown for src, page in
            render_site(corpus, home=home, related=related, directory_urls=directory_urls).items()}
