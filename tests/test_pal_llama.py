"""PAL on a decoder-only chat model: the layout, two-view decoding, training loss, saving and loading, assembling."""

import json
import subprocess
import sys

import pytest
import torch
from transformers import TrainingArguments

from logits_processors.strategy_control import PalStrategyControl, mix_logits
from modeling_pal.bundled import tiny_chat_tokenizer, tiny_random_pal_llama
from modeling_pal.chat_layout import PERSONA_HEADER, chat_views, render_prompt
from modeling_pal.conversation import pad_rows
from modeling_pal.export.folders import save_pal_chat
from modeling_pal.training.causal_lm import add_lora, encode_chat

DIALOGUE = [
    {"role": "user", "content": "I lost my job."},
    {"role": "assistant", "content": "I am sorry.", "strategy": "Reflection of feelings"},
    {"role": "user", "content": "My wife is a nurse."},
    {"role": "user", "content": "We have two kids."},
    {"role": "assistant", "content": "How are they?", "strategy": "Question"},
    {"role": "assistant", "content": "Tell me more.", "strategy": "Others"},
    {"role": "user", "content": "They are fine."},
]
PERSONA_LIST = [["i lost my job.", "my wife is a nurse."], ["i lost my job.", "i have two kids."]]


@pytest.fixture
def tiny_chat():
    model, tokenizer = tiny_random_pal_llama(seed=0)
    return model, tokenizer


def prompts(tokenizer, conversations, persona_lists):
    rows = [chat_views(c, p, reply=True) for c, p in zip(conversations, persona_lists, strict=True)]
    persona = [render_prompt(tokenizer, r.persona_view, 2048).input_ids for r in rows]
    plain = [render_prompt(tokenizer, r.plain_view, 2048).input_ids for r in rows]
    return persona, plain


def test_layout_puts_new_persona_sentences_before_the_turns_that_answer_the_seeker():
    views = chat_views(DIALOGUE, PERSONA_LIST, reply=True)
    roles = [m["role"] for m in views.persona_view]
    # system, user, assistant, user, user, persona(3rd utterance), assistant, assistant, user, persona(4th), [reply]
    assert roles == [
        "system",
        "user",
        "assistant",
        "user",
        "user",
        "system",
        "assistant",
        "assistant",
        "user",
        "system",
    ]
    assert views.persona_view[5]["content"] == f"{PERSONA_HEADER}\n- i lost my job.\n- my wife is a nurse."
    assert views.persona_view[9]["content"] == f"{PERSONA_HEADER}\n- i have two kids."  # only what is new
    assert views.persona_view[6]["content"] == "[Question] How are they?"
    assert [m for m in views.persona_view if not m["content"].startswith(PERSONA_HEADER)] == views.plain_view
    assert views.persona == ["i lost my job.", "my wife is a nurse.", "i have two kids."]
    assert chat_views(DIALOGUE[:1], PERSONA_LIST).persona_view == chat_views(DIALOGUE[:1], None).plain_view


def test_encode_chat_matches_the_rendered_chat_and_learns_only_chosen_turns():
    tokenizer = tiny_chat_tokenizer()
    messages = chat_views(DIALOGUE, PERSONA_LIST, reply=False).persona_view
    features = encode_chat(tokenizer, messages, learn=[6])
    whole = tokenizer(tokenizer.apply_chat_template(messages, tokenize=False), add_special_tokens=False).input_ids
    assert features["input_ids"] == whole
    learned = [t for t, label in zip(features["input_ids"], features["labels"], strict=True) if label != -100]
    assert tokenizer.decode(learned) == "[Question] How are they?<|im_end|>"


def naive_two_pass(model, persona_prompt, plain_prompt, steps):
    """Greedy PAL decoding with two separate forward passes per step, no cache (the reference)."""
    config = model.config
    strategies = torch.tensor(config.strategy_token_ids)
    out = []
    for _ in range(steps):
        tail = torch.tensor(out, dtype=torch.long)
        with torch.no_grad():
            z_persona = model(torch.cat([torch.tensor(persona_prompt), tail])[None]).logits[0, -1]
            z_plain = model(torch.cat([torch.tensor(plain_prompt), tail])[None]).logits[0, -1]
        if not out:
            mixed = mix_logits(z_persona, z_plain, config.strategy_selection_alpha)
            token = int(strategies[mixed[strategies].argmax()])
        else:
            alpha = config.strategy_alpha[config.strategy_token_ids.index(out[0])]
            mixed = mix_logits(z_persona, z_plain, alpha)
            mixed[strategies] = -float("inf")
            token = int(mixed.argmax())
        out.append(token)
        if token == config.eos_token_id:
            break
    return out


def generate(model, tokenizer, persona, plain, **kwargs):
    ids, mask = pad_rows(persona, tokenizer.pad_token_id, side="left")
    plain_ids, plain_mask = pad_rows(plain, tokenizer.pad_token_id, side="left")
    out = model.generate(
        input_ids=ids, attention_mask=mask, plain_input_ids=plain_ids, plain_attention_mask=plain_mask, **kwargs
    )
    return out, max(ids.shape[1], plain_ids.shape[1])


def test_two_view_decoding_equals_two_separate_passes_in_a_padded_batch(tiny_chat):
    model, tokenizer = tiny_chat
    persona, plain = prompts(tokenizer, [DIALOGUE, DIALOGUE[:4]], [PERSONA_LIST, PERSONA_LIST[:1]])
    out, length = generate(model, tokenizer, persona, plain, do_sample=False, max_new_tokens=6, min_new_tokens=0)
    for row, (p, q) in enumerate(zip(persona, plain, strict=True)):
        expected = naive_two_pass(model, p, q, 6)
        assert out[row, length : length + len(expected)].tolist() == expected


@pytest.mark.parametrize(
    "options",
    [
        dict(do_sample=True, top_k=5),
        dict(do_sample=False, num_beams=3, num_return_sequences=2),
        dict(do_sample=True, num_return_sequences=2),
    ],
)
def test_sampling_and_beams_decode_a_strategy_then_the_reply(tiny_chat, options):
    model, tokenizer = tiny_chat
    persona, plain = prompts(tokenizer, [DIALOGUE, DIALOGUE[:1]], [PERSONA_LIST, None])
    torch.manual_seed(0)
    out, length = generate(model, tokenizer, persona, plain, max_new_tokens=5, min_new_tokens=0, **options)
    assert out.shape[0] == 2 * options.get("num_return_sequences", 1)
    assert set(out[:, length].tolist()) <= set(model.config.strategy_token_ids)
    assert not set(out[:, length + 1 :].flatten().tolist()) & set(model.config.strategy_token_ids)


def test_a_processor_reused_across_models_and_calls_keeps_the_contrast(tiny_chat):
    model, tokenizer = tiny_chat
    joint, _ = tiny_random_pal_llama(use_persona=False, seed=0)
    persona, plain = prompts(tokenizer, [DIALOGUE], [PERSONA_LIST])
    control = PalStrategyControl.from_config(model.config)
    greedy = dict(do_sample=False, max_new_tokens=6, min_new_tokens=0)
    generate(joint, tokenizer, persona, plain, logits_processor=[control], **greedy)
    reused, _ = generate(model, tokenizer, persona, plain, logits_processor=[control], **greedy)
    fresh, _ = generate(model, tokenizer, persona, plain, **greedy)
    assert torch.equal(reused, fresh)
    assert control.two_view


def test_off_means_no_contrast_at_all(tiny_chat):
    model, tokenizer = tiny_chat
    persona, plain = prompts(tokenizer, [DIALOGUE], [PERSONA_LIST])
    greedy = dict(do_sample=False, max_new_tokens=6, min_new_tokens=0, return_dict_in_generate=True)
    off, length = generate(model, tokenizer, persona, plain, strategy_alpha="off", **greedy)
    ids = torch.tensor(persona)
    plain_model = model.generate(input_ids=ids, use_strategy_control=False, do_sample=False, max_new_tokens=1)
    strategies = model.config.strategy_token_ids
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0, -1, strategies]
    assert off["strategy_scores"][0].tolist() == pytest.approx(logits.softmax(-1).tolist(), abs=1e-6)
    assert PalStrategyControl.from_config(model.config, strategy_alpha="off").selection_alpha == 0.0
    assert plain_model.shape[1] == ids.shape[1] + 1


def test_forced_strategy_and_strategy_scores(tiny_chat):
    model, tokenizer = tiny_chat
    persona, plain = prompts(tokenizer, [DIALOGUE, DIALOGUE], [PERSONA_LIST, PERSONA_LIST])
    out, length = generate(
        model,
        tokenizer,
        persona,
        plain,
        strategy=["Question", None],
        do_sample=False,
        max_new_tokens=3,
        min_new_tokens=0,
        return_dict_in_generate=True,
    )
    assert out["sequences"][0, length] == model.config.strategy_token_ids[0]
    torch.testing.assert_close(out["strategy_scores"].sum(-1), torch.ones(2))


def test_training_loss_on_learned_positions_equals_the_full_loss(tiny_chat, tmp_path):
    from modeling_pal.training.causal_lm import ChatCollator, LabelledTokensTrainer

    model, tokenizer = tiny_chat
    messages = chat_views(DIALOGUE, PERSONA_LIST, reply=False).persona_view
    features = encode_chat(tokenizer, messages)
    features["label_weights"] = [
        0.0 if label == -100 else 2.0 if i % 3 else 1.0 for i, label in enumerate(features["labels"])
    ]
    batch = ChatCollator(tokenizer.pad_token_id)([features, {k: v[:40] for k, v in features.items()}])
    peft_model = add_lora(model, r=4, alpha=8)
    args = TrainingArguments(output_dir=str(tmp_path), report_to="none", use_cpu=True)
    trainer = LabelledTokensTrainer(model=peft_model, args=args)
    peft_model.train()
    fast = trainer.compute_loss(peft_model, batch)
    peft_model.eval()
    full = peft_model(**batch).loss
    torch.testing.assert_close(fast, full)
    unweighted = model(input_ids=batch["input_ids"][:1], labels=batch["labels"][:1]).loss
    logits = model(input_ids=batch["input_ids"][:1]).logits[0, :-1]
    reference = torch.nn.functional.cross_entropy(logits, batch["labels"][0, 1:])
    assert unweighted.item() == pytest.approx(reference.item(), rel=1e-5)


FRESH_PROCESS = """
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
folder = sys.argv[1]
model = AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)
pipe = pipeline("persona-support", model=folder, trust_remote_code=True)
reply = pipe(json.loads(sys.argv[2]), persona=["i am a dad."], do_sample=False, max_new_tokens=4, min_new_tokens=0)
print(json.dumps({"class": type(model).__name__, "strategy": reply["strategy"], "persona": reply["persona"]}))
"""


def test_saved_folder_loads_in_a_fresh_process_with_remote_code(tiny_chat, tmp_path):
    model, tokenizer = tiny_chat
    folder = save_pal_chat(model, tokenizer, tmp_path / "pal-chat")
    config = json.loads((folder / "config.json").read_text())
    assert config["auto_map"]["AutoModelForCausalLM"] == "modeling_pal_llama.PalLlamaForCausalLM"
    assert "persona-support" in config["custom_pipelines"]
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(folder), json.dumps(DIALOGUE)],
        capture_output=True,
        text=True,
        check=True,
        env={"HF_HUB_OFFLINE": "1", "PATH": "", "OMP_NUM_THREADS": "1"},
    )
    reply = json.loads(result.stdout.strip().splitlines()[-1])
    assert reply["class"] == "PalLlamaForCausalLM"
    assert reply["strategy"] in model.config.strategy_names
    assert reply["persona"] == ["i am a dad."]


def test_an_adapter_assembles_into_the_model_it_was_trained_as(tiny_chat, tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    from modeling_pal.bundled import TINY_LLAMA_ARCHITECTURE
    from modeling_pal.conversion.assemble import assemble
    from modeling_pal.training.train_llama import build_pal_llama, save_pal_llama_adapter

    base_tokenizer = tiny_chat_tokenizer(with_strategy_tokens=False)
    base_dir = tmp_path / "base"
    torch.manual_seed(0)
    LlamaForCausalLM(
        LlamaConfig(**TINY_LLAMA_ARCHITECTURE, vocab_size=len(base_tokenizer), pad_token_id=base_tokenizer.pad_token_id)
    ).save_pretrained(base_dir)
    base_tokenizer.save_pretrained(base_dir)
    model, tokenizer = build_pal_llama(base_dir, use_persona=True)
    peft_model = add_lora(model, r=4, alpha=8, trainable_token_ids=model.config.strategy_token_ids)
    with torch.no_grad():
        for name, parameter in peft_model.named_parameters():
            if "lora_B" in name or "trainable_tokens_delta" in name:
                parameter.normal_()
    adapter = save_pal_llama_adapter(peft_model, tokenizer, tmp_path / "adapter")
    assert (adapter / "adapter_model.safetensors").stat().st_size < 30e6
    folder = assemble(adapter, tmp_path / "assembled")
    assert assemble(adapter, tmp_path / "assembled") == folder  # up to date: reused
    from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM

    assembled = PalLlamaForCausalLM.from_pretrained(folder).eval()
    ids = torch.tensor([render_prompt(tokenizer, DIALOGUE[:1], 2048).input_ids])
    with torch.no_grad():
        torch.testing.assert_close(assembled(ids).logits, peft_model.eval()(input_ids=ids).logits, atol=1e-4, rtol=1e-4)
