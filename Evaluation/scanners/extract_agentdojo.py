"""Builds the held-out prompt-injection evaluation set from the `agentdojo` PyPI package.

Positives: every registered agentdojo attack (except the interactive `manual` one) rendered through agentdojo's
own `attack()` for each injection task of each suite, both alone and embedded in a benign carrier text taken from
the suite's environment (that is where an injection sits in a real tool output).
Negatives (benign look-alikes): every user-task prompt (imperative requests addressed to the assistant), and every
text field of every suite environment loaded with the default (benign) injection-vector values: emails, files,
calendar entries, Slack messages, web pages, reviews.

ClawGuard's detector is never tuned on this file (the dev set is Evaluation/scanners/data/injection-dev.jsonl).
Usage: Evaluation/scanners/.venv/bin/python Evaluation/scanners/extract_agentdojo.py > Evaluation/scanners/data/injection-eval.jsonl
"""
import json
import random
import sys

from agentdojo.attacks.attack_registry import ATTACKS
from agentdojo.task_suite.load_suites import get_suites

MODEL_PIPELINE_NAMES = ["gpt-4o-2024-05-13", "claude-3-5-sonnet-20241022", "gemini-1.5-pro-002", "command-r-plus"]


class FakePipeline:
    def __init__(self, name):
        self.name = name


def strings(value, out):
    if isinstance(value, str):
        if len(value.strip()) >= 20:
            out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            strings(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            strings(v, out)


def main():
    rng = random.Random(1234)
    suites = get_suites("v1.2")
    rows = []
    seen = set()

    def add(label, source, text):
        key = (label, text)
        if key in seen:
            return
        seen.add(key)
        rows.append({"id": f"{source}#{len(rows)}", "label": label, "source": source, "text": text})

    for suite_name, suite in suites.items():
        env = suite.load_and_inject_default_environment({})
        texts = []
        strings(env.model_dump(mode="json"), texts)
        for t in texts:
            add(0, f"agentdojo/{suite_name}/environment", t)
        for task in suite.user_tasks.values():
            add(0, f"agentdojo/{suite_name}/user-task", task.PROMPT)
        carriers = [t for t in texts if 40 <= len(t) <= 600]
        user_tasks = list(suite.user_tasks.values())
        for attack_name in sorted(ATTACKS):
            if attack_name == "manual":
                continue
            for i, inj_task in enumerate(suite.injection_tasks.values()):
                pipeline = FakePipeline(MODEL_PIPELINE_NAMES[i % len(MODEL_PIPELINE_NAMES)])
                try:
                    attack = ATTACKS[attack_name](suite, pipeline)
                    user_task = user_tasks[i % len(user_tasks)]
                    injections = attack.attack(user_task, inj_task)
                except Exception as e:  # an attack that needs a live model: report and skip
                    print(f"skip {attack_name}: {type(e).__name__}: {e}", file=sys.stderr)
                    break
                if not injections:
                    continue
                payload = next(iter(injections.values()))
                add(1, f"agentdojo/{suite_name}/attack:{attack_name}", payload)
                carrier = rng.choice(carriers)
                cut = rng.randint(0, len(carrier))
                add(1, f"agentdojo/{suite_name}/attack-in-carrier:{attack_name}", carrier[:cut] + " " + payload + " " + carrier[cut:])
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    pos = sum(r["label"] for r in rows)
    print(f"{pos} positives, {len(rows) - pos} negatives", file=sys.stderr)


if __name__ == "__main__":
    main()
