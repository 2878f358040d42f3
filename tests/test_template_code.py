"""The theme's compiled templates kept between the builds of one server (render/template_code.py): a new environment
reuses the code of an unchanged template, compiles an edited one, and never takes code compiled with other options."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from site_builder.render.template_code import TemplateCode


def _env(folder: Path, code: TemplateCode, compiled: list[str], **options: object) -> jinja2.Environment:
    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def,override]
            compiled.append(str(name))
            return super().compile(source, name, filename, raw, defer_init)

    env = Counting(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False, **options)  # type: ignore[arg-type]
    code.install(env)
    return env


def test_a_new_environment_reuses_unchanged_code_and_compiles_edits(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>{{ title }}</p>\n", encoding="utf-8")
    code, compiled = TemplateCode(), list[str]()
    assert _env(tmp_path, code, compiled).get_template("page.html").render(title="一") == "<p>一</p>"
    assert compiled == ["page.html"]
    # the next build: a new environment, the same source
    assert _env(tmp_path, code, compiled).get_template("page.html").render(title="二") == "<p>二</p>"
    assert compiled == ["page.html"]
    # an override edited while serving
    (tmp_path / "page.html").write_text("<h1>{{ title }}</h1>\n", encoding="utf-8")
    assert _env(tmp_path, code, compiled).get_template("page.html").render(title="三") == "<h1>三</h1>"
    assert compiled == ["page.html", "page.html"]


@pytest.mark.parametrize("options", [{"trim_blocks": True}, {"autoescape": True}, {"extensions": ["jinja2.ext.i18n"]}])
def test_code_compiled_with_other_options_is_not_taken(tmp_path: Path, options: dict[str, object]) -> None:
    (tmp_path / "page.html").write_text("{% if x %}\n<b>{{ x }}</b>\n{% endif %}\n", encoding="utf-8")
    code, compiled = TemplateCode(), list[str]()
    assert _env(tmp_path, code, compiled).get_template("page.html").render(x="<i>") == "\n<b><i></b>\n"
    envs = [_env(tmp_path, code, compiled, **options), _env(tmp_path, TemplateCode(), [], **options)]
    for env in envs:
        if "extensions" in options:
            env.install_null_translations()  # type: ignore[attr-defined]
    got, alone = (env.get_template("page.html").render(x="<i>") for env in envs)
    assert compiled == ["page.html", "page.html"]  # compiled again for the other options
    assert got == alone  # as if no other code had been kept


def test_an_environment_that_escapes_by_name_is_left_alone(tmp_path: Path) -> None:
    env = jinja2.Environment(autoescape=jinja2.select_autoescape())
    TemplateCode().install(env)
    assert env.bytecode_cache is None
