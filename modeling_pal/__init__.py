"""
PAL (persona-augmented emotional support conversation generation) for Hugging Face `transformers`.

The modules directly in this folder are the hub files: what an exported model folder carries, importing each other
relatively (with `logits_processors/strategy_control.py` beside them). The subpackages only train, evaluate, read
data, convert, export or run commands; no model folder carries them.
"""

from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM

from logits_processors.strategy_control import PalStrategyControl, mix_logits

from .bundled import BUNDLED_TOKENIZER_DIR, load_pal_tokenizer, tiny_pal_config, tiny_random_pal
from .chat_layout import chat_views, render_prompt
from .configuration_pal import PalConfig
from .configuration_pal_llama import PalLlamaConfig
from .conversation import decode_response, encode_pal_inputs, format_context, validate_conversation
from .export.folders import pal_generation_config, save_pal
from .modeling_pal import PalEncoder, PalEncoderOutput, PalForConditionalGeneration, PalModel, PalPersonaFusion
from .modeling_pal_llama import PalLlamaForCausalLM
from .pal_tokens import PAL_ADDED_TOKENS, add_pal_tokens, format_persona, pal_token_ids, pesconv_persona, split_persona
from .persona_extraction import PersonaExtractionPipeline, add_extractor_tokens, filter_persona, save_extractor
from .persona_support import PersonaSupportPipeline
from .strategies import PAL_STRATEGIES, STRATEGY_ALPHA_PRESETS, resolve_strategy_alpha

AutoConfig.register(PalConfig.model_type, PalConfig, exist_ok=True)
AutoModelForSeq2SeqLM.register(PalConfig, PalForConditionalGeneration, exist_ok=True)
AutoConfig.register(PalLlamaConfig.model_type, PalLlamaConfig, exist_ok=True)
AutoModelForCausalLM.register(PalLlamaConfig, PalLlamaForCausalLM, exist_ok=True)

__all__ = [
    "BUNDLED_TOKENIZER_DIR",
    "PAL_ADDED_TOKENS",
    "PAL_STRATEGIES",
    "STRATEGY_ALPHA_PRESETS",
    "PalConfig",
    "PalEncoder",
    "PalEncoderOutput",
    "PalForConditionalGeneration",
    "PalLlamaConfig",
    "PalLlamaForCausalLM",
    "PalModel",
    "PalPersonaFusion",
    "PalStrategyControl",
    "PersonaExtractionPipeline",
    "PersonaSupportPipeline",
    "add_extractor_tokens",
    "chat_views",
    "filter_persona",
    "pesconv_persona",
    "save_extractor",
    "split_persona",
    "add_pal_tokens",
    "decode_response",
    "encode_pal_inputs",
    "format_context",
    "format_persona",
    "load_pal_tokenizer",
    "mix_logits",
    "pal_generation_config",
    "pal_token_ids",
    "render_prompt",
    "resolve_strategy_alpha",
    "save_pal",
    "tiny_pal_config",
    "tiny_random_pal",
    "validate_conversation",
]
