// Each action imports its command module lazily, so `pipeline --help` loads nothing heavy.
// A command module exports one async function; it returns an exit code or throws a PipelineError.
type Action = (...args: never[]) => Promise<number | void>;
export function lazy<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return async (...args: unknown[]) => {
    const module = await load();
    const action = module[name] as unknown as Action;
    const code = await action(...(args.slice(0, -1) as never[]));
    if (typeof code === "number") process.exitCode = code;
  };
}
