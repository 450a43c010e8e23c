import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.js";
import { S3Store } from "../../src/checkpoints/index.js";
import { root } from "./cli.js";

/** Test-only credentials: the server accepts them; nothing here ever reaches a real AWS account. */
export const S3_ENV = {
  AWS_ACCESS_KEY_ID: "pipeline-test",
  AWS_SECRET_ACCESS_KEY: "pipeline-test-secret",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

export interface S3Fixture {
  endpoint: string;
  bucket: string;
  /** The process env for `pipeline` with the test credentials (and no AWS profile of the machine's). */
  env: NodeJS.ProcessEnv;
  store(prefix?: string): S3Store;
  /** The store goes away: new connections are refused, open ones are cut. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real S3 server on loopback (scripts/s3-server.sh: MinIO when built, else moto's standalone server) with
 * a bucket, reached through a loopback TCP relay (its own process) so a test can take the store down and
 * bring it back without losing what it holds (moto keeps its objects in memory).
 */
export async function startS3(bucket = "pipeline-test"): Promise<S3Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "s3-server-"));
  const script = join(root, "scripts/s3-server.sh");
  const serverEndpoint = execFileSync(script, ["start", String(await freePort()), dir], {
    encoding: "utf8",
    env: { ...process.env, ...S3_ENV },
  }).trim();
  const serverPort = Number(new URL(serverEndpoint).port);
  const port = await freePort();
  const relay = spawn(
    process.execPath,
    [join(root, "test/fixtures/tcp-relay.mjs"), String(port), String(serverPort)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: relay.stdout! });
  const next = (word: string) =>
    new Promise<void>((resolve) => {
      const onLine = (line: string) => {
        if (line !== word) return;
        lines.off("line", onLine);
        resolve();
      };
      lines.on("line", onLine);
    });
  await next("up");
  const down = async () => {
    const done = next("down");
    relay.kill("SIGUSR1");
    await done;
  };
  const up = async () => {
    const done = next("up");
    relay.kill("SIGUSR2");
    await done;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...S3_ENV };
  for (const key of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"])
    delete env[key];
  const store = (prefix = "") =>
    new S3Store({ bucket, prefix }, { endpoint, region: "us-east-1", pathStyle: true });
  const admin = store();
  for (const [k, v] of Object.entries(S3_ENV)) process.env[k] = v;
  await admin.createBucket();
  admin.destroy();
  return {
    endpoint,
    bucket,
    env,
    store,
    down,
    up,
    async close() {
      relay.kill();
      execFileSync(script, ["stop", dir]);
    },
  };
}
