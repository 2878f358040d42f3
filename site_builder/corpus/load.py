"""Discover and load every diary file → Corpus + every diagnostic. The one entry point for the site and the CLI."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import pickle
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..heap import read_to_keep
from ..model import Corpus, Entry, LearningPath, Settings, Taxonomy
from ..privacy import protect
from ..privacy.guard import Memo
from .discover import discover_all, display_path, missing_diaries_dir, resolved
from .fields import Resolvers, build_entry
from .frontmatter import FrontMatter, decode, split
from .safe_read import ReadProblem, read_regular
from .taxonomy import NameResolver, load_taxonomy

if TYPE_CHECKING:
    from ..build_cache import BuildCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedFile:
    """One file as read: its entry if it is valid, and what was wrong with it."""

    path: Path
    display: str
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]


def load_file(path: Path, diaries_dir: Path, resolvers: Resolvers) -> LoadedFile:
    # resolve() touches the disk for every path component: once per file, with the folder resolved by the caller
    source = resolved(path)
    if source == path:  # the usual case: one Path object for both, so the LoadCache's pickle holds it once
        source = path
    diaries = diaries_dir if diaries_dir.is_absolute() else diaries_dir.resolve()
    try:
        shown = source.relative_to(diaries.parent).as_posix()
        rel = source.relative_to(diaries).as_posix()
    except ValueError:
        shown, rel = str(path), path.name
    try:
        data = read_regular(path)
    except ReadProblem as exc:
        return LoadedFile(path, shown, None, (Diagnostic(shown, 0, exc.code, exc.message),))
    decoded, problems = decode(data, shown)
    if decoded is None:
        return LoadedFile(path, shown, None, tuple(problems))
    fm, more = split(decoded, shown)
    problems += more
    if fm is None:
        return LoadedFile(path, shown, None, tuple(problems))
    deep = body_too_deep(fm.body, fm.body_line, shown)
    if deep is not None:
        return LoadedFile(path, shown, None, tuple([*problems, deep]))
    entry, more = build_entry(fm, source=source, rel_source=rel, path=shown, resolvers=resolvers)
    if entry is not None:
        too_long = url_part_too_long(entry, fm, shown)
        if too_long is not None:
            return LoadedFile(path, shown, None, tuple([*problems, *more, too_long]))
    return LoadedFile(path, shown, entry, tuple(problems + more))


# Markdown nests one Python call per level: ~400 levels of list or `<div markdown>`, or a few thousand `*`,
# end the whole build in a RecursionError. No diary nests past a handful, so a body past these is refused.
MAX_INDENT_COLUMNS = 120  # 30 list levels at 4 spaces
MAX_QUOTE_DEPTH = 40  # `> > > …`
MAX_MARKER_RUN = 300  # `*`, `_` or `[` in a row (a separator line is `---`)
MAX_MARKDOWN_BLOCKS = 40  # `<div markdown="1">` blocks
_QUOTES = re.compile(r"^(?:[ \t]*>)+")
_MARKER_RUN = re.compile(rf"[*_\[]{{{MAX_MARKER_RUN + 1},}}")


def body_too_deep(body: str, first_line: int, path: str) -> Diagnostic | None:
    """An error at the first line nested past what Markdown can render, else None."""
    if body.count("markdown=") > MAX_MARKDOWN_BLOCKS:
        return Diagnostic(path, first_line, "body-too-deep", f"正文里有超过 {MAX_MARKDOWN_BLOCKS} 个 markdown 区块")
    for offset, line in enumerate(body.split("\n")):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        quotes = _QUOTES.match(line)
        depth = quotes.group(0).count(">") if quotes else 0
        run = _MARKER_RUN.search(line)
        if indent > MAX_INDENT_COLUMNS or depth > MAX_QUOTE_DEPTH or run:
            what = (f"缩进了 {indent} 格" if indent > MAX_INDENT_COLUMNS else
                    f"引用“>”套了 {depth} 层" if depth > MAX_QUOTE_DEPTH else
                    f"连着写了 {len(run.group(0)) if run else 0} 个“*”“_”或“[”")
            return Diagnostic(path, first_line + offset, "body-too-deep", f"正文这一行{what}，网页排不出来")
    return None


MAX_URL_PART = 100  # characters of an id or a thread id: file names stop at 255 bytes, a build would crash


def url_part_too_long(entry: Entry, fm: FrontMatter, path: str) -> Diagnostic | None:
    """An id or case id too long to be a file name in the site (`id: 9999…` with thousands of digits)."""
    for key, value in (("id", entry.id), ("case", entry.case)):
        if len(value) > MAX_URL_PART:
            line = next((n for k, n in fm.key_lines.items() if str(fm.data.get(k)).strip() == value), fm.body_line - 1)
            label = "网址编号" if key == "id" else "案例编号"
            return Diagnostic(path, line, "url-too-long", f"{label}有 {len(value)} 个字符，太长了")
    return None


class LoadCache:
    """Files already read, by path, size and modification time, and the privacy guard's verdict per entry.

    `mkdocs serve` keeps one in memory: a save re-reads only the saved file. `diary search` and `mkdocs build` keep
    one on disk (`LoadCache.on_disk(cache_dir)`, then `save()`), so the next run re-parses the saved files, not all
    of them. Anything read under another taxonomy (topic names resolve differently) or another diaries folder is
    forgotten; a file on disk written by another version of the code (or damaged) is not read at all.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path  # where `save` writes; None: memory only
        self._taxonomy: Taxonomy | None = None
        self._diaries: Path | None = None
        self._files: dict[Path, tuple[tuple[int, int], LoadedFile]] = {}
        self._privacy: Memo = {}  # see privacy.protect
        self._taxonomy_read: tuple[object, Taxonomy, tuple[Diagnostic, ...]] | None = None
        self._body: bytes | None = None  # the files and verdicts as stored, unpickled on first use
        self._saved: tuple[int, ...] | None = None  # hashes of what is on disk: skip writing it again
        self._changes = 0  # files parsed or dropped, taxonomy read, since the state on disk
        self._verdicts: dict[int, object] | None = None  # the verdicts read from disk, by id (kept alive)

    @classmethod
    def on_disk(cls, cache_dir: Path) -> LoadCache:
        """The cache the last run left in `cache_dir`, or an empty one that `save` will write there.

        Two pickles in one file: the small head (format, taxonomy) is read now; the files and verdicts only when a
        load needs them, so `diary search` with an up-to-date index pays for the head alone.
        """
        cache = cls(cache_dir / LOAD_CACHE_FILE)
        try:
            data = (cache_dir / LOAD_CACHE_FILE).read_bytes()
            stream = io.BytesIO(data)
            head = _Unpickler(stream).load()
            if not isinstance(head, dict) or head.get("format") != (LOAD_CACHE_FORMAT, code_version()):
                return cache
            read = head["taxonomy_read"]
            if read is not None and not (isinstance(read, tuple) and len(read) == 3 and isinstance(read[1], Taxonomy)):
                return cache
            cache._taxonomy_read = read
            cache._body = data[stream.tell():]
        except FileNotFoundError:
            return cache
        except Exception as exc:  # a damaged or foreign file is an empty cache, never a failed command
            log.debug("load cache %s ignored: %r", cache._path, exc)
            return cls(cache_dir / LOAD_CACHE_FILE)
        return cache

    def _unpack(self) -> None:
        if self._body is None:
            return
        body, self._body = self._body, None
        try:
            with read_to_keep():  # what it holds is the corpus every later step reads (heap.py)
                stored = _Unpickler(io.BytesIO(body)).load()
            taxonomy, diaries = stored["taxonomy"], stored["diaries"]
            files, privacy = stored["files"], stored["privacy"]
            if not (isinstance(files, dict) and isinstance(privacy, dict)
                    and (taxonomy is None or isinstance(taxonomy, Taxonomy))):
                raise TypeError("not the shape this code writes")
        except Exception as exc:  # damaged: start empty
            log.debug("load cache %s ignored: %r", self._path, exc)
            return
        self._taxonomy, self._diaries, self._files, self._privacy = taxonomy, diaries, files, privacy
        self._saved = self._state()
        self._verdicts = {id(v): v for v in privacy.values()}

    @property
    def privacy(self) -> Memo:
        self._unpack()
        return self._privacy

    def _state(self) -> tuple[int, ...]:
        return (hash(tuple((p, s) for p, (s, _) in self._files.items())), hash(tuple(self._privacy)),
                hash(self._taxonomy_read[0]) if self._taxonomy_read else 0)

    def save(self) -> None:
        """Write the cache where `on_disk` found it (atomically), unless nothing changed; a folder that cannot be
        written only costs the next run its parsing."""
        self._unpack()
        if self._path is None or self._small_change() or self._state() == self._saved:
            return
        # a file changed within the last seconds may change again within the same mtime tick, unseen by the stamp:
        # it is left out, and read again next time (git's "racily clean" entries); the taxonomy likewise
        recent = time.time_ns() - RACY_NS
        files = {p: hit for p, hit in self._files.items() if hit[0][1] < recent}
        read = self._taxonomy_read
        if read is not None and any(s is not None and s[1] >= recent for s in read[0][1]):  # type: ignore[index]
            read = None
        head = {"format": (LOAD_CACHE_FORMAT, code_version()), "taxonomy_read": read}
        body = {"taxonomy": self._taxonomy, "diaries": self._diaries, "files": files, "privacy": self._privacy}
        tmp = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as out:
                # streamed to the file in pickle's frames: the whole body as one bytes object was ~40 MB more
                # peak memory at 20,000 entries
                _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(head)
                _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(body)
            os.replace(tmp, self._path)
        except OSError as exc:
            log.debug("load cache not written to %s: %r", self._path, exc)
        finally:
            tmp.unlink(missing_ok=True)
        self._saved = self._state()
        self._changes, self._verdicts = 0, {id(v): v for v in self._privacy.values()}

    def _small_change(self) -> bool:
        """Since the state read from disk, only a few files were parsed or dropped and a few verdicts made (one
        saved entry): rewriting megabytes costs `diary search` more than the next run spends parsing them again.
        Leaving the older state on disk is always safe: every part of it is keyed by what it was made from."""
        if self._verdicts is None:  # nothing was read from disk (none, damaged, other code): write
            return False
        new_verdicts = sum(1 for v in self._privacy.values() if id(v) not in self._verdicts)
        return self._changes + new_verdicts < SAVE_AFTER_CHANGES

    def taxonomy(self, diaries_dir: Path) -> tuple[Taxonomy, list[Diagnostic]]:
        """load_taxonomy, parsed again only when topics.yml, methods.yml or glossary.yml changed (YAML parsing of
        the taxonomy is a good part of a CLI run)."""
        stamps = tuple(_stamp(diaries_dir / name) for name in TAXONOMY_FILES)
        if self._taxonomy_read is None or self._taxonomy_read[0] != (diaries_dir, stamps):
            taxonomy, problems = load_taxonomy(diaries_dir)
            self._taxonomy_read = ((diaries_dir, stamps), taxonomy, tuple(problems))
            self._changes += SAVE_AFTER_CHANGES  # every file is read again under it: always worth writing
        return self._taxonomy_read[1], list(self._taxonomy_read[2])

    def load(self, path: Path, diaries_dir: Path, resolvers: Resolvers, taxonomy: Taxonomy) -> LoadedFile:
        return self.load_many([path], diaries_dir, resolvers, taxonomy)[0]

    def load_many(self, paths: Sequence[Path], diaries_dir: Path, resolvers: Resolvers,
                  taxonomy: Taxonomy) -> list[LoadedFile]:
        """Each file as last read if its size and mtime are unchanged, else read again (all of those at once, on
        every core: parse_files)."""
        self._unpack()
        if taxonomy is not self._taxonomy or diaries_dir != self._diaries:
            # compared once per build, not once per file: equal taxonomies are deep dataclass comparisons
            if taxonomy != self._taxonomy or diaries_dir != self._diaries:
                self._files = {}
            self._taxonomy, self._diaries = taxonomy, diaries_dir
        out: list[LoadedFile | None] = []
        todo: list[tuple[int, Path, tuple[int, int] | None]] = []
        for path in paths:
            try:
                st = path.stat()
            except OSError:  # gone since it was listed, or a link that broke: load_file says which
                self._files.pop(path, None)
                stamp = None
            else:
                stamp = (st.st_size, st.st_mtime_ns)
                hit = self._files.get(path)
                if hit is not None and hit[0] == stamp:
                    out.append(hit[1])
                    continue
            self._changes += 1
            todo.append((len(out), path, stamp))
            out.append(None)
        for (at, path, stamp), loaded in zip(todo, parse_files([p for _, p, _ in todo], diaries_dir, resolvers),
                                             strict=True):
            out[at] = loaded
            if stamp is not None:
                self._files[path] = (stamp, loaded)
        return [f for f in out if f is not None]

    def forget_missing(self, paths: Sequence[Path]) -> None:
        """Drop the files no longer listed (deleted or moved), so neither memory nor the disk copy keeps them."""
        self._unpack()
        keep = set(paths)
        for gone in [p for p in self._files if p not in keep]:
            del self._files[gone]
            self._changes += 1


LOAD_CACHE_FILE = "load.pickle"
TAXONOMY_FILES = ("topics.yml", "methods.yml", "glossary.yml")
# Bump when what a LoadedFile holds changes shape; code_version() already changes with any edit of site_builder/
LOAD_CACHE_FORMAT = 1
RACY_NS = 2_000_000_000
SAVE_AFTER_CHANGES = 20  # files parsed, dropped or verdicts made below which `save` leaves the disk state alone


class _Pickler(pickle.Pickler):
    """Paths as one string each: pathlib pickles a path as its parts, and rebuilding 7,000 paths part by part was
    most of the time `diary search` spent unpickling the cache."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, PurePath):
            return type(obj), (str(obj),)
        return NotImplemented



class _Unpickler(pickle.Unpickler):
    """Pickle keeps the frozen Entry / Diagnostic values as they are, but unpickling can call anything a file names:
    only the value classes of this project (and Path, date) may be built, so a planted cache file cannot run code
    (Python's "restricting globals"); anything else is a damaged cache."""

    ALLOWED = frozenset({
        ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"), ("datetime", "date"),
        ("site_builder.corpus.load", "LoadedFile"), ("site_builder.diagnostics", "Diagnostic"),
        ("site_builder.privacy.people", "People"), ("site_builder.privacy.people", "Rules"),
        *(("site_builder.model", name) for name in ("Entry", "Topic", "Method", "GlossaryTerm", "Taxonomy")),
    })

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a value this cache holds")
        return super().find_class(module, name)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@functools.cache
def code_version() -> str:
    """A hash of site_builder's Python sources: what the code parses, checks and learns changes with any of them,
    so caches on disk are only read by the code that wrote them (~100 small files, a few milliseconds)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def load_files(diaries_dir: Path, taxonomy: Taxonomy, paths: list[Path] | None = None,
               cache: LoadCache | None = None) -> list[LoadedFile]:
    resolvers = Resolvers(NameResolver.for_topics(taxonomy), NameResolver.for_methods(taxonomy))
    diaries = diaries_dir.resolve()
    skipped: list[LoadedFile] = []
    listed = paths is None  # the whole folder: whatever the cache holds beyond it was deleted
    if paths is None:
        paths, passed_over = discover_all(diaries_dir)
        for path, why in passed_over:
            shown = display_path(path, diaries_dir, follow=False)
            skipped.append(LoadedFile(path, shown, None, (Diagnostic(shown, 0, "special-file", why),)))
    if cache is None:
        return skipped + parse_files(paths, diaries, resolvers)
    if listed:
        cache.forget_missing(paths)
    return skipped + cache.load_many(paths, diaries, resolvers, taxonomy)


def parse_files(paths: Sequence[Path], diaries_dir: Path, resolvers: Resolvers) -> list[LoadedFile]:
    """load_file for each path; thousands of them (a first build) on every core (workers.py)."""
    from .. import workers

    def parse(chunk: Sequence[Path]) -> list[LoadedFile]:
        return [load_file(p, diaries_dir, resolvers) for p in chunk]

    return workers.map_chunks(parse, paths)


def cross_check(files: list[LoadedFile]) -> tuple[list[Entry], list[Diagnostic]]:
    """Problems that involve two files: the same text twice, the same URL twice. The first file read wins."""
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    by_hash: dict[str, LoadedFile] = {}
    by_id: dict[str, LoadedFile] = {}
    by_day_title: dict[tuple[object, str], LoadedFile] = {}
    for f in files:
        e = f.entry
        if e is None:
            continue
        digest = hashlib.sha1(f"{e.date}\n{e.title}\n{e.body.strip()}".encode(), usedforsecurity=False).hexdigest()
        if digest in by_hash:
            first = by_hash[digest].display
            problems.append(Diagnostic(f.display, 1, "duplicate-entry", f"和 {first} 的日期、标题、正文完全相同"))
            continue
        if e.id in by_id:
            first = by_id[e.id].display
            problems.append(Diagnostic(f.display, 1, "duplicate-id", f"网址编号“{e.id}”和 {first} 重复"))
            continue
        same_day = by_day_title.setdefault((e.date, e.title.strip()), f)
        if same_day is not f:
            # two different texts under one date and title: both publish (their URLs differ), but a reader cannot
            # tell them apart in a list, and it is often a copy that was edited
            problems.append(Diagnostic(f.display, e.title_line or 1, "same-date-title",
                                       f"和 {same_day.display} 的日期、标题都相同（正文不同，两篇都发布）"))
        by_hash[digest] = by_id[e.id] = f
        entries.append(e)
    return entries, problems


def load_corpus(settings: Settings, *, suggest: bool = True, cache: BuildCache | None = None,
                focus: Sequence[Path] | None = None) -> tuple[Corpus, list[Diagnostic]]:
    """Everything the site and the CLI know about the diaries, and everything wrong with them, at once.

    `suggest=False` skips topic suggestion (it finds no problems), for callers that only want the diagnostics;
    `cache` (build_cache.BuildCache) lets a long-running caller (`mkdocs serve`) or the CLI (on disk) skip files that
    have not changed since it last read them, and shares one analyzer and tagger between builds;
    `focus` (`diary check PATH…`) reports only the problems of those files — read last, so that a duplicate is
    reported on the file being checked — plus the project-wide ones (taxonomy, missing folder). Files outside
    diaries/ named in `focus` are read too, against the same taxonomy.
    """
    from ..build_cache import BuildCache  # late import: build_cache holds a LoadCache

    files_cache = cache.load if cache is not None else None
    build = cache if cache is not None else BuildCache()  # this call's analyzer and tagger, at least
    taxonomy, problems = (files_cache.taxonomy(settings.diaries_dir) if files_cache
                          else load_taxonomy(settings.diaries_dir))
    missing = missing_diaries_dir(settings.diaries_dir)
    if missing is not None:
        problems.append(missing)
    files = load_files(settings.diaries_dir, taxonomy, cache=files_cache)
    focused: set[str] | None = None
    if focus is not None:
        wanted = {os.path.realpath(p) for p in focus}
        files = [f for f in files if os.path.realpath(f.path) not in wanted]
        targets = load_files(settings.diaries_dir, taxonomy, list(focus), cache=files_cache)
        files += targets
        focused = {f.display for f in targets}
    found: list[Diagnostic] = []
    for f in files:
        found.extend(f.diagnostics)
    entries, more = cross_check(files)
    found.extend(more)
    public = [e for e in entries if e.visibility == "public"]
    # residents' personal data: pseudonyms and masks applied, entries that would leak any held back, so the site,
    # `diary check` and `diary search` all see the same safe entries
    public, more = protect(public, settings.diaries_dir, files_cache.privacy if files_cache is not None else None)
    found.extend(more)
    problems.extend(found if focused is None else [d for d in found if d.path in focused])
    public.sort(key=lambda e: (e.date, e.id))
    if suggest:
        from ..search.postings import plain_text, segmented_texts  # late: search reaches the analyzer and jieba

        # the tagger, related cases and the indexes all segment the same texts: on every core, before the first
        # (and the whole words of the texts the tagger will score by keywords: those without topics)
        keyword_texts = frozenset(t for e in public if not e.topics for t in (e.title, plain_text(e.body)))
        build.analyzer(taxonomy, settings).prefetch(segmented_texts(public), keyword_texts)
        public = _suggest(public, taxonomy, settings, build)
    corpus = Corpus(tuple(public), taxonomy)
    # diaries/paths.yml (issue #12 item 2): its problems are project-wide, reported whatever `focus` names
    curriculum, more = _curriculum(settings, corpus, entries, files)
    problems.extend(more)
    return replace(corpus, curriculum=curriculum) if curriculum else corpus, problems


def _curriculum(settings: Settings, corpus: Corpus, entries: list[Entry],
                files: list[LoadedFile]) -> tuple[tuple[LearningPath, ...], list[Diagnostic]]:
    from ..structure.curriculum import Known, load_curriculum

    published = {e.id for e in corpus.entries}
    diaries = settings.diaries_dir.resolve()
    failed = set()
    for f in files:
        if f.entry is None:
            try:
                failed.add(resolved(f.path).relative_to(diaries).as_posix())
            except ValueError:
                continue
    known = Known(corpus.entries, corpus.threads(), corpus.taxonomy,
                  withheld=frozenset(e.rel_source for e in entries if e.id not in published),
                  failed=frozenset(failed))
    return load_curriculum(settings.diaries_dir, known)


def _suggest(entries: list[Entry], taxonomy: Taxonomy, settings: Settings, cache: BuildCache) -> list[Entry]:
    """Suggested topics for entries that have none (the tagger decides; explicit topics always win)."""
    from ..tagging.tagger import (
        suggest_topics,  # late import: tagging needs the analyzer, loaded only when entries exist
    )

    if not any(not e.topics for e in entries):
        return entries
    suggestions = suggest_topics(entries, taxonomy, settings, cache)
    return [replace(e, suggested_topics=tuple(s.slug for s in suggestions.get(e.id, ()))) if not e.topics else e
            for e in entries]
