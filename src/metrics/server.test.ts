import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterEach, describe, expect, it } from "vitest";
import { type MetricsServer, type MetricsSnapshot, startMetricsServer } from "./index.js";

const snapshot: MetricsSnapshot = {
  jobsByState: { queued: 3, running: 2, done: 7, failed: 1 },
  deviceHoursTotal: 12.5,
  costTotal: [
    { project: "research", currency: "USD", value: 31.125 },
    { project: 'quote"d', currency: "EUR", value: 2 },
  ],
  gpusTotal: 4,
  gpusInUse: 3,
  running: [
    { job: "j-1", run: "20260101-a", project: "research", step: 40, totalSteps: 200, loss: 1.25 },
    { job: "j-2", run: "20260101-b", project: "research", step: null, totalSteps: null, loss: null },
  ],
};

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scrape(url: string) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

function family(body: string, name: string) {
  const found = parsePrometheusTextFormat(body).find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in:\n${body}`);
  return found;
}

describe("metrics server", () => {
  it("serves the snapshot at GET /metrics in the Prometheus text format", async () => {
    let scrapes = 0;
    server = await startMetricsServer({ port: 0, snapshot: async () => (scrapes++, snapshot) });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);

    const { status, type, body } = await scrape(server.url);
    expect([status, type, scrapes]).toEqual([200, "text/plain; version=0.0.4; charset=utf-8", 1]);
    const jobs = family(body, "pipeline_jobs");
    expect(jobs.type).toBe("GAUGE");
    expect(jobs.help).toBe("Jobs by state.");
    expect(jobs.metrics).toEqual([
      { labels: { state: "queued" }, value: "3" },
      { labels: { state: "running" }, value: "2" },
      { labels: { state: "done" }, value: "7" },
      { labels: { state: "failed" }, value: "1" },
    ]);
    expect(family(body, "pipeline_device_hours_total")).toMatchObject({
      type: "COUNTER",
      metrics: [{ value: "12.5" }],
    });
    expect(family(body, "pipeline_cost_total").metrics).toEqual([
      { labels: { project: "research", currency: "USD" }, value: "31.125" },
      { labels: { project: 'quote"d', currency: "EUR" }, value: "2" },
    ]);
    expect(family(body, "pipeline_gpus").metrics).toEqual([
      { labels: { state: "in_use" }, value: "3" },
      { labels: { state: "free" }, value: "1" },
    ]);
    const labels = { job: "j-1", run: "20260101-a", project: "research" };
    // The job that has reported nothing yet has no series rather than a made-up 0.
    expect(family(body, "pipeline_job_step").metrics).toEqual([{ labels, value: "40" }]);
    expect(family(body, "pipeline_job_total_steps").metrics).toEqual([{ labels, value: "200" }]);
    expect(family(body, "pipeline_job_loss").metrics).toEqual([{ labels, value: "1.25" }]);
  });

  it("takes a fresh snapshot per scrape, so finished jobs leave no series behind", async () => {
    let current = snapshot;
    server = await startMetricsServer({ port: 0, snapshot: () => current });
    expect(family((await scrape(server.url)).body, "pipeline_job_loss").metrics).toHaveLength(1);
    current = { ...snapshot, running: [] };
    const body = (await scrape(server.url)).body;
    expect(body).not.toContain("j-1");
    expect(family(body, "pipeline_job_loss").metrics).toEqual([]);
  });

  it("answers 404 to anything but GET /metrics, and 500 without a stack when the snapshot fails", async () => {
    server = await startMetricsServer({
      port: 0,
      snapshot: () => Promise.reject(new Error("database is locked")),
    });
    const base = server.url.replace(/\/metrics$/, "");
    expect((await scrape(`${base}/`)).status).toBe(404);
    expect((await scrape(`${base}/metrics/x`)).status).toBe(404);
    expect((await fetch(server.url, { method: "POST" })).status).toBe(404);
    expect(await scrape(server.url)).toMatchObject({
      status: 500,
      body: "cannot collect metrics: database is locked\n",
    });
  });

  it("stops listening on close", async () => {
    server = await startMetricsServer({ port: 0, snapshot: () => snapshot });
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(fetch(url)).rejects.toThrow();
  });
});
