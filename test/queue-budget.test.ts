import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterEach, describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { freePort, webhookReceiver } from "./helpers/net.js";
import { jobs, killWorkers, queueEnv, queueWorkspace, startWorker } from "./helpers/queue.js";

// Budgets, cost, the metrics endpoint and notifications, wired into real CPU workers and real trainings.
afterEach(killWorkers);

const settings = (daily: number) =>
  [
    "currency: EUR",
    "rates:",
    "  cpu: 36", // per device-hour: a one-minute tiny run costs about 0.6 EUR
    "budgets:",
    `  default: { daily: ${daily}, monthly: 1000 }`,
    "jobs:",
    "  max_hours: 0.01",
    "notify:",
    "  webhook: ${HOOK_URL}",
    "",
  ].join("\n");

type Body = { text: string; pipeline: { kind: string; job: string; message: string } };

describe("budgets, cost, metrics and notifications of queued jobs (CPU, real trainer)", () => {
  it("prices a job into its report, exports it on /metrics while it runs, notifies, and a budget stops the next job", async () => {
    const cwd = await queueWorkspace({ max_steps: 30, logging_steps: 1, save_steps: 30 });
    const hook = await webhookReceiver();
    const env = { ...queueEnv, HOOK_URL: hook.url };
    await writeFile(join(cwd, "pipeline.workspace.yaml"), settings(10));
    try {
      // Enqueue: a job that may cost more than the whole daily budget is refused with what is left.
      const refused = pipeline(["queue", "add", "configs/run.yaml", "--max-hours", "1"], { cwd, env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/may cost up to 36\.00 EUR.*10\.00 EUR of the daily budget/s);
      expect(hasStackTrace(refused.stderr)).toBe(false);
      expect(jobs(cwd, env)).toEqual([]);
      expect(pipeline(["queue", "add", "configs/run.yaml"], { cwd, env }).code).toBe(0);

      // Run it with a metrics endpoint, scraped while it trains and parsed as Prometheus text.
      const port = await freePort();
      const worker = startWorker(cwd, ["--once", "--poll-ms", "200", "--metrics-port", String(port)], env);
      let families: ReturnType<typeof parsePrometheusTextFormat> = [];
      for (let i = 0; i < 600 && worker.child.exitCode === null; i++) {
        const body = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch(() => "");
        families = body ? parsePrometheusTextFormat(body) : [];
        if (families.find((f) => f.name === "pipeline_job_step")?.metrics.length) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const family = (name: string) => families.find((f) => f.name === name);
      expect(family("pipeline_jobs")?.metrics).toContainEqual({ labels: { state: "running" }, value: "1" });
      const step = family("pipeline_job_step")!.metrics[0]!;
      expect(step.labels).toMatchObject({ job: "job-000001", project: "default" });
      expect(Number(step.value)).toBeGreaterThan(0);
      expect(family("pipeline_job_total_steps")?.metrics[0]?.value).toBe("30");
      expect(Number(family("pipeline_job_loss")?.metrics[0]?.value)).toBeGreaterThan(0);
      expect(family("pipeline_gpus")?.type).toBe("GAUGE");
      expect(await worker.exited, worker.stderr()).toBe(0);

      // The attempt is priced at the cpu rate, and the run's own report carries the same price.
      const [job] = jobs(cwd, env);
      expect(job).toMatchObject({ state: "done", outcome: "done" });
      const report = JSON.parse(readFileSync(join(cwd, "runs", job!.runId, "report.json"), "utf8")) as {
        cost: { gpus: number; price_per_gpu_hour: number; currency: string; total: number };
      };
      expect(report.cost).toMatchObject({ gpus: 0, price_per_gpu_hour: 36, currency: "EUR" });
      expect(report.cost.total).toBeGreaterThan(0);
      const status = JSON.parse(pipeline(["status", "--json"], { cwd, env }).stdout) as {
        spend: { project: string; today: number; daily: number }[];
      };
      const spent = status.spend.find((row) => row.project === "default")!;
      expect(spent.today).toBeGreaterThan(0);
      expect(spent.daily).toBe(10);

      // The next job may not start once the day's budget is spent: it stays queued, saying why.
      expect(pipeline(["queue", "add", "configs/run.yaml"], { cwd, env }).code).toBe(0);
      await writeFile(join(cwd, "pipeline.workspace.yaml"), settings(spent.today + 0.2));
      const second = startWorker(cwd, ["--once", "--poll-ms", "200"], env);
      expect(await second.exited, second.stderr()).toBe(0);
      const waiting = jobs(cwd, env)[1]!;
      expect(waiting.state).toBe("queued");
      expect(waiting.message).toMatch(/daily budget/);
      expect(second.stderr()).toMatch(/job-000002: not started: .*daily budget/);

      // Notifications: done for the first job, budget for the second; the webhook URL is in no log.
      const kinds = (hook.bodies as Body[]).map((b) => `${b.pipeline.kind}:${b.pipeline.job}`);
      expect(kinds).toEqual(["done:job-000001", "budget:job-000002"]);
      expect((hook.bodies[0] as Body).text).toContain("job-000001");
      expect(worker.stderr() + second.stderr()).not.toContain("secret-token");
    } finally {
      await hook.close();
    }
  });
});
