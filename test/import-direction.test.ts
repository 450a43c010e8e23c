import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { root } from "./helpers/cli.js";

// The layers of src/ are enforced by the lint (eslint.config.js): a deliberately wrong import fails it.
const eslint = new ESLint({ cwd: root });
const lint = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
};

describe("import direction (cli → run → stages → config / run-dir → errors)", () => {
  it.each([
    ["src/config/x.ts", 'import "../run/index.js";', /config sits under the stages/],
    ["src/config/x.ts", 'import "../eval/index.js";', /config sits under the stages/],
    ["src/run-dir/x.ts", 'import "../launch/index.js";', /import only errors/],
    ["src/eval/x.ts", 'import "../cli/main.js";', /never reaches up/],
    ["src/tracking/x.ts", 'import "../run/index.js";', /never reaches up/],
    ["src/secrets/x.ts", 'import "../config/index.js";', /import only errors/],
    ["src/launch/docker/x.ts", 'import "../../run/index.js";', /never reaches up/],
    ["src/run/x.ts", 'import "../cli/main.js";', /knows nothing of the CLI/],
    ["src/errors/x.ts", 'import "../config/index.js";', /bottom layer/],
    ["src/report/x.ts", 'import { execa } from "execa"; void execa;', /only src\/launch starts processes/],
    ["src/cli/x.ts", 'import "@aws-sdk/client-s3";', /only src\/checkpoints\/s3-\* talks to S3/],
  ])("%s: %s is refused", async (file, code, why) => {
    expect(await lint(file, code)).toEqual([expect.stringMatching(why)]);
  });

  it("lets the right layers through", async () => {
    expect(await lint("src/run/x.ts", 'import "../launch/index.js";')).toEqual([]);
    expect(await lint("src/launch/x.ts", 'import { execa } from "execa"; void execa;')).toEqual([]);
    expect(await lint("src/checkpoints/s3-x.ts", 'import "@aws-sdk/client-s3";')).toEqual([]);
    expect(await lint("src/cli/x.ts", 'import "../run/index.js";')).toEqual([]);
  });
});
