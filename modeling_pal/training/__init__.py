"""Training PAL (both families), its LoRA adapters, the warm-up and the persona extractor (`pal-train`, ...)."""
