import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allFiles,
  dockerWorkspace,
  ownContainers,
  preparedTestImage,
  removeOwnContainers,
  startRun,
} from "./helpers/docker.js";
import { startSshServer, type SshServer } from "./helpers/ssh-server.js";
import { ALICE, TINY, hubEnv, startTestHub } from "./helpers/hub-fixtures.js";
import type { HubServer } from "./helpers/hub-server.js";
import { onlyRun } from "./helpers/run-workspace.js";

// Contract test (loopback Hub) with the real Docker engine: the cache is mounted read-only into a
// container on --network none, and the token is in no inspect, argv or run file.
let hub: HubServer;
let image: string;
let ssh: SshServer;
beforeAll(async () => {
  hub = await startTestHub();
  image = preparedTestImage();
  ssh = await startSshServer();
});
afterAll(async () => {
  await hub.close();
  removeOwnContainers();
  await ssh?.stop();
});

async function hubDockerRun(env: NodeJS.ProcessEnv) {
  const cwd = await dockerWorkspace(
    image,
    { max_steps: 4, logging_steps: 2, save_steps: 4 },
    { train: 64, eval: 8 },
  );
  const config = join(cwd, "configs/run.yaml");
  await writeFile(
    config,
    (await readFile(config, "utf8")).replace("base_model: builtin:tiny", `base_model: ${TINY}`),
  );
  const home = await mkdtemp(join(tmpdir(), "pipeline-hf-home-"));
  spawnSync("chmod", ["a+rx", home]);
  const run = startRun(cwd, { ...hubEnv(hub, home, ALICE), ...env });
  let inspect = "";
  let done = false;
  void run.exited.then(() => (done = true));
  while (!done) {
    for (const id of inspect ? [] : ownContainers()) {
      const seen = spawnSync("docker", ["inspect", id], { encoding: "utf8" }).stdout;
      // The trainer (its args name the spec), not a preflight probe or the generation container.
      if (seen.includes('"--spec"')) inspect = seen;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { cwd, home, run, code: await run.exited, inspect };
}

describe("a hub base model with runtime: docker (a local and a remote engine)", () => {
  it("downloads on the host, mounts the cache read-only and trains offline in the container", async () => {
    const { cwd, home, run, code, inspect } = await hubDockerRun({});
    expect(code, run.output()).toBe(0);
    expect(inspect, "the trainer's container was seen").toContain("pipeline.run-id");
    expect(inspect).not.toContain(ALICE);
    const [container] = JSON.parse(inspect) as {
      HostConfig: { NetworkMode: string };
      Mounts: { Source: string; Destination: string; RW: boolean }[];
    }[];
    expect(container!.HostConfig.NetworkMode).toBe("none");
    const folder = `models--${TINY.replace("/", "--")}`;
    expect(container!.Mounts).toContainEqual(
      expect.objectContaining({
        Source: join(home, "hub", folder),
        Destination: `/hf-cache/${folder}`,
        RW: false,
      }),
    );
    const { dir } = onlyRun(join(cwd, "runs"));
    const spec = JSON.parse(readFileSync(join(dir, "spec.docker.json"), "utf8")) as { base_model: string };
    expect(spec.base_model).toMatch(new RegExp(`^/hf-cache/${folder}/snapshots/[0-9a-f]{40}$`));
    for (const file of allFiles(dir)) expect(readFileSync(file).includes(ALICE), file).toBe(false);
    expect(run.output()).not.toContain(ALICE);
  });

  it("a remote engine gets the snapshot's files copied in (no mounts, no dangling links), the token never", async () => {
    const { cwd, home, run, code, inspect } = await hubDockerRun({ ...ssh.env, DOCKER_HOST: ssh.dockerHost });
    expect(code, run.output()).toBe(0);
    expect(run.output()).toMatch(/on ssh:\/\/root@127\.0\.0\.1:\d+ \(remote: inputs copied in/);
    expect(inspect).toContain("pipeline.run-id");
    expect(inspect).not.toContain(ALICE);
    const [container] = JSON.parse(inspect) as { Mounts: unknown[] }[];
    expect(container!.Mounts).toEqual([]);
    // The hard-linked copy made for docker cp is gone; the cache holds only the Hugging Face layout.
    const folder = join(home, "hub", `models--${TINY.replace("/", "--")}`);
    expect(readdirSync(folder).sort()).toEqual(["blobs", "refs", "snapshots"]);
    const { dir } = onlyRun(join(cwd, "runs"));
    for (const file of allFiles(dir)) expect(readFileSync(file).includes(ALICE), file).toBe(false);
  });
});
