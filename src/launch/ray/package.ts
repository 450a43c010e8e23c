import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync } from "fflate";
import { packageRoot } from "../paths.js";

/** What a cluster job runs: the trainer and its modules, and the contracts they check inputs against. */
const CODE = ["docker/train.py", "docker/ray_job.py", "docker/generate.py", "docker/pipeline_trainer"];
const SCHEMAS = ["schema/train-spec.schema.json", "schema/manifest.schema.json"];

export interface JobPackage {
  /** `_ray_pkg_<hash>.zip`: the name Ray's working_dir packages have (`gcs://<name>`). */
  name: string;
  zip: Uint8Array;
}

/**
 * The job's working_dir, zipped in the repository's layout (docker/…, schema/…) with job.json beside them, and
 * the secrets as secrets.json (0600): the package travels through the dashboard's authenticated package API
 * into the cluster's internal store, not in the job's runtime_env, which `GET /api/jobs/<id>` shows. A random
 * salt makes each run's package its own (its name is a hash of its bytes).
 */
export function jobPackage(job: unknown, secrets: Record<string, string>): JobPackage {
  const files: Record<string, Uint8Array | [Uint8Array, { attrs: number }]> = {};
  for (const entry of [...CODE, ...SCHEMAS]) {
    for (const file of walk(join(packageRoot, entry)))
      files[relative(packageRoot, file)] = readFileSync(file);
  }
  files["job.json"] = Buffer.from(JSON.stringify(job, null, 1));
  files["salt"] = randomBytes(16);
  if (Object.keys(secrets).length > 0) {
    files["secrets.json"] = [Buffer.from(JSON.stringify(secrets)), { attrs: 0o100600 << 16 }];
  }
  const zip = zipSync(files, { level: 6 });
  const hash = createHash("sha256").update(zip).digest("hex").slice(0, 16);
  return { name: `_ray_pkg_${hash}.zip`, zip };
}

function walk(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) return entry.name === "__pycache__" ? [] : walk(child);
    return entry.name.endsWith(".py") ? [child] : [];
  });
}
