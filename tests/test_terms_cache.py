"""The build's caches of segmentation and related cases on disk (`mkdocs build`, `diary search`): the next process
segments only the texts that changed and reads related cases back for the same diaries, and what it gets equals a
fresh computation whatever changed (an entry edited or deleted, topics.yml, people.yml); damaged, planted or
foreign files are ignored."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest
from conftest import january_entry as entry
from conftest import make_project

import site_builder.structure.related as related_module
import site_builder.text.analyzer as analyzer_module
from site_builder.build_cache import BuildCache
from site_builder.corpus.load import load_corpus
from site_builder.model import Corpus, Settings
from site_builder.search.postings import doc_terms
from site_builder.structure.related import related_for
from site_builder.text.segment import Segmenter

OLD = time.time() - 3600

FILES: dict[str, str | bytes] = {
    "a.md": entry(2, "物业撤了", "物业公司撤场以后，楼道没人扫。", "wuye"),
    "b.md": entry(3, "楼上跑水", "三楼跑水淹了二楼，赶紧找人关阀门。", "weixiu"),
    "c.md": entry(4, "楼道堆物", "楼道里堆满了旧家具，物业不管，楼道没人扫。"),
    "d.md": entry(5, "看望刘凤霞", "下午去看刘凤霞，她腿脚不好，楼上跑水也没人管。"),
    "e.md": entry(6, "马葫芦冒水", "院里的马葫芦又冒水了，一楼返水，物业不管。"),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(analyzer_module, "SAVE_AFTER_NEW", 0)  # five entries: store whatever was segmented
    root = make_project(tmp_path, FILES)
    for path in (root / "diaries").rglob("*"):
        os.utime(path, (OLD, OLD))
    return Settings(root / "diaries", root / ".cache" / "diary")


@pytest.fixture
def segmented(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts jieba is asked to cut while a test runs (not answered from a memo or the disk)."""
    seen: list[str] = []
    real = Segmenter.search_tokens

    def counting(self: Segmenter, folded: str) -> list[str]:
        seen.append(folded)
        return real(self, folded)

    monkeypatch.setattr(Segmenter, "search_tokens", counting)
    return seen


@pytest.fixture
def multiplied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per related_cases computation."""
    calls: list[int] = []
    real = related_module.related_cases

    def counting(corpus: Corpus, terms: object) -> dict[str, tuple[str, ...]]:
        calls.append(len(corpus.entries))
        return real(corpus, terms)  # type: ignore[arg-type]

    monkeypatch.setattr(related_module, "related_cases", counting)
    return calls


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (OLD + 60, OLD + 60))


def process(settings: Settings) -> tuple[Corpus, dict[str, tuple[str, ...]], list[dict[str, int]]]:
    """What one `mkdocs build` computes with the disk caches: corpus, related cases, the index terms."""
    cache = BuildCache.on_disk(settings.cache_dir)
    corpus, _ = load_corpus(settings, cache=cache)
    analyzer = cache.analyzer(corpus.taxonomy, settings)
    related = related_for(corpus, settings, analyzer, store=True)
    terms = [d.weights for d in doc_terms(corpus.entries, analyzer)]
    cache.save()
    return corpus, related, terms


def fresh(settings: Settings) -> tuple[Corpus, dict[str, tuple[str, ...]], list[dict[str, int]]]:
    """The same without any cache (another cache folder, nothing kept)."""
    alone = Settings(settings.diaries_dir, settings.cache_dir.parent / "fresh")
    corpus, _ = load_corpus(alone)
    analyzer = BuildCache().analyzer(corpus.taxonomy, alone)
    return corpus, related_for(corpus, alone, analyzer), [d.weights for d in doc_terms(corpus.entries, analyzer)]


def same_as_fresh(settings: Settings) -> None:
    corpus, related, terms = process(settings)
    want_corpus, want_related, want_terms = fresh(settings)
    assert corpus.entries == want_corpus.entries
    assert related == want_related and terms == want_terms


def test_a_second_build_segments_nothing_and_reuses_related_cases(project, segmented, multiplied):
    first = process(project)
    assert segmented and multiplied == [5]
    assert list(project.cache_dir.glob("terms-*.pickle")) and list(project.cache_dir.glob("related-*.json"))
    segmented.clear()
    second = process(project)
    assert segmented == [] and multiplied == [5]  # nothing cut again, the product not made again
    assert second[0].entries == first[0].entries and second[1:] == first[1:]
    same_as_fresh(project)


def test_an_edit_is_segmented_again_and_changes_related_cases(project, segmented, multiplied):
    process(project)
    segmented.clear()
    write(project.diaries_dir / "c.md", entry(4, "楼道堆物", "楼道里堆满了旧家具，马葫芦冒水，一楼返水。"))
    process(project)
    assert any("马葫芦冒水" in t for t in segmented)
    assert not any("楼上跑水也没人管" in t for t in segmented)  # d.md was not cut again
    assert multiplied == [5, 5]  # computed again
    same_as_fresh(project)


def test_a_deletion_topics_and_people_changes_show_up(project, multiplied):
    process(project)
    (project.diaries_dir / "e.md").unlink()
    same_as_fresh(project)
    topics = project.diaries_dir / "topics.yml"
    write(topics, topics.read_text(encoding="utf-8").replace("物业", "物業管理", 1))
    same_as_fresh(project)
    write(project.diaries_dir / "people.yml", "刘凤霞: 刘某某\n")
    corpus, _, _ = process(project)
    assert "刘某某" in corpus.by_id["d"].body and "刘凤霞" not in corpus.by_id["d"].body
    same_as_fresh(project)


def test_another_code_version_or_a_damaged_or_planted_file_is_ignored(project, segmented, monkeypatch):
    first = process(project)
    monkeypatch.setattr("site_builder.corpus.load.code_version", lambda: "other code")
    segmented.clear()
    assert process(project)[1:] == first[1:]
    assert segmented  # terms written by other code were not used
    monkeypatch.undo()
    monkeypatch.setattr(analyzer_module, "SAVE_AFTER_NEW", 0)
    (terms,) = project.cache_dir.glob("terms-*.pickle")
    (related,) = project.cache_dir.glob("related-*.json")
    for damage in (b"\x80\x05garbage", pickle.dumps(os.system)):
        terms.write_bytes(damage)
        related.write_bytes(damage)
        assert process(project)[1:] == first[1:]
    same_as_fresh(project)
