import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The installed package's root (holds docker/, scripts/, schema/); same depth from src/ and dist/. */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

export const trainerScript = join(packageRoot, "docker", "train.py");
export const generateScript = join(packageRoot, "docker", "generate.py");
export const mergeScript = join(packageRoot, "docker", "merge.py");
export const requirementsFile = join(packageRoot, "docker", "requirements.txt");
export const tinyModelDir = join(packageRoot, "models", "tiny");
export const makeVenvScript = join(packageRoot, "scripts", "make_venv.py");
export const trackScript = join(packageRoot, "docker", "track.py");
export const trackingRequirements = join(packageRoot, "docker", "requirements-tracking.txt");

/** Where slow-to-make things are cached across runs and clones: the venv, downloads. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PIPELINE_CACHE) return env.PIPELINE_CACHE;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pipeline");
}
