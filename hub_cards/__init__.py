"""
Hub cards (README.md with YAML metadata) of PAL models, persona extractors and the demo Space: the templates in this
folder and the builder that fills them (`build.py`) from the metrics the evaluation commands wrote.
"""

from .build import (
    ESCONV_LICENSE,
    EXTRACTOR_COLUMNS,
    PAL_COLUMNS,
    PAPER_TABLE_3,
    TEMPLATES_DIR,
    MetricColumn,
    MetricsSource,
    evaluate_command,
    extractor_card,
    format_value,
    load_metrics,
    pal_model_card,
    space_card,
)

__all__ = [
    "ESCONV_LICENSE",
    "EXTRACTOR_COLUMNS",
    "PAL_COLUMNS",
    "PAPER_TABLE_3",
    "TEMPLATES_DIR",
    "MetricColumn",
    "MetricsSource",
    "evaluate_command",
    "extractor_card",
    "format_value",
    "load_metrics",
    "pal_model_card",
    "space_card",
]
