import { join } from "node:path";
import { compareExactMatch, generate } from "../../eval/index.js";
import type { RunContext } from "./context.js";

/** Generates on the held-out split with the base model and with the adapter, and scores both. */
export async function evaluate(ctx: RunContext, task: { output: string | undefined }): Promise<void> {
  const settings = ctx.config.eval.generate;
  const common = {
    model: ctx.baseModel!,
    prompts: ctx.evalFile!,
    batchSize: settings.batch_size,
    maxNewTokens: settings.max_new_tokens,
    device: ctx.config.device,
    seed: ctx.config.training.seed,
    logPath: ctx.paths.trainerLog,
  };
  task.output = "generating with the base model";
  const base = await generate(ctx.python!, {
    ...common,
    out: join(ctx.paths.eval, "generations-base.jsonl"),
  });
  task.output = "generating with the adapter";
  const adapter = await generate(ctx.python!, {
    ...common,
    adapter: ctx.paths.adapter,
    out: join(ctx.paths.eval, "generations-adapter.jsonl"),
  });
  ctx.exactMatch = compareExactMatch(base, adapter);
}
