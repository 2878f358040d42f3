"""Theme fragments rendered once per folder instead of once per page.

Material renders the whole navigation, the header, the footer, the `__config` script and the style and script tags into
every page. For a page that is not in the navigation (every entry, topic, year and case page) none of them depends on
the page, except the title in the header (rendered apart, see overrides/partials/header.html): they show the same
links, made relative to the page's folder. So each is rendered once per (fragment, folder) and reused;
pages in the navigation (their entry is highlighted, its table of contents may be folded in) are always rendered.
The theme's templates stay as they are: the compiled render functions are wrapped (Jinja's `root_render_func` of an
included template, the `blocks` of a template), which is the part of Jinja and Material this depends on (CONTRIBUTING
lists it). tests/test_page_convert.py builds a site with and without this and compares every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jinja2

# Material 9 partials and base.html blocks, and our header's two halves (overrides/partials/header.html), whose output
# depends only on the site and on the page's URL (relative links), never on the page itself, as long as the page is
# not in the navigation (the footer's previous/next links exist only for pages in it)
PARTIALS = ("partials/nav.html", "partials/footer.html", "partials/diary-header-top.html",
            "partials/diary-header-rest.html")
BLOCKS = {"base.html": ("styles", "config", "scripts")}

RenderFunc = Callable[..., Iterator[str]]


class FragmentCache:
    def __init__(self, key: Callable[[Any], str | None]) -> None:
        """`key(page)` is the page's folder when its fragments can be shared, else None."""
        self.key = key
        self.store: dict[tuple[str, str], str] = {}

    def _wrap(self, name: str, render: RenderFunc) -> RenderFunc:
        def cached(context: Any, *args: Any, **kwargs: Any) -> Iterator[str]:
            folder = self.key(context.get("page"))
            if folder is None:
                yield from render(context, *args, **kwargs)
                return
            html = self.store.get((name, folder))
            if html is None:
                html = self.store[name, folder] = "".join(render(context, *args, **kwargs))
            yield html

        cached.diary_wrapped = True  # type: ignore[attr-defined]
        return cached

    def install(self, env: jinja2.Environment) -> None:
        """Wrap the fragments of `env`'s theme (once per environment: MkDocs makes a new one each build)."""
        for name in PARTIALS:
            template = env.get_template(name)
            if not getattr(template.root_render_func, "diary_wrapped", False):
                template.root_render_func = self._wrap(name, template.root_render_func)
        for template_name, blocks in BLOCKS.items():
            template = env.get_template(template_name)
            for block in blocks:
                render = template.blocks.get(block)
                if render is not None and not getattr(render, "diary_wrapped", False):
                    template.blocks[block] = self._wrap(f"{template_name}:{block}", render)
