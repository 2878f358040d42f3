"""The theme's compiled templates, kept between the builds of one `mkdocs serve`.

MkDocs makes a new Jinja environment for every build, so every save compiled Material's templates again (about a
fifth of a second at each save). Jinja's bytecode cache is the documented way to skip that: it hands back the
compiled code of a template whose source is unchanged (Jinja checks a checksum of the source), so an edited override
is compiled anew. The code also depends on how the environment compiles (its extensions and syntax options), which
is part of the key here: a build with other options never reads another's code.
"""

from __future__ import annotations

import jinja2
import jinja2.bccache


class TemplateCode(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[tuple[str, str], bytes] = {}
        self._options = ""

    def install(self, env: jinja2.Environment) -> None:
        """Serve `env`'s templates from here (before any of them is loaded). Not for an environment that decides
        autoescaping by template name (MkDocs' does not): its code would depend on more than these options."""
        if callable(env.autoescape):
            return
        self._options = repr((
            sorted(env.extensions), env.autoescape, env.finalize is not None, env.optimized,
            env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline))
        env.bytecode_cache = self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((self._options, bucket.key))
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the checksum of the source differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[self._options, bucket.key] = bucket.bytecode_to_string()
