import { modelInfo } from "@huggingface/hub";
import { FailedError, UsageError } from "../../errors/index.js";
import { hubAccess } from "../access.js";
import { explainHubError } from "../errors.js";
import { parseModelRef, repoPage } from "../model-ref.js";
import { licenseOf } from "../resolve.js";
import { modelCard } from "./card.js";
import { readPublishableRun } from "./run-files.js";
import { uploadFiles, type UploadResult } from "./upload.js";

export interface PublishOptions {
  repo: string;
  private: boolean;
  /** Publish even when the run's gates failed. */
  force: boolean;
}

export interface PublishResult extends UploadResult {
  url: string;
}

/**
 * Publishes a finished run's adapter with its model card to a Hub model repo. A run whose gates failed (or
 * that did not finish) is refused unless `force`; the token must be a write token (HF_TOKEN).
 */
export async function publishRun(
  runDir: string,
  options: PublishOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PublishResult> {
  const target = parseModelRef(options.repo);
  if (!target || options.repo.includes("@")) {
    throw new UsageError("bad-publish-repo", `--repo ${options.repo} is not a model repo id`, {
      hint: "write it as org/name",
    });
  }
  const access = hubAccess(env);
  if (!access.accessToken) {
    throw new UsageError("publish-no-token", "publishing needs a Hugging Face token with write access", {
      hint: "set HF_TOKEN (or log in with `hf auth login`); it is sent only as an Authorization header",
    });
  }
  const run = await readPublishableRun(runDir);
  const status = run.report.outcome.status;
  if (status !== "passed" && !options.force) {
    throw new FailedError(
      "publish-refused",
      `run ${run.report.run_id} did not pass (${status}); nothing was published`,
      {
        hint:
          status === "gates-failed"
            ? "fix the run, or pass --force to publish an adapter that failed its gates"
            : "only a run that passed can be published (or pass --force)",
      },
    );
  }
  const license = run.card.baseModel
    ? await baseLicense(run.card.baseModel, run.report.base_model_revision, access)
    : undefined;
  const card = modelCard({ ...run.card, repo: target.id, license });
  const files = [...run.adapterFiles, { path: "README.md", bytes: Buffer.from(card) }];
  const title = `Adapter from pipeline run ${run.report.run_id}`;
  try {
    const result = await uploadFiles(
      target.id,
      files,
      { private: options.private, title },
      { ...access, accessToken: access.accessToken },
    );
    return { ...result, url: repoPage(access.hubUrl, target) };
  } catch (error) {
    throw explainHubError(error, target, access.hubUrl, true);
  }
}

/** The base model's license, which its adapters inherit; unknown when the Hub cannot say. */
async function baseLicense(id: string, revision: string | undefined, access: ReturnType<typeof hubAccess>) {
  try {
    const info = await modelInfo({ ...access, name: id, revision, additionalFields: ["cardData", "tags"] });
    return licenseOf(info.cardData, info.tags);
  } catch {
    return undefined;
  }
}
