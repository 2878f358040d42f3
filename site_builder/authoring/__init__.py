"""Everything that writes into the secretary's diaries/: `writer` (the one writer: atomic, refuses a file changed
under it), `fixes` (the `diary new` template and `check --fix` rewrites), `topics_line` (`diary tag --write`)."""
