"""
Writes the Space's README.md (its Hub card, with the Space's YAML settings) from `hub_cards.space_card`.

  python space/readme.py                                        # the default models
  python space/readme.py --models me/pal-esconv me/pal-persona-extractor
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from hub_cards import space_card

README = Path(__file__).parent / "README.md"
# The Hub ids of the models the Space runs (a PAL model and its persona extractor); pass your own when publishing.
SPACE_MODELS = ("pal-hub/pal-esconv", "pal-hub/pal-persona-extractor")


def space_readme(models: Sequence[str] = SPACE_MODELS) -> str:
    """The text of the Space's README.md."""
    return str(space_card(list(models)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="space/readme.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", nargs="+", default=list(SPACE_MODELS), help="Hub ids of the models the Space runs")
    parser.add_argument("--output", type=Path, default=README, help=f"where to write it (default {README})")
    args = parser.parse_args(argv)
    args.output.write_text(space_readme(args.models), encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
