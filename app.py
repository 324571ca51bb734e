"""Entry point: ``python app.py …`` behaves exactly like the ``creative-intake`` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line (SPEC 6.2)."""
    from bot.cli import run_cli

    return run_cli(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
