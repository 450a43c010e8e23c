import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadSuites } from "./load.js";

const dir = new URL("../../../configs/suites/", import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith(".yaml"));

describe("configs/suites/", () => {
  it("ships the quickstart's suite", () => {
    expect(files).toContain("json-format.yaml");
  });

  it.each(files)("%s loads with every scorer's options checked", async (name) => {
    const [suite] = await loadSuites([new URL(name, dir).pathname]);
    expect(suite!.scorers.length).toBeGreaterThan(0);
  });
});
