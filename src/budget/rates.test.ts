import { describe, expect, it } from "vitest";
import { estimateCost, periodStarts, rateFor, WorkspaceSettings } from "./index.js";

const settings = WorkspaceSettings.parse({
  currency: "EUR",
  rates: { H100: 2.49, "h100 nvl": 3.1, A10: 0.75, cpu: 0.1 },
});

describe("rateFor", () => {
  it("matches a key case-insensitively inside the name nvidia-smi reports, the longest key first", () => {
    expect(rateFor(settings, "NVIDIA H100 80GB HBM3")).toEqual({ rate: 2.49, currency: "EUR", key: "H100" });
    expect(rateFor(settings, "NVIDIA H100 NVL")).toEqual({ rate: 3.1, currency: "EUR", key: "h100 nvl" });
    expect(rateFor(settings, "NVIDIA A10G")?.key).toBe("A10");
    expect(rateFor(settings, "cpu")?.rate).toBe(0.1);
  });

  it("falls back to default_rate, and leaves a device unpriced when there is none", () => {
    expect(rateFor(settings, "NVIDIA L4")).toBeUndefined();
    const fallback = { ...settings, default_rate: 1.5 };
    expect(rateFor(fallback, "NVIDIA L4")).toEqual({ rate: 1.5, currency: "EUR", key: "default_rate" });
  });
});

describe("estimateCost", () => {
  it("prices every GPU for the whole time limit", () => {
    const estimate = estimateCost(settings, { gpus: 2, deviceType: "NVIDIA H100 80GB HBM3", maxHours: 4 });
    expect(estimate).toMatchObject({ devices: 2, hours: 4, rate: 2.49, key: "H100", currency: "EUR" });
    expect(estimate?.value).toBeCloseTo(19.92, 10);
    expect(estimate?.formula).toBe("2 GPUs × 4 h × 2.49 EUR/h");
  });

  it("takes jobs.max_hours as the default limit and counts a CPU-only job as one cpu device", () => {
    const estimate = estimateCost(settings, { gpus: 0, deviceType: "NVIDIA H100 80GB HBM3" });
    expect(estimate).toMatchObject({ devices: 1, device: "CPU worker", hours: 4, key: "cpu" });
    expect(estimate?.value).toBeCloseTo(0.4, 10);
    expect(estimate?.formula).toBe("1 CPU worker × 4 h × 0.10 EUR/h");
    const one = estimateCost(settings, { gpus: 1, deviceType: "A10", maxHours: 0.5 });
    expect(one?.formula).toBe("1 GPU × 0.5 h × 0.75 EUR/h");
  });

  it("is undefined for a device with no rate", () => {
    expect(estimateCost(settings, { gpus: 1, deviceType: "NVIDIA L4" })).toBeUndefined();
    expect(estimateCost(WorkspaceSettings.parse({}), { gpus: 0, deviceType: "cpu" })).toBeUndefined();
  });
});

describe("periodStarts", () => {
  it("starts days and months at 00:00 UTC, whatever the local zone", () => {
    const { dayStart, monthStart } = periodStarts(new Date("2026-03-31T23:59:59.999Z"));
    expect(dayStart.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(monthStart.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    const next = periodStarts(new Date("2026-04-01T00:00:00.000Z"));
    expect([next.dayStart.toISOString(), next.monthStart.toISOString()]).toEqual([
      "2026-04-01T00:00:00.000Z",
      "2026-04-01T00:00:00.000Z",
    ]);
  });
});
