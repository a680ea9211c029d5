"""Command-line entry points that are only commands (`pal-chat`, `pal-run`, `pal-extractor`) and the settings parser."""
