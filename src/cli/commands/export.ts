import { exportAdapter, locateAdapter, readAdapter } from "../../adapter/index.js";
import { ExitCode } from "../../errors/index.js";

interface Options {
  output: string;
  merge?: boolean;
  force?: boolean;
  base?: string;
  python?: string;
  runsDir: string;
  json?: boolean;
}

/** `pipeline export <run> [--merge] -o DIR`: the adapter (verified) or the merged model, ready to serve. */
export async function exportCommand(run: string, options: Options): Promise<number> {
  const located = await locateAdapter(run, options.runsDir);
  const adapter = await readAdapter(located.adapterDir);
  const recorded = adapter.config.base_model_name_or_path;
  const result = await exportAdapter(located, typeof recorded === "string" ? recorded : undefined, {
    out: options.output,
    merge: options.merge === true,
    force: options.force === true,
    base: options.base,
    python: options.python,
  });
  if (options.json)
    process.stdout.write(JSON.stringify({ ...result, merged: options.merge === true }) + "\n");
  else
    process.stdout.write(
      `${options.merge ? "merged model" : "adapter"} exported to ${result.out} (${result.files.join(", ")})\n`,
    );
  return ExitCode.ok;
}
