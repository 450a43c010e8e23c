import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MINIMAL, workspace } from "../../test/helpers/workspace.js";
import { ConfigError } from "../errors/index.js";
import { loadConfig } from "./load.js";

const load = async (
  files: Record<string, string>,
  options: { env?: Record<string, string>; set?: string[] } = {},
) => {
  const cwd = await workspace({ ...MINIMAL, ...files });
  return { cwd, loaded: await loadConfig("configs/run.yaml", { env: {}, ...options, cwd }) };
};
const problemsOf = async (
  files: Record<string, string>,
  options: { env?: Record<string, string>; set?: string[] } = {},
) => {
  const error = await load(files, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((p) => `${p.location}: ${p.message}`);
};

describe("extends", () => {
  const base = [
    "base_model: org/base",
    "datasets:",
    "  - path: ../data/train.jsonl",
    "    template: chatml",
    "  - path: ../data/eval.jsonl",
    "    template: chatml",
    "lora:",
    "  r: 8",
    "  target_modules: [q_proj, v_proj]",
    "training:",
    "  max_steps: 10",
    "  learning_rate: 1e-3",
    "",
  ].join("\n");

  it("merges objects key by key, replaces lists, and resolves each file's paths against itself", async () => {
    const child = [
      "extends: base/base.yaml",
      "datasets:",
      "  - path: ../data/eval.jsonl",
      "    template: alpaca",
      "lora:",
      "  target_modules: all-linear",
      "training:",
      "  max_steps: 20",
      "",
    ].join("\n");
    const { cwd, loaded } = await load({
      "configs/base/base.yaml": base.replaceAll("../data", "../../data"),
      "configs/run.yaml": child,
    });
    const { config } = loaded;
    expect(config.base_model).toBe("org/base");
    expect(config.datasets.map((d) => [d.path, d.template])).toEqual([
      [join(cwd, "data/eval.jsonl"), "alpaca"],
    ]);
    expect(config.lora).toMatchObject({ r: 8, target_modules: "all-linear" });
    expect(config.training).toMatchObject({ max_steps: 20, learning_rate: 1e-3 });
  });

  it("points a problem at the file that wrote the key", async () => {
    const child = "extends: base.yaml\ntraining:\n  max_steps: 0\n";
    const problems = await problemsOf({
      "configs/base.yaml": base.replace("1e-3", "high"),
      "configs/run.yaml": child,
    });
    expect(problems).toEqual([
      "configs/run.yaml:3 › training.max_steps: expected ≥ 1, got 0",
      'configs/base.yaml:12 › training.learning_rate: expected number, got string "high"',
    ]);
  });

  it("points at the child's list once it replaced the base's", async () => {
    const child = "extends: base.yaml\ndatasets:\n  - path: ../data/train.jsonl\n    template: bad\n";
    expect(await problemsOf({ "configs/base.yaml": base, "configs/run.yaml": child })).toEqual([
      'configs/run.yaml:4 › datasets[0].template: expected "auto" | "alpaca" | "chatml" | "llama3" | "model", got string "bad"',
    ]);
  });

  it("reports a cycle with the whole chain", async () => {
    const problems = await problemsOf({
      "configs/run.yaml": "extends: a.yaml\n",
      "configs/a.yaml": "base_model: x/y\nextends: b.yaml\n",
      "configs/b.yaml": "extends: ./a.yaml\n",
    });
    expect(problems).toEqual([
      "configs/b.yaml:1 › extends: extends cycle: configs/run.yaml → configs/a.yaml → configs/b.yaml → configs/a.yaml; remove one of these extends",
    ]);
  });

  it("reports a missing parent at the extends key", async () => {
    expect(await problemsOf({ "configs/run.yaml": "\nextends: nope.yaml\n" })).toEqual([
      "configs/run.yaml:2 › extends: file not found: configs/nope.yaml",
    ]);
  });
});

describe("environment interpolation", () => {
  const config = (lines: string) => `${MINIMAL["configs/run.yaml"]}${lines}\n`;

  it("replaces ${VAR} and ${VAR:-default} in strings, typing unquoted whole references", async () => {
    const text = config(
      'base_model: ${ORG}/${NAME:-tiny}\noutput:\n  name: "${STEPS:-7}"\ntraining:\n  max_steps: ${STEPS:-7}\n  packing: ${PACK}',
    ).replace("base_model: builtin:tiny\n", "");
    const { loaded } = await load({ "configs/run.yaml": text }, { env: { ORG: "acme", PACK: "true" } });
    expect(loaded.config.base_model).toBe("acme/tiny");
    expect(loaded.config.output.name).toBe("7");
    expect(loaded.config.training).toMatchObject({ max_steps: 7, packing: true });
  });

  it("uses the default for an empty variable and keeps $${VAR} literal", async () => {
    const text = config("output:\n  name: ${EMPTY:-fallback}\ncheckpoints:\n  store: $${HOME}/x");
    const { loaded } = await load({ "configs/run.yaml": text }, { env: { EMPTY: "" } });
    expect(loaded.config.output.name).toBe("fallback");
    expect(loaded.config.checkpoints.store).toBe("${HOME}/x");
  });

  it("resolves a dataset path that comes from a variable against the config file", async () => {
    const text = MINIMAL["configs/run.yaml"].replace("../data/train.jsonl", "${DATA:-../data/train.jsonl}");
    const { cwd, loaded } = await load({ "configs/run.yaml": text });
    expect(loaded.config.datasets[0]?.path).toBe(join(cwd, "data/train.jsonl"));
  });

  it("names a missing variable and the key that uses it, once", async () => {
    const text = MINIMAL["configs/run.yaml"].replace("../data/train.jsonl", "${DATA_DIR}/train.jsonl");
    expect(await problemsOf({ "configs/run.yaml": text })).toEqual([
      "configs/run.yaml:3 › datasets[0].path: environment variable DATA_DIR is not set (export it, or write ${DATA_DIR:-default})",
    ]);
  });
});

describe("--set", () => {
  it("overrides values read as YAML, list items by index, creating missing mappings", async () => {
    const set = [
      "training.learning_rate=1e-4",
      "training.packing=true",
      "lora.target_modules=[q_proj, v_proj]",
      "datasets.0.template=alpaca",
      "eval.generate.max_new_tokens=16",
      "datasets.0.path=data/eval.jsonl",
    ];
    const { cwd, loaded } = await load({}, { set });
    const { config } = loaded;
    expect(config.training).toMatchObject({ learning_rate: 1e-4, packing: true });
    expect(config.lora.target_modules).toEqual(["q_proj", "v_proj"]);
    expect(config.datasets[0]).toMatchObject({ template: "alpaca", path: join(cwd, "data/eval.jsonl") });
    expect(config.eval.generate.max_new_tokens).toBe(16);
  });

  it("reports an unknown key path through the strict schema, at the flag", async () => {
    expect(await problemsOf({}, { set: ["training.learnin_rate=1e-4", "foo.bar=1"] })).toEqual([
      '--set training.learnin_rate=1e-4 › training.learnin_rate: unknown key "learnin_rate"; did you mean "learning_rate"?',
      '--set foo.bar=1 › foo: unknown key "foo"; expected one of: extends, base_model, device, datasets, lora, training, runtime, checkpoints, eval, output, cost, tracking, publish',
    ]);
  });

  it("reports a wrong type, a path through a scalar, a bad index and a malformed flag", async () => {
    const set = ["training.max_steps=many", "base_model.x=1", "datasets.3.path=x", "training"];
    expect(await problemsOf({}, { set })).toEqual([
      '--set base_model.x=1 › base_model: is "builtin:tiny", not a mapping; cannot set "x" inside it',
      '--set datasets.3.path=x › datasets: is a list of 1; use an index from 0 to 1, not "3"',
      "--set training: expected key.path=value, e.g. --set training.learning_rate=1e-4",
      '--set training.max_steps=many › training.max_steps: expected number, got string "many"',
    ]);
  });
});
