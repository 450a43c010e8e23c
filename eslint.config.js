import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

// The import direction of src/ (DESIGN.md, Seams): cli → run → stages → config / run-dir → errors.
// Each entry: the files it covers, and the import specifiers they may not use.
const STAGES = [
  "dataset",
  "launch",
  "checkpoints",
  "eval",
  "report",
  "budget",
  "metrics",
  "notify",
  "queue",
  "tracking",
  "hub",
  "adapter",
];
const dir = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`];
const layers = [
  {
    files: ["src/errors/**"],
    banned: ["../*"],
    why: "errors is the bottom layer: it imports nothing of src/",
  },
  {
    files: ["src/run-dir/**", "src/retry/**", "src/secrets/**"],
    banned: [...STAGES, "config", "run", "cli"].flatMap(dir),
    why: "run-dir, retry and secrets sit under every stage: they import only errors",
  },
  {
    files: ["src/config/**"],
    banned: [...STAGES, "run", "cli"].flatMap(dir),
    why: "config sits under the stages",
  },
  {
    files: STAGES.map((stage) => `src/${stage}/**`),
    banned: ["run", "cli"].flatMap(dir),
    why: "a stage never reaches up into the run pipeline or the CLI",
  },
  {
    files: ["src/run/**"],
    banned: dir("cli"),
    why: "the run pipeline knows nothing of the CLI that renders it",
  },
];
// One module per external system: only the S3 store imports the AWS SDK; only src/launch starts processes
// (Python, docker), besides the report's viewer and the queue starting `pipeline run`.
const externalBans = [
  { group: ["@aws-sdk/*"], message: "only src/checkpoints/s3-* talks to S3" },
  { group: ["execa", "node:child_process"], message: "only src/launch starts processes (Python, docker)" },
];
const EXTERNAL_ALLOWED = [
  "src/checkpoints/s3-*.ts",
  "src/launch/**",
  "src/report/open-file.ts",
  "src/queue/worker/spawn-run.ts",
];
const rule = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const importRules = [
  { files: ["src/**/*.ts"], ignores: ["**/*.test.ts", ...EXTERNAL_ALLOWED], rules: rule(externalBans) },
  ...layers.map(({ files, banned, why }) => ({
    files,
    ignores: ["**/*.test.ts", ...EXTERNAL_ALLOWED],
    rules: rule([{ group: banned, message: why }, ...externalBans]),
  })),
  // The files that may start processes or talk to S3 are all inside stages: they keep the stage rule.
  {
    files: EXTERNAL_ALLOWED,
    ignores: ["**/*.test.ts"],
    rules: rule([{ group: ["run", "cli"].flatMap(dir), message: layers[3].why }]),
  },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".tools/", "runs/", "coverage/", "docker/", "**/*.py"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  ...importRules,
);
