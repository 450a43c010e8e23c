import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { makeVenvScript } from "./paths.js";
import { defaultVenvDir } from "./python-env.js";

// quickstart.sh makes the venv with scripts/make_venv.py before any TypeScript is built; `pipeline` must then
// look for it in the same place, so both compute the cache folder and the requirements hash alike.
describe("the managed venv's location", () => {
  const saved = { ...process.env };
  // process.env itself, never a copy: os.homedir() reads the real environment.
  const setEnv = (env: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  afterEach(() => setEnv({ PIPELINE_CACHE: undefined, XDG_CACHE_HOME: undefined, ...saved }));

  it.each([
    { PIPELINE_CACHE: "/tmp/pipeline-cache-test" },
    { XDG_CACHE_HOME: "/tmp/xdg-test", PIPELINE_CACHE: undefined },
    { HOME: "/tmp/home-test", XDG_CACHE_HOME: undefined, PIPELINE_CACHE: undefined },
  ])("is the same for make_venv.py and pipeline with %o", (env) => {
    setEnv(env);
    const fromScript = execFileSync("python3", [makeVenvScript, "--print-dir"], { encoding: "utf8" });
    expect(fromScript.trim()).toBe(defaultVenvDir());
  });
});
