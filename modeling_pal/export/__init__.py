"""Hub-ready folders of trained models (`save_pal`, ...) and `pal-export`, which adds cards and metrics."""
