import type { Command } from "commander";
import { lazy } from "./lazy.js";

/** `runs`, `image`: the runs on this machine and the trainer image. */
export function runsCommands(program: Command): void {
  const runs = program.command("runs").description("List and inspect runs.");
  runs
    .command("list")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/runs.js"), "runsList"));
  runs
    .command("show")
    .argument("<run-id>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/runs.js"), "runsShow"));
  runs
    .command("compare")
    .description(
      "Two or more runs side by side: config differences and metrics, in the terminal and as HTML.",
    )
    .argument("<run-ids...>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--html <file>", "also write a self-contained HTML comparison (tables and loss curves)")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/runs-compare.js"), "runsCompare"));
  runs
    .command("sync")
    .description(
      "Send a run's tracking systems (MLflow, TensorBoard, W&B) what they lack, from events.jsonl.",
    )
    .argument("<run-id>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .action(lazy(() => import("../commands/runs-sync.js"), "runsSync"));
  runs
    .command("cleanup")
    .description("Remove trainer containers left by crashed runs (label pipeline.managed=true).")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--host <docker-host>", "DOCKER_HOST of the engine (default: the docker CLI's own)")
    .action(lazy(() => import("../commands/runs-cleanup.js"), "runsCleanup"));

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
    .action(lazy(() => import("../commands/image.js"), "imageBuild"));
}
