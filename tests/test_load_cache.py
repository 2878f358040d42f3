"""LoadCache on disk (`diary search` after a save): only changed files are parsed again, and the corpus, the
problems and the search results equal a fresh load's whatever changed (an entry, a deletion, the taxonomy,
people.yml); a damaged or planted cache file is ignored."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from conftest import january_entry as entry
from conftest import make_project

from site_builder.build_cache import BuildCache
from site_builder.cli import main
from site_builder.corpus.load import LOAD_CACHE_FILE, load_corpus
from site_builder.model import Settings

OLD = time.time() - 3600  # older than the cache's "racily clean" window, so the files' stamps are kept


FILES: dict[str, str | bytes] = {
    "a.md": entry(2, "物业撤了", "物业公司撤场以后，楼道没人扫。", "wuye"),
    "b.md": entry(3, "楼上跑水", "三楼跑水淹了二楼，赶紧找人关阀门。", "weixiu"),
    "c.md": entry(4, "楼道堆物", "楼道里堆满了旧家具，物业不管。"),
    "d.md": entry(5, "看望刘凤霞", "下午去看刘凤霞，她腿脚不好。"),
    "e.md": entry(6, "马葫芦冒水", "院里的马葫芦又冒水了，一楼返水。"),
}


def aged(root: Path) -> None:
    for path in (root / "diaries").rglob("*"):
        os.utime(path, (OLD, OLD))


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (OLD + 60, OLD + 60))  # a new stamp, still outside the racy window


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    root = make_project(tmp_path, FILES)
    aged(root)
    return Settings(root / "diaries", root / ".cache" / "diary")


def cached_load(settings: Settings):
    cache = BuildCache.on_disk(settings.cache_dir)
    corpus, problems = load_corpus(settings, cache=cache)
    cache.save()
    return corpus, problems


def same_as_fresh(settings: Settings) -> None:
    corpus, problems = cached_load(settings)
    fresh, fresh_problems = load_corpus(settings)
    assert corpus.entries == fresh.entries
    assert corpus.taxonomy == fresh.taxonomy
    assert [p.format() for p in problems] == [p.format() for p in fresh_problems]


def test_a_second_run_parses_only_the_changed_file(project, parses):
    cached_load(project)
    assert sorted(parses) == ["a.md", "b.md", "c.md", "d.md", "e.md"]
    parses.clear()
    cached_load(project)
    assert parses == []
    write(project.diaries_dir / "c.md", entry(4, "楼道堆物", "楼道里堆满了旧家具，物业还是不管。"))
    corpus, _ = cached_load(project)
    assert parses == ["c.md"]
    assert "还是不管" in corpus.by_id["c"].body
    same_as_fresh(project)


def test_a_file_saved_just_now_is_read_again_next_time(project, parses):
    cached_load(project)
    saved = project.diaries_dir / "e.md"
    saved.write_text(entry(6, "马葫芦冒水", "又冒水了。"), encoding="utf-8")
    soon = time.time() + 60  # "just now" however slow this machine is between the steps below
    os.utime(saved, (soon, soon))
    cached_load(project)
    parses.clear()
    cached_load(project)
    assert parses == ["e.md"]  # its stamp may not tell the next change in the same tick: not trusted yet


def test_deleted_and_added_files(project):
    cached_load(project)
    (project.diaries_dir / "b.md").unlink()
    write(project.diaries_dir / "f.md", entry(7, "独居老人", "给独居老人送饭。"))
    corpus, _ = cached_load(project)
    assert "b" not in corpus.by_id and "f" in corpus.by_id
    same_as_fresh(project)


def test_people_yml_change_is_seen(project):
    corpus, problems = cached_load(project)
    assert "d" in corpus.by_id  # no people.yml: nobody is known to be real
    write(project.diaries_dir / "people.yml", "刘凤霞: 刘某某\n")
    corpus, _ = cached_load(project)
    assert "刘某某" in corpus.by_id["d"].body and "刘凤霞" not in corpus.by_id["d"].body
    write(project.diaries_dir / "people.yml", "刘凤霞:\n")  # real, no pseudonym yet: held back
    corpus, problems = cached_load(project)
    assert "d" not in corpus.by_id and any(p.code == "pii-name" for p in problems)
    same_as_fresh(project)


def test_taxonomy_change_is_seen(project, parses):
    cached_load(project)
    topics = project.diaries_dir / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    assert "slug: wuye" in text
    write(topics, text.replace("slug: wuye", "slug: wuye-guanli"))
    parses.clear()
    corpus, problems = cached_load(project)
    assert len(parses) == 5  # topic names resolve differently: everything read again
    assert corpus.by_id["a"].topics == ("wuye-guanli",) or any(p.path.endswith("a.md") for p in problems)
    assert any(t.slug == "wuye-guanli" for t in corpus.taxonomy.topics)
    same_as_fresh(project)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "planted"])
def test_a_damaged_or_planted_cache_file_is_ignored(project, damage, tmp_path):
    cached_load(project)
    path = project.cache_dir / LOAD_CACHE_FILE
    good = path.read_bytes()
    marker = tmp_path / "ran"
    if damage == "garbage":
        path.write_bytes(b"\x80\x05garbage" * 100)
    elif damage == "truncated":
        path.write_bytes(good[: len(good) * 2 // 3])
    else:  # a pickle that would run a command when loaded
        class Evil:
            def __reduce__(self) -> tuple[object, tuple[str]]:
                return os.system, (f"touch {marker}",)

        head = pickle.loads(good)  # the real head, so the format check passes and the body is unpickled
        path.write_bytes(pickle.dumps(head) + pickle.dumps(Evil()))
    same_as_fresh(project)
    assert not marker.exists()


def test_diary_search_after_a_save_equals_a_fresh_index(project, capsys):
    root = project.diaries_dir.parent
    assert main(["--root", str(root), "search", "物业", "--json"]) == 0
    capsys.readouterr()
    write(project.diaries_dir / "e.md", entry(6, "马葫芦冒水", "院里的马葫芦又冒水了，物业说明天来。"))
    assert main(["--root", str(root), "search", "物业", "--json"]) == 0
    after = capsys.readouterr().out
    assert (project.cache_dir / LOAD_CACHE_FILE).is_file()
    shutil.rmtree(project.cache_dir)  # a fresh start: nothing cached at all
    assert main(["--root", str(root), "search", "物业", "--json"]) == 0
    assert capsys.readouterr().out == after
    assert '"e"' in after


def test_a_small_change_leaves_the_file_alone_and_is_still_seen(project, parses, monkeypatch):
    """One saved entry does not rewrite load.pickle (SAVE_AFTER_CHANGES): the next run parses that file again and
    sees it; enough changes are written."""
    import site_builder.corpus.load as load_module

    cached_load(project)
    path = project.cache_dir / LOAD_CACHE_FILE
    stored = path.read_bytes()
    write(project.diaries_dir / "c.md", entry(4, "楼道堆物", "楼道里堆满了旧家具，物业还是不管。"))
    (project.diaries_dir / "b.md").unlink()
    cached_load(project)
    assert path.read_bytes() == stored
    parses.clear()
    corpus, _ = cached_load(project)
    assert parses == ["c.md"] and "还是不管" in corpus.by_id["c"].body and "b" not in corpus.by_id
    same_as_fresh(project)
    monkeypatch.setattr(load_module, "SAVE_AFTER_CHANGES", 1)
    cached_load(project)
    assert path.read_bytes() != stored
    parses.clear()
    cached_load(project)
    assert parses == []
