import { Command, Option } from "commander";

// Each action imports its command module lazily, so `pipeline --help` loads nothing heavy.
// A command module exports one async function; it returns an exit code or throws a PipelineError.
type Action = (...args: never[]) => Promise<number | void>;
function lazy<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return async (...args: unknown[]) => {
    const module = await load();
    const action = module[name] as unknown as Action;
    const code = await action(...(args.slice(0, -1) as never[]));
    if (typeof code === "number") process.exitCode = code;
  };
}

const FORMATS = ["auto", "alpaca", "sharegpt", "messages", "text", "preference"];

export function buildProgram(): Command {
  const program = new Command("pipeline")
    .description("LoRA/PEFT fine-tuning: one YAML file and a dataset in, an evaluated adapter out.")
    .version(process.env.npm_package_version ?? "0.1.0")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`error[usage]: ${text.replace(/^error: /, "")}`),
    });

  const dataset = program.command("dataset").description("Validate and format instruction datasets.");
  dataset
    .command("validate")
    .description("Check dataset files before any GPU is spent; every problem with its location.")
    .argument("<files...>", "JSONL or JSON-array files")
    .addOption(new Option("--format <format>", "dataset format").choices(FORMATS).default("auto"))
    .option("--eval <file>", "an eval split to check for overlap with the training files")
    .option("--tokenizer <path>", "a tokenizer.json or model directory for exact token counts")
    .option("--max-tokens <n>", "rows longer than this many tokens get a warning", "4096")
    .option("--json", "print one JSON object per file")
    .action(lazy(() => import("./commands/dataset-validate.js"), "datasetValidate"));
  dataset
    .command("format")
    .description("Normalize, apply a prompt/chat template and split into train/eval.")
    .argument("<file>", "a JSONL or JSON-array file")
    .addOption(new Option("--format <format>", "dataset format").choices(FORMATS).default("auto"))
    .requiredOption(
      "--template <name>",
      "alpaca | chatml | llama3 | model (the base model's own chat template)",
    )
    .option("--model <path>", "model directory whose tokenizer_config.json holds the chat template")
    .option("--eval-split <fraction>", "fraction of rows held out for eval", "0.1")
    .option("--seed <n>", "seed for the deterministic split", "42")
    .requiredOption("-o, --output <dir>", "directory to write train.jsonl, eval.jsonl and manifest.json")
    .option("--json", "print the manifest as JSON")
    .action(lazy(() => import("./commands/dataset-format.js"), "datasetFormat"));

  const config = program.command("config").description("Validate, render and describe run configs.");
  config
    .command("validate")
    .argument("<file>", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option("--preflight", "also resolve a hub base model: access, license, revision, GPU memory estimate")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/config.js"), "configValidate"));
  config
    .command("render")
    .description("Print the resolved config and the TrainSpec it becomes.")
    .argument("<file>", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/config.js"), "configRender"));
  config
    .command("schema")
    .description("Write the JSON Schema of run configs (for editor completion).")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(lazy(() => import("./commands/config.js"), "configSchema"));

  program
    .command("publish")
    .description("Upload a passing run's adapter and model card to a Hugging Face Hub repo (HF_TOKEN).")
    .argument("<run>", "a run id (in --runs-dir) or its s3:// location")
    .requiredOption("--repo <org/name>", "the model repo; created when missing")
    .option("--private", "create the repo private")
    .option("--force", "publish even when the run's gates failed")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--endpoint <url>", "S3-compatible endpoint for an s3:// run")
    .option("--region <region>", "S3 region for an s3:// run")
    .option("--path-style", "path-style S3 addressing")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/publish.js"), "publish"));

  program
    .command("model")
    .description("Base models from the Hugging Face Hub (HF_ENDPOINT, HF_TOKEN, HF_HOME).")
    .command("pull")
    .description("Resolve a model and download what training needs into the Hugging Face cache.")
    .argument("<id>", "org/name, optionally @branch, @tag or @commit-sha")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/model.js"), "modelPull"));

  program
    .command("run")
    .description("Fine-tune: validate data, format, render, preflight, train, save.")
    .argument("[config]", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option(
      "--resume <run-id|s3-uri>",
      "continue a run from its newest complete checkpoint; s3://bucket/prefix/<run-id> recreates it from the store",
    )
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "one JSON event per line instead of the live display")
    .addOption(new Option("--run-id <id>", "use this id for a new run (queue workers)").hideHelp())
    .option("--endpoint <url>", "S3-compatible endpoint for --resume s3://… (default AWS_ENDPOINT_URL)")
    .option("--region <region>", "S3 region for --resume s3://… (default AWS_REGION)")
    .option("--path-style", "path-style S3 addressing (default on with --endpoint)")
    .action(lazy(() => import("./commands/run.js"), "run"));

  program
    .command("eval")
    .description("Compare an adapter with its base model on eval suites: scores, 95 % CIs, p-values, gates.")
    .requiredOption("--base <model>", "base model: a model directory, a hub id, or builtin:tiny")
    .requiredOption("--adapter <dir>", "PEFT adapter directory (e.g. runs/<id>/adapter)")
    .requiredOption("--suite <files...>", "eval suite YAML file(s)")
    .addOption(
      new Option("--template <name>", "the chat template the adapter was trained with")
        .choices(["alpaca", "chatml", "llama3", "model"])
        .default("chatml"),
    )
    .option("--heldout <file>", "formatted eval split (eval.jsonl) for suites with `cases: heldout`")
    .option("--out <dir>", "where generations and results.json are written", "eval-results")
    .addOption(new Option("--device <device>", "device").choices(["auto", "cpu", "cuda"]).default("auto"))
    .option("--seed <n>", "seed of generation and of the statistics", "0")
    .option(
      "--gate <gate...>",
      "a condition the adapter must meet, e.g. 'exact_match: >= base + 0.05' (repeatable)",
    )
    .option(
      "--python <path>",
      "Python interpreter with torch, transformers and peft (default: the managed venv)",
    )
    .option("--json", "print the results as one JSON object")
    .action(lazy(() => import("./commands/eval.js"), "evalCommand"));

  const dbOption = () =>
    new Option("--db <file>", "the state database (default $PIPELINE_DB or .pipeline/state.db)");
  const queue = program.command("queue").description("Queue training jobs for workers to run.");
  queue
    .command("add")
    .description("Check each config and enqueue one job per config.")
    .argument("<configs...>", "run config YAML files")
    .option("--priority <n>", "higher runs first", "0")
    .option("--gpus <n>", "GPUs the job needs (default 0 for device: cpu, else 1)")
    .option("--max-retries <n>", "retries after a failed attempt, with exponential backoff", "2")
    .option("--max-hours <h>", "stop the run (outcome timeout) after this many hours")
    .option("--project <name>", "the project the job's cost counts against", "default")
    .addOption(dbOption())
    .option("--json", "print the enqueued jobs as JSON")
    .action(lazy(() => import("./commands/queue.js"), "queueAdd"));
  queue
    .command("list")
    .description("Jobs with state, attempts, run id and the last message.")
    .option("--state <state>", "only jobs in this state: queued, running, done, failed, cancelled")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/queue.js"), "queueList"));
  queue
    .command("cancel")
    .description("Cancel a queued job, or stop a running one (its run saves a checkpoint).")
    .argument("<job>", "a job id, e.g. job-000012")
    .addOption(dbOption())
    .action(lazy(() => import("./commands/queue.js"), "queueCancel"));

  program
    .command("worker")
    .description("Run queued jobs on this machine's GPUs (or CPU), heartbeating their leases.")
    .option("--gpus <list>", "only these GPU indices, e.g. 0,1,2,3 (default: all nvidia-smi finds)")
    .option("--cpu", "run jobs on the CPU, one at a time (no GPU needed)")
    .option("--once", "exit when nothing runs and nothing can be claimed")
    .option("--poll-ms <n>", "how often to look for jobs and due schedules", "2000")
    .option("--lease-s <n>", "a job whose worker stops heartbeating this long is requeued", "60")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--metrics-port <port>", "serve metrics on this port")
    .addOption(dbOption())
    .action(lazy(() => import("./commands/worker.js"), "worker"));

  const schedule = program.command("schedule").description("Enqueue a config on a cron schedule.");
  schedule
    .command("add")
    .argument("<cron>", 'a cron expression, e.g. "0 3 * * *" (03:00 daily)')
    .argument("<config>", "a run config YAML")
    .option("--name <name>", "the schedule's name (default: the config's file name)")
    .option("--timezone <tz>", "IANA time zone of the cron expression (default: this machine's)")
    .option("--priority <n>", "priority of the enqueued jobs")
    .option("--gpus <n>", "GPUs the enqueued jobs need")
    .option("--project <name>", "project of the enqueued jobs")
    .addOption(dbOption())
    .addOption(new Option("--now <iso>", "evaluate as if it were this time (tests)").hideHelp())
    .action(lazy(() => import("./commands/schedule.js"), "scheduleAdd"));
  schedule
    .command("list")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/schedule.js"), "scheduleList"));
  schedule
    .command("remove")
    .argument("<schedule>", "a schedule's name or id")
    .addOption(dbOption())
    .action(lazy(() => import("./commands/schedule.js"), "scheduleRemove"));
  program
    .command("scheduler")
    .description("Enqueue jobs of due schedules, without running any (workers do that too).")
    .option("--poll-ms <n>", "how often to evaluate", "15000")
    .option("--once", "evaluate once and exit")
    .addOption(dbOption())
    .addOption(new Option("--now <iso>", "evaluate as if it were this time (tests)").hideHelp())
    .action(lazy(() => import("./commands/schedule.js"), "scheduler"));

  program
    .command("status")
    .description("Queue counts, running jobs (step, loss), workers, GPUs in use, spend.")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/status.js"), "status"));

  const runs = program.command("runs").description("List and inspect runs.");
  runs
    .command("list")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/runs.js"), "runsList"));
  runs
    .command("show")
    .argument("<run-id>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/runs.js"), "runsShow"));
  runs
    .command("cleanup")
    .description("Remove trainer containers left by crashed runs (label pipeline.managed=true).")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--host <docker-host>", "DOCKER_HOST of the engine (default: the docker CLI's own)")
    .action(lazy(() => import("./commands/runs-cleanup.js"), "runsCleanup"));

  const image = program.command("image").description("Build the trainer's container image.");
  image
    .command("build")
    .description("Build the trainer image offline from docker/Dockerfile and a local wheel directory.")
    .option(
      "--base <image>",
      "base image with python3 and venv (e.g. an official CUDA/PyTorch image)",
      "pipeline-base:bookworm",
    )
    .option("--tag <tag>", "the image's tag (runtime.image in the config)", "pipeline-trainer:latest")
    .option(
      "--wheels <dir>",
      "wheels of docker/requirements.txt (default: <cache>/wheels, see scripts/docker-wheels.sh)",
    )
    .option("--host <docker-host>", "DOCKER_HOST of the engine (default: the docker CLI's own)")
    .action(lazy(() => import("./commands/image.js"), "imageBuild"));

  const checkpoints = program
    .command("checkpoints")
    .description("List, verify, pull and prune a run's checkpoints (local or s3:// store).");
  const store = (command: Command) =>
    command
      .argument("<run>", "a run id (its config names the store) or the run's s3:// URI")
      .option("--runs-dir <dir>", "where run directories live", "runs")
      .option("--endpoint <url>", "S3-compatible endpoint for an s3:// URI (default AWS_ENDPOINT_URL)")
      .option("--region <region>", "S3 region for an s3:// URI (default AWS_REGION)")
      .option("--path-style", "path-style S3 addressing (default on with --endpoint)");
  store(checkpoints.command("list").description("Step, size and whether each checkpoint is complete."))
    .option("--json", "machine-readable output")
    .action(lazy(() => import("./commands/checkpoints.js"), "checkpointsList"));
  store(
    checkpoints
      .command("verify")
      .description("Re-hash stored files against their manifests; exit 1 on a mismatch."),
  )
    .option("--step <n>", "only this step")
    .action(lazy(() => import("./commands/checkpoints.js"), "checkpointsVerify"));
  store(
    checkpoints.command("pull").description("Download the newest (or --step) complete, verified checkpoint."),
  )
    .option("--step <n>", "this step instead of the newest")
    .requiredOption("-o, --output <dir>", "the folder to write the checkpoint into")
    .action(lazy(() => import("./commands/checkpoints.js"), "checkpointsPull"));
  store(
    checkpoints
      .command("prune")
      .description("Delete checkpoints beyond keep_last and abort stale multipart uploads."),
  )
    .option("--keep-last <n>", "keep this many newest complete checkpoints (default the run's keep_last)")
    .option(
      "--keep-best <metric:mode>",
      "never delete the best by this metric, e.g. eval_loss:min (default the run's keep_best)",
    )
    .option("--stale-minutes <n>", "abort multipart uploads started longer ago than this", "60")
    .action(lazy(() => import("./commands/checkpoints.js"), "checkpointsPrune"));

  program
    .command("report")
    .description("Render report.md and report.html again from a run's report.json.")
    .argument("<run-id>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--open", "open report.html in the desktop's viewer")
    .action(lazy(() => import("./commands/report.js"), "report"));

  program
    .command("setup")
    .description(
      "Create the trainer's Python environment and the built-in tiny model ahead of the first run.",
    )
    .option("--python <path>", "use this interpreter instead of the managed venv (nothing is installed)")
    .option("--no-tiny-model", "skip making the built-in tiny model")
    .action(lazy(() => import("./commands/setup.js"), "setup"));

  return program;
}
