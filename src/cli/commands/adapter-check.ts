import {
  checkAdapter,
  failsTarget,
  findingLine,
  loadBase,
  locateAdapter,
  readAdapter,
  TARGET_NAMES,
  type ServingTarget,
} from "../../adapter/index.js";
import { ExitCode } from "../../errors/index.js";

interface Options {
  target: ServingTarget;
  base?: string;
  runsDir: string;
  json?: boolean;
}

/** `pipeline adapter check <run|dir> --target vllm|tgi|peft`: every finding; exit 1 when the target refuses it. */
export async function adapterCheck(run: string, options: Options): Promise<number> {
  const located = await locateAdapter(run, options.runsDir);
  const adapter = await readAdapter(located.adapterDir);
  const base = await loadBase([
    options.base,
    located.recordedBase,
    String(adapter.config.base_model_name_or_path ?? ""),
  ]);
  const findings = checkAdapter(adapter, options.target, base);
  const passed = !failsTarget(findings);
  if (options.json) {
    const result = {
      adapter: located.adapterDir,
      base: base?.dir ?? null,
      target: options.target,
      passed,
      findings,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } else {
    for (const finding of findings) process.stdout.write(findingLine(finding) + "\n");
    const engine = TARGET_NAMES[options.target];
    const verdict = passed
      ? `ok: ${engine} loads ${located.adapterDir} as trained`
      : `${engine} would not serve ${located.adapterDir} as trained`;
    process.stdout.write(`${verdict}${base ? ` (base ${base.dir})` : ""}\n`);
  }
  return passed ? ExitCode.ok : ExitCode.failed;
}
