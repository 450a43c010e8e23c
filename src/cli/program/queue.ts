import { type Command, Option } from "commander";
import { lazy } from "./lazy.js";

/** `queue`, `worker`, `schedule`, `scheduler` and `status`: jobs run by workers. */
export function queueCommands(program: Command): void {
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
    .action(lazy(() => import("../commands/queue.js"), "queueAdd"));
  queue
    .command("list")
    .description("Jobs with state, attempts, run id and the last message.")
    .option("--state <state>", "only jobs in this state: queued, running, done, failed, cancelled")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/queue.js"), "queueList"));
  queue
    .command("cancel")
    .description("Cancel a queued job, or stop a running one (its run saves a checkpoint).")
    .argument("<job>", "a job id, e.g. job-000012")
    .addOption(dbOption())
    .action(lazy(() => import("../commands/queue.js"), "queueCancel"));

  program
    .command("worker")
    .description("Run queued jobs on this machine's GPUs (or CPU), heartbeating their leases.")
    .option("--gpus <list>", "only these GPU indices, e.g. 0,1,2,3 (default: all nvidia-smi finds)")
    .option("--cpu", "run jobs on the CPU, one at a time (no GPU needed)")
    .option(
      "--ray <address>",
      "submit jobs to this Ray cluster (its dashboard), as many as it has free GPUs (CPUs)",
    )
    .option("--once", "exit when nothing runs and nothing can be claimed")
    .option("--poll-ms <n>", "how often to look for jobs and due schedules", "2000")
    .option("--lease-s <n>", "a job whose worker stops heartbeating this long is requeued", "60")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--metrics-port <port>", "serve metrics on this port")
    .addOption(dbOption())
    .action(lazy(() => import("../commands/worker.js"), "worker"));

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
    .action(lazy(() => import("../commands/schedule.js"), "scheduleAdd"));
  schedule
    .command("list")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/schedule.js"), "scheduleList"));
  schedule
    .command("remove")
    .argument("<schedule>", "a schedule's name or id")
    .addOption(dbOption())
    .action(lazy(() => import("../commands/schedule.js"), "scheduleRemove"));
  program
    .command("scheduler")
    .description("Enqueue jobs of due schedules, without running any (workers do that too).")
    .option("--poll-ms <n>", "how often to evaluate", "15000")
    .option("--once", "evaluate once and exit")
    .addOption(dbOption())
    .addOption(new Option("--now <iso>", "evaluate as if it were this time (tests)").hideHelp())
    .action(lazy(() => import("../commands/schedule.js"), "scheduler"));

  program
    .command("status")
    .description("Queue counts, running jobs (step, loss), workers, GPUs in use, spend.")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/status.js"), "status"));
}
