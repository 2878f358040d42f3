"""One module per `diary` subcommand; each has `register(subparsers)` and only translates terminal ↔ core."""
