"""The package layout: hub files flat in modeling_pal/, one module object per class, what a model folder carries."""

import subprocess
import sys
from pathlib import Path

import logits_processors
import modeling_pal
from logits_processors import strategy_control
from modeling_pal.export.publish import expected_code
from modeling_pal.hub_code import flat_source

ROOT = Path(__file__).resolve().parents[1]


def test_every_code_folder_is_a_package():
    for package in ("modeling_pal", "logits_processors", "hub_cards"):
        for folder in [ROOT / package, *(p for p in (ROOT / package).rglob("*") if p.is_dir())]:
            if any(folder.glob("*.py")):
                assert (folder / "__init__.py").is_file(), f"{folder} has modules but no __init__.py"


def test_the_processor_is_one_module_object():
    control = strategy_control.PalStrategyControl
    assert logits_processors.PalStrategyControl is control and modeling_pal.PalStrategyControl is control
    assert not (ROOT / "modeling_pal" / "strategy_control.py").exists()


def test_either_package_can_be_imported_first():
    for first in ("logits_processors", "logits_processors.strategy_control", "modeling_pal.strategies", "hub_cards"):
        code = f"import {first}; import modeling_pal, logits_processors; print(modeling_pal.PalStrategyControl)"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr


def test_model_folders_carry_flat_relative_code():
    pal = expected_code(ROOT / "models" / "pal-esconv")
    assert {"modeling_pal.py", "configuration_pal.py", "strategy_control.py", "strategies.py"} <= set(pal)
    assert "from .strategies import" in pal["strategy_control.py"]
    assert "from .strategy_control import" in pal["modeling_pal.py"]
    assert all("from modeling_pal." not in text and "from logits_processors." not in text for text in pal.values())
    conversation = ROOT / "modeling_pal" / "conversation.py"
    assert flat_source(conversation) == conversation.read_text()  # relative imports already
    extractor = set(expected_code(ROOT / "models" / "persona-extractor"))
    assert "persona_extraction.py" in extractor
    assert not extractor & {"configuration_pal.py", "modeling_pal.py", "strategy_control.py", "persona_support.py"}
