"""Which drafts are new, what their files say, and where they go: importing the same book twice adds nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..authoring.fixes import yaml_scalar
from ..authoring.writer import DiaryWriter, entry_stem
from ..corpus.dates import DateError, parse_date
from ..corpus.discover import discover
from ..corpus.fields import canonical_key
from ..corpus.frontmatter import decode, split
from ..corpus.safe_read import ReadProblem, read_regular
from .splitter import Draft


def content_key(date_iso: str, body: str) -> str:
    """Same day, same words (whitespace aside): the same diary day, whatever file it sits in now."""
    text = f"{date_iso}\n{''.join(body.split())}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Known:
    """What diaries/ already holds: for idempotency and for free file names."""

    sources: frozenset[str]  # imported_from values
    contents: frozenset[str]  # content keys
    stems: frozenset[str]  # file names without .md (they are the entries' ids)

    def adding(self, planned: list[Planned]) -> Known:
        """Also knowing these (so the next book in the same run does not import them again)."""
        return Known(self.sources | {p.source for p in planned},
                     self.contents | {content_key(p.draft.date.isoformat(), p.draft.body) for p in planned},
                     self.stems)


def scan_existing(diaries_dir: Path) -> Known:
    sources: set[str] = set()
    contents: set[str] = set()
    paths = discover(diaries_dir) if diaries_dir.is_dir() else []
    for path in paths:
        try:
            data = read_regular(path)
        except ReadProblem:
            continue  # `diary check` reports it; an unreadable file cannot be a day imported before
        decoded, _ = decode(data, str(path))
        fm = split(decoded, str(path))[0] if decoded is not None else None
        if fm is None:
            continue
        fields = {canonical_key(k): v for k, v in fm.data.items()}
        if fields.get("imported_from"):
            sources.add(str(fields["imported_from"]))
        try:
            date_iso = parse_date(fields.get("date")).value.isoformat()
        except DateError:
            continue
        contents.add(content_key(date_iso, fm.body))
    return Known(frozenset(sources), frozenset(contents), frozenset(p.stem.lower() for p in paths))


@dataclass(frozen=True)
class Planned:
    draft: Draft
    source: str  # imported_from: book name and line
    text: str  # the whole entry file
    already: bool  # imported before (same source line, or the same day's words)


def entry_text(draft: Draft, source: str) -> str:
    return "\n".join([
        "---",
        f"date: {draft.date.isoformat()}",
        f"title: {yaml_scalar(draft.title)}",
        f"imported_from: {yaml_scalar(source)}",
        "---",
        draft.body,
        "",
    ])


def plan(drafts: list[Draft], book_name: str, known: Known) -> list[Planned]:
    seen_sources, seen_contents = set(known.sources), set(known.contents)
    out = []
    for d in drafts:
        source = f"{book_name}:{d.line}"
        key = content_key(d.date.isoformat(), d.body)
        already = source in seen_sources or key in seen_contents
        seen_sources.add(source)
        seen_contents.add(key)
        out.append(Planned(d, source, entry_text(d, source), already))
    return out


def target_folder(diaries_dir: Path, p: Planned) -> Path:
    return diaries_dir / str(p.draft.date.year)


def preview_name(writer: DiaryWriter, p: Planned, taken: set[str]) -> Path:
    """The file `write` would create, without creating it (for --dry-run); the name is then taken."""
    path = writer.free_name(target_folder(writer.diaries_dir, p), entry_stem(p.draft.date), taken)
    taken.add(path.stem.lower())
    return path


def write(writer: DiaryWriter, p: Planned, taken: set[str]) -> Path:
    """Create the entry file (never over an existing one); WriteFailed when the disk refuses."""
    return writer.create(target_folder(writer.diaries_dir, p), entry_stem(p.draft.date), p.text.encode("utf-8"),
                         taken)
