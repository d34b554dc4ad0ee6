"""One module per ``rehearse`` subcommand (or family), each with ``register(subparsers)``."""
