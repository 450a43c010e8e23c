import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TrainSpec } from "../src/config/train-spec.js";
import { ALIAS_BOMB, MINIMAL, workspace } from "./helpers/workspace.js";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin/pipeline.js");

async function pipeline(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe("pipeline config (built binary)", () => {
  it("validate: an adapter vLLM and TGI would refuse is a warning naming the setting, exit 0", async () => {
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": `${MINIMAL["configs/run.yaml"]}lora:\n  bias: all\n`,
    });
    const { code, stdout, stderr } = await pipeline(["config", "validate", "configs/run.yaml"], cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^ok configs\/run.yaml/);
    expect(stderr).toContain('warning: lora.bias: all — vLLM refuses adapters with bias other than "none"');
    expect(stderr).toMatch(/warning: lora.bias: all — TGI loads only lora_A\/lora_B weights/);
  });

  it("validate: a bad config exits 2 with file:line › path and no stack trace", async () => {
    const bad = `${MINIMAL["configs/run.yaml"]}training:\n  learning_rate: fast\n  lerning_rate: 1\n`;
    const cwd = await workspace({ ...MINIMAL, "configs/run.yaml": bad });
    const { code, stdout, stderr } = await pipeline(["config", "validate", "configs/run.yaml"], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      'configs/run.yaml:6 › training.learning_rate: expected number, got string "fast"',
    );
    expect(stderr).toContain('configs/run.yaml:7 › training.lerning_rate: unknown key "lerning_rate"');
    expect(stderr).toMatch(/^error\[invalid-config\]/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("validate: a YAML alias bomb exits 2 naming the file, with no stack trace", async () => {
    const cwd = await workspace({ ...MINIMAL, "configs/run.yaml": MINIMAL["configs/run.yaml"] + ALIAS_BOMB });
    const { code, stdout, stderr } = await pipeline(["config", "validate", "configs/run.yaml"], cwd);
    expect(code, stderr).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/configs\/run\.yaml: invalid YAML: .*too many aliases/);
    expect(stderr).not.toMatch(/internal error|^\s+at /m);
  });

  it("validate: a missing environment variable exits 2, naming it", async () => {
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": MINIMAL["configs/run.yaml"] + "output:\n  name: ${NO_SUCH_VAR_X}\n",
    });
    const { code, stderr } = await pipeline(["config", "validate", "configs/run.yaml"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "configs/run.yaml:6 › output.name: environment variable NO_SUCH_VAR_X is not set",
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("validate: a good config exits 0; --set is applied and checked", async () => {
    const cwd = await workspace(MINIMAL);
    const ok = await pipeline(
      ["config", "validate", "configs/run.yaml", "--set", "training.max_steps=5"],
      cwd,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok configs\/run\.yaml\n[\s\S]*5 steps/);
    const bad = await pipeline(
      ["config", "validate", "configs/run.yaml", "--set", "training.max_step=5"],
      cwd,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--set training.max_step=5 › training.max_step: unknown key "max_step"; did you mean "max_steps"?',
    );
  });

  it("validate: a dataset without template says what auto will use, or that the run decides", async () => {
    const noTemplate = MINIMAL["configs/run.yaml"].replace("    template: chatml\n", "");
    const withModel = (model: string) => noTemplate.replace("builtin:tiny", model);
    const cwd = await workspace({
      ...MINIMAL,
      "configs/chat.yaml": withModel("../models/chat"),
      "configs/plain.yaml": withModel("../models/plain"),
      "configs/hub.yaml": withModel("org/some-model"),
      "models/chat/tokenizer_config.json": JSON.stringify({ eos_token: "</s>" }),
      "models/chat/chat_template.jinja":
        "{% for m in messages %}<{{ m.role }}>{{ m.content }}</s>{% endfor %}",
      "models/plain/tokenizer_config.json": JSON.stringify({ eos_token: "</s>" }),
    });
    const chat = await pipeline(["config", "validate", "configs/chat.yaml"], cwd);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toContain(
      `template    auto → the base model's own chat template (${join(cwd, "models/chat/chat_template.jinja")})`,
    );
    const plain = await pipeline(["config", "validate", "configs/plain.yaml"], cwd);
    expect(plain.stdout).toContain(
      `template    auto → chatml: ${join(cwd, "models/plain")} has no chat template`,
    );
    const hub = await pipeline(["config", "validate", "configs/hub.yaml"], cwd);
    expect(hub.stdout).toMatch(
      /template {4}auto: the base model's own chat template if it has one, else chatml/,
    );
  });

  it("render --json: the resolved config and a valid TrainSpec", async () => {
    const cwd = await workspace(MINIMAL);
    const { code, stdout } = await pipeline(["config", "render", "configs/run.yaml", "--json"], cwd);
    expect(code).toBe(0);
    const { config, spec } = JSON.parse(stdout) as {
      config: { datasets: { path: string }[] };
      spec: unknown;
    };
    expect(config.datasets[0]?.path).toBe(join(cwd, "data/train.jsonl"));
    expect(TrainSpec.parse(spec).output.checkpoint_dir).toBe("runs/<run-id>/checkpoints");
  });

  it("schema: writes the JSON Schema to stdout", async () => {
    const { code, stdout } = await pipeline(["config", "schema"], root);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ type: "object", additionalProperties: false });
  });
});
