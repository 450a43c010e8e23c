import { UsageError } from "../../errors/index.js";
import { parseModelRef, pullModel } from "../../hub/index.js";
import { progressWriter } from "../progress-writer.js";

/** `pipeline model pull <id>[@rev]`: the run's download alone, into the Hugging Face cache. */
export async function modelPull(id: string, options: { json?: boolean }): Promise<number> {
  const ref = parseModelRef(id);
  if (!ref) {
    throw new UsageError("bad-model-id", `${id} is not a hub model id`, {
      hint: "write it as org/name, optionally with @branch, @tag or @commit-sha",
    });
  }
  const progress = progressWriter(process.stderr);
  const pulled = await pullModel(ref, progress.update).finally(progress.done);
  const { model } = pulled;
  if (options.json) {
    const summary = { id: ref.id, revision: ref.revision, sha: model.sha, license: model.license ?? null };
    process.stdout.write(
      JSON.stringify({
        ...summary,
        dir: pulled.dir,
        files: pulled.files,
        bytes: pulled.total,
        downloaded: pulled.downloaded,
      }) + "\n",
    );
    return 0;
  }
  process.stdout.write(
    `${ref.id}@${ref.revision} → ${model.sha}${model.license ? ` (license ${model.license})` : ""}\n` +
      `${pulled.files} files, ${pulled.total} bytes, ${pulled.downloaded} downloaded\n${pulled.dir}\n`,
  );
  return 0;
}
