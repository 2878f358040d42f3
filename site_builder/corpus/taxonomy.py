"""diaries/topics.yml and diaries/methods.yml → Taxonomy, and resolution of the names an entry uses.

A topic can be named by its slug, its name, an alias, or any of those in Traditional script: 物業 → 物业 → wuye.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..model import GlossaryTerm, Method, Taxonomy, Topic
from ..text.query import prepare


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


# a topic or method slug becomes a file name and a URL: ASCII, no path separators, no leading dot
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# `三长制（网格长+楼栋长+单元长）`: the name before the bracket is what people say
_BRACKETED = re.compile(r"^(.+?)\s*[（(【\[].*$")


def _mapping(value: Any, path: Path, what: str, problems: list[Diagnostic]) -> dict[Any, Any]:
    """A YAML mapping where one is expected; a list or a string is reported, not crashed on."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    problems.append(Diagnostic(str(path), 0, "bad-taxonomy", f"{what}应当写成“词: [同义词, …]”的形式，这一段没有用上"))
    return {}


def _load_yaml(path: Path, problems: list[Diagnostic]) -> Any:
    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Diagnostic(str(path), mark.line + 1 if mark else 0, "bad-taxonomy", f"无法读取：{exc}"))
        return None


def _usable(items: Any, path: Path, what: str, required: tuple[str, ...],
            problems: list[Diagnostic]) -> Iterator[dict[str, Any]]:
    """The items of a list in topics.yml, methods.yml or glossary.yml that have every required key (the first
    names the item) and a slug that can be a URL part; a problem for each other one. A topic's or method's slug is
    a file name and a URL, a glossary term's an anchor in every link to it: Markdown and HTML around it must not
    change meaning (`../x`, `a" onclick`)."""
    for i, item in enumerate(items or []):
        if not isinstance(item, dict) or not all(item.get(k) for k in required):
            wanted = "、".join(required[:-1]) + " 或 " + required[-1]
            problems.append(Diagnostic(str(path), 0, "bad-taxonomy", f"第 {i + 1} 个{what}缺少 {wanted}"))
        elif not _SLUG.match(str(item["slug"])):
            name, slug = item[required[0]], item["slug"]
            problems.append(Diagnostic(str(path), 0, "bad-taxonomy",
                                       f"{what}“{name}”的 slug “{slug}”只能用小写字母、数字和连字符"))
        else:
            yield item


def load_taxonomy(diaries_dir: Path) -> tuple[Taxonomy, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    topics_path, methods_path = diaries_dir / "topics.yml", diaries_dir / "methods.yml"
    raw = _load_yaml(topics_path, problems) or {}
    if not isinstance(raw, dict):
        problems.append(Diagnostic(str(topics_path), 1, "bad-taxonomy", "应当以 `topics:` 开头"))
        raw = {}
    topics = []
    for t in _usable(raw.get("topics") if isinstance(raw.get("topics"), list) else [], topics_path, "主题",
                     ("name", "slug"), problems):
        context = _mapping(t.get("context"), topics_path, f"主题“{t['name']}”的 context ", problems)
        topics.append(Topic(slug=str(t["slug"]), name=str(t["name"]), description=str(t.get("description") or ""),
                            aliases=_strs(t.get("aliases")), traditional=_strs(t.get("traditional")),
                            keywords=_strs(t.get("keywords")), questions=_strs(t.get("questions")),
                            context=tuple((str(w), _strs(near)) for w, near in context.items())))
    synonyms = tuple((str(k), _strs(v)) for k, v in
                     _mapping(raw.get("synonyms"), topics_path, "synonyms ", problems).items())
    methods_raw = _load_yaml(methods_path, problems) or {}
    methods = []
    for m in _usable(methods_raw.get("methods") if isinstance(methods_raw, dict) else [], methods_path, "工作法",
                     ("name", "slug"), problems):
        methods.append(Method(slug=str(m["slug"]), name=str(m["name"]), who=str(m.get("who") or ""),
                              where=str(m.get("where") or ""), what=str(m.get("what") or ""),
                              topics=_strs(m.get("topics")), aliases=_strs(m.get("aliases"))))
    taxonomy = Taxonomy(tuple(topics), tuple(methods), synonyms, _strs(raw.get("filler")),
                        _load_glossary(diaries_dir / "glossary.yml", problems))
    return taxonomy, problems


def _load_glossary(path: Path, problems: list[Diagnostic]) -> tuple[GlossaryTerm, ...]:
    raw = _load_yaml(path, problems) or {}
    terms = []
    for t in _usable(raw.get("terms") if isinstance(raw, dict) else [], path, "术语", ("term", "slug", "meaning"),
                     problems):
        terms.append(GlossaryTerm(term=str(t["term"]), slug=str(t["slug"]), meaning=str(t["meaning"]),
                                  region=str(t.get("region") or ""), topic=str(t.get("topic") or ""),
                                  aliases=_strs(t.get("aliases"))))
    return tuple(terms)


class NameResolver:
    """Maps every way of writing a topic or method (slug, name, alias, either script) to its slug."""

    def __init__(self, names: dict[str, str], words: dict[str, str] | None = None,
                 display: dict[str, str] | None = None) -> None:
        self._names = names  # prepared name → slug
        self._words = words or {}  # prepared keyword → display name, for "是不是…" hints only (never resolves)
        self._display = display or {}  # slug → the name a hint shows

    @classmethod
    def for_topics(cls, taxonomy: Taxonomy) -> NameResolver:
        names: dict[str, str] = {}
        for t in taxonomy.topics:
            for n in (t.slug, t.name, *t.aliases, *t.traditional):
                names.setdefault(prepare(n), t.slug)
        # a keyword of exactly one topic (暖气 → 房屋设施报修与水电暖) is a good guess for the hint
        owners: dict[str, set[str]] = {}
        for t in taxonomy.topics:
            for k in t.keywords:
                owners.setdefault(prepare(k), set()).add(t.name)
        words = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1 and len(k) > 1}
        return cls(names, words, {t.slug: t.name for t in taxonomy.topics})

    @classmethod
    def for_methods(cls, taxonomy: Taxonomy) -> NameResolver:
        names: dict[str, str] = {}
        for m in taxonomy.methods:
            for n in (m.slug, m.name, *m.aliases):
                for variant in _method_variants(n):
                    names.setdefault(prepare(variant), m.slug)
        return cls(names, display={m.slug: m.name for m in taxonomy.methods})

    def resolve(self, name: str) -> str | None:
        for variant in _method_variants(name):
            slug = self._names.get(prepare(variant))
            if slug is not None:
                return slug
        return None

    def suggest(self, name: str) -> str | None:
        """The name a "是不是…" hint offers: a keyword she used, a near spelling, or a name hers is part of."""
        key = prepare(name)
        if key in self._words:
            return self._words[key]
        close = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.5)
        if close:
            return self._shown(close[0])
        # a longer phrase around a keyword (出租屋管理 has 出租屋): the longest keyword inside it
        inside = sorted((k for k in self._words if len(k) > 1 and k in key), key=len, reverse=True)
        if inside:
            return self._words[inside[0]]
        # a short word the secretary typed (防疫) is often part of the real name (疫情防控 has 防控, …)
        part = next((n for n in self._names if key and (key in n or n in key) and len(n) > 1), None)
        return self._shown(part) if part else None

    def _shown(self, prepared: str) -> str:
        return self._display.get(self._names[prepared], prepared)


def _method_variants(name: str) -> tuple[str, ...]:
    """A name, without its quotes, and the part before a bracket: `“四个一”推送`, `三长制（网格长+…）` → `三长制`."""
    plain = name.strip().replace("“", "").replace("”", "").replace('"', "")
    short = _BRACKETED.match(plain)
    return (name, plain, short.group(1)) if short else (name, plain)
