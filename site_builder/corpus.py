"""Discover and load every diary file → Corpus + every diagnostic. The one entry point for the site and the CLI."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import Diagnostic
from .frontmatter import decode, split
from .model import Corpus, Entry, Settings, Taxonomy
from .privacy import protect, with_front_matter
from .schema import Resolvers, build_entry
from .taxonomy import NameResolver, load_taxonomy

# Files in diaries/ that are not entries
SIDE_FILES = {"readme.md", "模板.md", "template.md"}


@dataclass(frozen=True)
class LoadedFile:
    """One file as read: its entry if it is valid, and what was wrong with it."""

    path: Path
    display: str
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]


def discover(diaries_dir: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(diaries_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.lower().endswith(".md") and name.lower() not in SIDE_FILES and not name.startswith((".", "_")):
                found.append(Path(root) / name)
    return found


def display_path(path: Path, diaries_dir: Path) -> str:
    """The path as the secretary knows it: relative to the project folder (diaries/2020/…)."""
    try:
        return path.resolve().relative_to(diaries_dir.resolve().parent).as_posix()
    except ValueError:
        return str(path)


def load_file(path: Path, diaries_dir: Path, resolvers: Resolvers) -> LoadedFile:
    shown = display_path(path, diaries_dir)
    try:
        rel = path.resolve().relative_to(diaries_dir.resolve()).as_posix()
    except ValueError:
        rel = path.name
    decoded, problems = decode(path.read_bytes(), shown)
    if decoded is None:
        return LoadedFile(path, shown, None, tuple(problems))
    fm, more = split(decoded, shown)
    problems += more
    if fm is None:
        return LoadedFile(path, shown, None, tuple(problems))
    entry, more = build_entry(fm, source=path.resolve(), rel_source=rel, path=shown, resolvers=resolvers)
    if entry is not None:
        entry = with_front_matter(entry, fm)  # what the privacy guard needs: allow-list, title line
    return LoadedFile(path, shown, entry, tuple(problems + more))


def load_files(diaries_dir: Path, taxonomy: Taxonomy, paths: list[Path] | None = None) -> list[LoadedFile]:
    resolvers = Resolvers(NameResolver.for_topics(taxonomy), NameResolver.for_methods(taxonomy))
    return [load_file(p, diaries_dir, resolvers) for p in (paths if paths is not None else discover(diaries_dir))]


def cross_check(files: list[LoadedFile]) -> tuple[list[Entry], list[Diagnostic]]:
    """Problems that involve two files: the same text twice, the same URL twice. The first file read wins."""
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    by_hash: dict[str, LoadedFile] = {}
    by_id: dict[str, LoadedFile] = {}
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
        by_hash[digest] = by_id[e.id] = f
        entries.append(e)
    return entries, problems


def load_corpus(settings: Settings) -> tuple[Corpus, list[Diagnostic]]:
    """Everything the site and the CLI know about the diaries, and everything wrong with them, at once."""
    taxonomy, problems = load_taxonomy(settings.diaries_dir)
    files = load_files(settings.diaries_dir, taxonomy)
    for f in files:
        problems.extend(f.diagnostics)
    entries, more = cross_check(files)
    problems.extend(more)
    public = [e for e in entries if e.visibility == "public"]
    # residents' personal data: pseudonyms and masks applied, entries that would leak any held back, so the site,
    # `diary check` and `diary search` all see the same safe entries
    public, more = protect(public, settings.diaries_dir)
    problems.extend(more)
    public.sort(key=lambda e: (e.date, e.id))
    public = _suggest(public, taxonomy, settings)
    return Corpus(tuple(public), taxonomy, private_count=len(entries) - len(public)), problems


def _suggest(entries: list[Entry], taxonomy: Taxonomy, settings: Settings) -> list[Entry]:
    """Suggested topics for entries that have none (the tagger decides; explicit topics always win)."""
    from .tagging import suggest_topics  # late import: tagging needs the analyzer, loaded only when entries exist

    if not any(not e.topics for e in entries):
        return entries
    suggestions = suggest_topics(entries, taxonomy, settings)
    return [replace(e, suggested_topics=tuple(s.slug for s in suggestions.get(e.id, ()))) if not e.topics else e
            for e in entries]
