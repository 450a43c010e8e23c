import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/index.js";
import { loadWorkspaceSettings } from "./index.js";
import { ALIAS_BOMB } from "../../test/helpers/workspace.js";

const SECRET = "https://hooks.example.test/services/T0/B0/s3cr3t";

function workspace(text: string, name = "pipeline.workspace.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "workspace-"));
  writeFileSync(join(dir, name), text);
  return dir;
}

async function problemsOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("loadWorkspaceSettings", () => {
  it("uses the defaults when ./pipeline.workspace.yaml does not exist", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "workspace-"));
    const loaded = await loadWorkspaceSettings({ cwd, env: {} });
    expect(loaded.file).toBeUndefined();
    expect(loaded.settings).toEqual({
      project: "default",
      currency: "USD",
      rates: {},
      default_rate: null,
      budgets: {},
      jobs: { max_hours: 4 },
      notify: { on: ["done", "failed", "budget"] },
    });
  });

  it("reads the file with ${VAR} and ${VAR:-default}, and an empty webhook means none", async () => {
    const cwd = workspace(
      [
        "project: ${PROJECT:-research}",
        "rates:",
        "  H100: ${H100_RATE}",
        "  cpu: 0.1",
        "budgets:",
        "  research: { daily: 50, monthly: 2000 }",
        "jobs: { max_hours: 2 }",
        "notify:",
        "  webhook: ${PIPELINE_WEBHOOK_URL:-}",
        "  on: [failed]",
      ].join("\n"),
    );
    const loaded = await loadWorkspaceSettings({ cwd, env: { H100_RATE: "2.49" } });
    expect(loaded.file).toBe(join(cwd, "pipeline.workspace.yaml"));
    expect(loaded.settings).toMatchObject({
      project: "research",
      rates: { H100: 2.49, cpu: 0.1 },
      budgets: { research: { daily: 50, monthly: 2000 } },
      jobs: { max_hours: 2 },
      notify: { webhook: undefined, on: ["failed"] },
    });
    const withHook = await loadWorkspaceSettings({
      cwd,
      env: { H100_RATE: "1", PIPELINE_WEBHOOK_URL: SECRET },
    });
    expect(withHook.settings.notify.webhook).toBe(SECRET);
  });

  it("reads the file PIPELINE_WORKSPACE_CONFIG names, and refuses a named file that is missing", async () => {
    const cwd = workspace("currency: EUR\n", "team.yaml");
    const loaded = await loadWorkspaceSettings({ cwd, env: { PIPELINE_WORKSPACE_CONFIG: "team.yaml" } });
    expect(loaded.settings.currency).toBe("EUR");
    const error = await problemsOf(
      loadWorkspaceSettings({ cwd, env: { PIPELINE_WORKSPACE_CONFIG: "nope.yaml" } }),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      "nope.yaml (named by PIPELINE_WORKSPACE_CONFIG) is not valid workspace settings (1 problem)",
    );
    expect(error.problems).toEqual([{ location: "nope.yaml", message: "file not found" }]);
  });

  it("reads a file of comments only as the defaults", async () => {
    const cwd = workspace("# nothing configured yet\n");
    expect((await loadWorkspaceSettings({ cwd, env: {} })).settings.project).toBe("default");
  });

  it("reports every problem with its file:line › key path, and never the webhook URL", async () => {
    const cwd = workspace(
      [
        "projet: research",
        "rates:",
        "  H100: -1",
        "budgets:",
        "  research: { daly: 5 }",
        "jobs: { max_hours: 0 }",
        "notify:",
        "  webhook: ${HOOK}",
        "  on: [done, started]",
      ].join("\n"),
    );
    const error = await problemsOf(loadWorkspaceSettings({ cwd, env: { HOOK: "ftp://x.test/s3cr3t" } }));
    expect(error.code).toBe("invalid-workspace");
    expect(error.problems).toEqual([
      { location: "pipeline.workspace.yaml:3 › rates.H100", message: "expected ≥ 0, got -1" },
      {
        location: "pipeline.workspace.yaml:5 › budgets.research.daly",
        message: 'unknown key "daly"; did you mean "daily"?',
      },
      { location: "pipeline.workspace.yaml:6 › jobs.max_hours", message: "expected > 0, got 0" },
      {
        location: "pipeline.workspace.yaml:8 › notify.webhook",
        message: "expected an http(s):// URL (the value is not shown: it is a secret)",
      },
      {
        location: "pipeline.workspace.yaml:9 › notify.on[1]",
        message: 'expected "done" | "failed" | "budget", got string "started"',
      },
      {
        location: "pipeline.workspace.yaml:1 › projet",
        message: 'unknown key "projet"; did you mean "project"?',
      },
    ]);
    expect(JSON.stringify(error.problems)).not.toContain("s3cr3t");
  });

  it("reports a missing environment variable at its line", async () => {
    const cwd = workspace("notify:\n  webhook: ${PIPELINE_WEBHOOK_URL}\n");
    const error = await problemsOf(loadWorkspaceSettings({ cwd, env: {} }));
    expect(error.problems).toEqual([
      {
        location: "pipeline.workspace.yaml:2 › notify.webhook",
        message:
          "environment variable PIPELINE_WEBHOOK_URL is not set (export it, or write ${PIPELINE_WEBHOOK_URL:-default})",
      },
    ]);
  });

  it("refuses a YAML alias bomb as invalid YAML, naming the file", async () => {
    const cwd = workspace(`project: research\n${ALIAS_BOMB}`);
    const error = await problemsOf(loadWorkspaceSettings({ cwd, env: {} }));
    expect(error.problems.map((p) => `${p.location}: ${p.message}`)).toEqual([
      expect.stringMatching(/pipeline\.workspace\.yaml: invalid YAML: .*too many aliases/),
    ]);
  });
});
