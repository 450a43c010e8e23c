import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { root } from "./cli.js";
import { freePort } from "./net.js";

/** The test cluster's token (RAY_AUTH_MODE=token): every API request needs it. */
export const RAY_TOKEN = "pipeline-test-ray-token-0123456789";

export interface RayNode {
  ip: string;
  /** `ray start --block`, the leader of the node's process group: stopping it by its pid stops the node. */
  process: ChildProcess;
  head: boolean;
}

export interface RayCluster {
  /** The dashboard (Jobs API) address. */
  address: string;
  nodes: RayNode[];
  /** Raw `GET` of a dashboard path with the token (what a person with the token could read). */
  get(path: string): Promise<string>;
  /** Every file Ray wrote on every node (logs, unpacked packages, spilled objects): path → text. */
  files(): Map<string, string>;
  /** kill -9 of a node's raylet: the node is lost as if its machine died. */
  killRaylet(ip: string): void;
  stop(): Promise<void>;
}

/** The Python every node runs (Ray + boto3 over the trainer's stack), made once by scripts/ray-venv.sh. */
export function rayPython(): string {
  const out = execFileSync("bash", [join(root, "scripts/ray-venv.sh")], { encoding: "utf8" });
  return /^python: (.*)$/m.exec(out)![1]!;
}

/**
 * A real Ray cluster on loopback: a head (GCS, dashboard, job drivers; no CPU for training) at 127.0.0.2 and
 * `workers` CPU nodes at 127.0.0.3, .4, …, each a raylet of its own. Ray would replace 127.0.0.1 by the
 * machine's own address, so the nodes take other loopback addresses; the dashboard listens on 127.0.0.1. The
 * nodes get no AWS credentials: what a job reads from the store it reads with the credentials the run hands it.
 */
export async function startRayCluster(workers = 2): Promise<RayCluster> {
  const python = rayPython();
  const bin = join(python, "..");
  const temp = mkdtempSync("/tmp/rt-"); // Ray's socket paths must stay short
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    RAY_AUTH_MODE: "token",
    RAY_AUTH_TOKEN: RAY_TOKEN,
    RAY_USAGE_STATS_ENABLED: "0",
    GLOO_SOCKET_IFNAME: "lo",
    OMP_NUM_THREADS: "1",
    HF_HUB_OFFLINE: "1",
  };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_") || key === "HF_TOKEN") delete env[key];
  const [gcsPort, dashboardPort] = [await freePort(), await freePort()];
  const address = `http://127.0.0.1:${dashboardPort}`;
  const start = (args: string[]) =>
    spawn(join(bin, "ray"), ["start", "--block", "--disable-usage-stats", ...args], {
      env,
      detached: true, // its own process group: the node's processes are stopped together, by its pid
      stdio: "ignore",
    });
  const nodes: RayNode[] = [
    {
      ip: "127.0.0.2",
      head: true,
      process: start([
        "--head",
        "--node-ip-address=127.0.0.2",
        "--dashboard-host=127.0.0.1",
        `--port=${gcsPort}`,
        `--dashboard-port=${dashboardPort}`,
        "--num-cpus=0",
        `--dashboard-agent-listen-port=${await freePort()}`, // not Ray's fixed default: another cluster may hold it
        `--temp-dir=${join(temp, "h")}`, // one per node: a node's sockets are named the same on every node
      ]),
    },
  ];
  const get = async (path: string) => {
    const response = await fetch(new URL(path, address), {
      headers: { authorization: `Bearer ${RAY_TOKEN}` },
    });
    return response.text();
  };
  const cluster: RayCluster = {
    address,
    nodes,
    get,
    files: () => readTree(temp),
    killRaylet(ip) {
      const node = nodes.find((n) => n.ip === ip)!;
      process.kill(groupMember(node.process.pid!, "raylet"), "SIGKILL");
    },
    async stop() {
      for (const node of [...nodes].reverse()) await stopGroup(node.process);
      rmSync(temp, { recursive: true, force: true });
    },
  };
  try {
    await waitForNodes(get, 1);
    for (let i = 0; i < workers; i++) {
      const ip = `127.0.0.${3 + i}`;
      const args = [
        `--address=127.0.0.2:${gcsPort}`,
        `--node-ip-address=${ip}`,
        "--num-cpus=2",
        `--temp-dir=${join(temp, `n${i}`)}`,
      ];
      nodes.push({
        ip,
        head: false,
        process: start([...args, `--dashboard-agent-listen-port=${await freePort()}`]),
      });
    }
    await waitForNodes(get, 1 + workers);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

async function waitForNodes(get: (path: string) => Promise<string>, count: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      const summary = JSON.parse(await get("/nodes?view=summary")) as {
        data: { summary: { raylet: { state: string } }[] };
      };
      if (summary.data.summary.filter((n) => n.raylet.state === "ALIVE").length >= count) return;
    } catch {
      // the dashboard is not up yet
    }
    await sleep(500);
  }
  throw new Error(`the test Ray cluster did not reach ${count} node(s) in 2 minutes`);
}

/** SIGTERM to the node's process group (led by the `ray start` we started), SIGKILL to what is left. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // the group is gone
    }
  };
  signal("SIGTERM");
  for (let i = 0; i < 40 && groupAlive(pgid); i++) await sleep(250);
  signal("SIGKILL");
}

function groupMembers(pgid: number): { pid: number; comm: string }[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(fields[2]) === pgid && fields[0] !== "Z" ? [{ pid: Number(pid), comm }] : [];
      } catch {
        return [];
      }
    });
}

const groupAlive = (pgid: number) => groupMembers(pgid).length > 0;

function groupMember(pgid: number, comm: string): number {
  const member = groupMembers(pgid).find((m) => m.comm === comm);
  if (!member) throw new Error(`no ${comm} in process group ${pgid}`);
  return member.pid;
}

function readTree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && !entry.name.endsWith(".sock"),
  );
  return new Map(
    files.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      try {
        return [path, readFileSync(path, "latin1")];
      } catch {
        return [path, ""];
      }
    }),
  );
}
