import { describe, expect, it } from "vitest";
import { checkBudget, type BudgetCheckInput } from "./index.js";

const job = { value: 20, formula: "2 GPUs × 4 h × 2.50 USD/h" };
const base: BudgetCheckInput = {
  project: "research",
  budget: { daily: 50, monthly: 1000 },
  spentToday: 0,
  spentThisMonth: 0,
  estimate: job,
  currency: "USD",
};

describe("checkBudget", () => {
  it("refuses a job that would exceed the daily budget, saying what is left and what to change", () => {
    const check = checkBudget({ ...base, spentToday: 37.6, spentThisMonth: 300 });
    expect(check).toMatchObject({ allowed: false, warn: true, leftThisMonth: 700 });
    expect(check.leftToday).toBeCloseTo(12.4, 10);
    expect(check.message).toBe(
      "project research: the job may cost up to 20.00 USD (2 GPUs × 4 h × 2.50 USD/h) but only 12.40 USD " +
        "of the daily budget of 50.00 USD is left (resets at 00:00 UTC); lower --max-hours or --gpus, or " +
        "raise budgets.research.daily in pipeline.workspace.yaml",
    );
  });

  it("names every period the job would exceed, and the settings file it was given", () => {
    const check = checkBudget({ ...base, spentToday: 45, spentThisMonth: 990, settingsFile: "ws.yaml" });
    expect(check.allowed).toBe(false);
    expect(check.message).toContain(
      "only 5.00 USD of the daily budget of 50.00 USD is left (resets at 00:00 UTC) and only 10.00 USD of " +
        "the monthly budget of 1000.00 USD is left (resets on the 1st at 00:00 UTC)",
    );
    expect(check.message).toMatch(
      /raise budgets\.research\.daily and budgets\.research\.monthly in ws\.yaml$/,
    );
  });

  it("refuses on the monthly budget alone, and never reports a negative amount left", () => {
    const check = checkBudget({ ...base, budget: { monthly: 100 }, spentThisMonth: 130 });
    expect(check).toMatchObject({ allowed: false, leftThisMonth: 0, leftToday: undefined });
    expect(check.message).toContain("only 0.00 USD of the monthly budget of 100.00 USD is left");
  });

  it("lets a job that lands exactly on the limit through, with a warning", () => {
    const check = checkBudget({ ...base, spentToday: 30 });
    expect(check).toMatchObject({ allowed: true, warn: true, leftToday: 20 });
    expect(check.message).toBe(
      "project research: the job may cost up to 20.00 USD (2 GPUs × 4 h × 2.50 USD/h); with it 100 % of " +
        "the daily budget of 50.00 USD would be spent",
    );
  });

  it("warns at 80 % of either period, and not below", () => {
    expect(checkBudget({ ...base, spentToday: 20 })).toMatchObject({ allowed: true, warn: true });
    expect(checkBudget({ ...base, spentToday: 19.99 })).toMatchObject({ allowed: true, warn: false });
    const monthly = checkBudget({ ...base, spentThisMonth: 790 });
    expect(monthly).toMatchObject({ allowed: true, warn: true });
    expect(monthly.message).toContain("with it 81 % of the monthly budget of 1000.00 USD would be spent");
  });

  it("says what is left when the job fits comfortably", () => {
    const check = checkBudget({ ...base, spentToday: 10, spentThisMonth: 100 });
    expect(check).toEqual({
      allowed: true,
      warn: false,
      leftToday: 40,
      leftThisMonth: 900,
      message:
        "project research: the job may cost up to 20.00 USD (2 GPUs × 4 h × 2.50 USD/h); 40.00 USD of the " +
        "daily budget of 50.00 USD is left and 900.00 USD of the monthly budget of 1000.00 USD is left",
    });
  });

  it("lets every job through for a project with no budget", () => {
    const check = checkBudget({ ...base, budget: undefined, spentToday: 1e6 });
    expect(check).toMatchObject({ allowed: true, warn: false, leftToday: undefined });
    expect(check.message).toBe(
      "project research: the job may cost up to 20.00 USD (2 GPUs × 4 h × 2.50 USD/h); the project has no budget",
    );
    expect(checkBudget({ ...base, budget: {} }).allowed).toBe(true);
  });

  it("lets an unpriced job through with a warning while money is left, and refuses it once none is", () => {
    const open = checkBudget({ ...base, estimate: undefined, spentToday: 10 });
    expect(open).toMatchObject({ allowed: true, warn: true });
    expect(open.message).toMatch(/^project research: the job's cost is unknown, so it cannot be checked/);
    expect(open.message).toContain("add a rate for its device under rates: (or set default_rate)");
    const spent = checkBudget({ ...base, estimate: undefined, spentToday: 50 });
    expect(spent).toMatchObject({ allowed: false, leftToday: 0 });
    expect(spent.message).toContain("the daily budget of 50.00 USD is spent (resets at 00:00 UTC)");
  });

  it("prints an estimate given as a bare value without a formula", () => {
    const check = checkBudget({ ...base, estimate: { value: 60 } });
    expect(check.message).toMatch(/^project research: the job may cost up to 60.00 USD but only 50.00 USD/);
  });
});
