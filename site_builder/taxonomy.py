"""diaries/topics.yml and diaries/methods.yml → Taxonomy, and resolution of the names an entry uses.

A topic can be named by its slug, its name, an alias, or any of those in Traditional script: 物業 → 物业 → wuye.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .model import GlossaryTerm, Method, Taxonomy, Topic
from .text.query import prepare


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


def _load_yaml(path: Path, problems: list[Diagnostic]) -> Any:
    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Diagnostic(str(path), mark.line + 1 if mark else 0, "bad-taxonomy", f"无法读取：{exc}"))
        return None


def load_taxonomy(diaries_dir: Path) -> tuple[Taxonomy, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    topics_path, methods_path = diaries_dir / "topics.yml", diaries_dir / "methods.yml"
    raw = _load_yaml(topics_path, problems) or {}
    if not isinstance(raw, dict):
        problems.append(Diagnostic(str(topics_path), 1, "bad-taxonomy", "应当以 `topics:` 开头"))
        raw = {}
    topics = []
    for i, t in enumerate(raw.get("topics") or []):
        if not isinstance(t, dict) or not t.get("slug") or not t.get("name"):
            problems.append(Diagnostic(str(topics_path), 0, "bad-taxonomy", f"第 {i + 1} 个主题缺少 slug 或 name"))
            continue
        topics.append(Topic(slug=str(t["slug"]), name=str(t["name"]), description=str(t.get("description") or ""),
                            aliases=_strs(t.get("aliases")), traditional=_strs(t.get("traditional")),
                            keywords=_strs(t.get("keywords")), questions=_strs(t.get("questions")),
                            context=tuple((str(w), _strs(near)) for w, near in (t.get("context") or {}).items())))
    synonyms = tuple((str(k), _strs(v)) for k, v in (raw.get("synonyms") or {}).items())
    methods_raw = _load_yaml(methods_path, problems) or {}
    methods = []
    for i, m in enumerate(methods_raw.get("methods") or [] if isinstance(methods_raw, dict) else []):
        if not isinstance(m, dict) or not m.get("slug") or not m.get("name"):
            problems.append(Diagnostic(str(methods_path), 0, "bad-taxonomy", f"第 {i + 1} 个工作法缺少 slug 或 name"))
            continue
        methods.append(Method(slug=str(m["slug"]), name=str(m["name"]), who=str(m.get("who") or ""),
                              where=str(m.get("where") or ""), what=str(m.get("what") or ""),
                              topics=_strs(m.get("topics"))))
    taxonomy = Taxonomy(tuple(topics), tuple(methods), synonyms, _strs(raw.get("filler")),
                        _load_glossary(diaries_dir / "glossary.yml", problems))
    return taxonomy, problems


def _load_glossary(path: Path, problems: list[Diagnostic]) -> tuple[GlossaryTerm, ...]:
    raw = _load_yaml(path, problems) or {}
    terms = []
    for i, t in enumerate(raw.get("terms") or [] if isinstance(raw, dict) else []):
        if not isinstance(t, dict) or not t.get("term") or not t.get("slug") or not t.get("meaning"):
            problems.append(Diagnostic(str(path), 0, "bad-taxonomy", f"第 {i + 1} 个术语缺少 term、slug 或 meaning"))
            continue
        terms.append(GlossaryTerm(term=str(t["term"]), slug=str(t["slug"]), meaning=str(t["meaning"]),
                                  region=str(t.get("region") or ""), topic=str(t.get("topic") or ""),
                                  aliases=_strs(t.get("aliases"))))
    return tuple(terms)


class NameResolver:
    """Maps every way of writing a topic or method (slug, name, alias, either script) to its slug."""

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names  # prepared name → slug

    @classmethod
    def for_topics(cls, taxonomy: Taxonomy) -> NameResolver:
        names: dict[str, str] = {}
        for t in taxonomy.topics:
            for n in (t.slug, t.name, *t.aliases, *t.traditional):
                names.setdefault(prepare(n), t.slug)
        return cls(names)

    @classmethod
    def for_methods(cls, taxonomy: Taxonomy) -> NameResolver:
        names: dict[str, str] = {}
        for m in taxonomy.methods:
            for n in (m.slug, m.name, m.name.strip("“”\"")):
                names.setdefault(prepare(n), m.slug)
        return cls(names)

    def resolve(self, name: str) -> str | None:
        return self._names.get(prepare(name))

    def suggest(self, name: str) -> str | None:
        close = difflib.get_close_matches(prepare(name), list(self._names), n=1, cutoff=0.5)
        if close:
            return close[0]
        # a short word the secretary typed (防疫) is often part of the real name (疫情防控 has 防控, …)
        key = prepare(name)
        return next((n for n in self._names if key and (key in n or n in key) and len(n) > 1), None)
