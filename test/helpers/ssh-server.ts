import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.js";

export interface SshServer {
  /** DOCKER_HOST for the engine behind it. */
  dockerHost: string;
  /** Environment for the pipeline/docker CLI: the ssh wrapper first on PATH. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * A real sshd on 127.0.0.1 (Debian's openssh-server, scripts/system-packages.sh) with a throwaway host key and
 * client key; an `ssh` wrapper first on PATH adds `-F` with the test's own ssh_config, so the docker CLI's
 * ssh:// transport reaches it without touching ~/.ssh.
 */
export async function startSshServer(): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), "pipeline-sshd-"));
  chmodSync(dir, 0o700);
  const keygen = (file: string) =>
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, file)], { encoding: "utf8" });
  keygen("host_key");
  keygen("client_key");
  spawnSync("cp", [join(dir, "client_key.pub"), join(dir, "authorized_keys")]);
  const port = await freePort();
  const hostPub = spawnSync("cat", [join(dir, "host_key.pub")], { encoding: "utf8" }).stdout.trim();
  writeFileSync(join(dir, "known_hosts"), `[127.0.0.1]:${port} ${hostPub}\n`);
  writeFileSync(
    join(dir, "ssh_config"),
    [
      "Host 127.0.0.1",
      `  Port ${port}`,
      `  IdentityFile ${join(dir, "client_key")}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${join(dir, "known_hosts")}`,
      "  StrictHostKeyChecking yes",
      "  BatchMode yes",
      "",
    ].join("\n"),
  );
  const bin = join(dir, "bin");
  spawnSync("mkdir", [bin]);
  writeFileSync(join(bin, "ssh"), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, "ssh_config")} "$@"\n`, {
    mode: 0o755,
  });
  spawnSync("mkdir", ["-p", "/run/sshd"]); // sshd's privilege-separation directory
  const sshd: ChildProcess = spawn(
    "/usr/sbin/sshd",
    [
      "-D",
      "-e",
      "-f",
      "/dev/null",
      "-o",
      "ListenAddress=127.0.0.1",
      "-o",
      `Port=${port}`,
      "-o",
      `HostKey=${join(dir, "host_key")}`,
      "-o",
      `AuthorizedKeysFile=${join(dir, "authorized_keys")}`,
      "-o",
      "PasswordAuthentication=no",
      "-o",
      "PermitRootLogin=prohibit-password",
      "-o",
      `PidFile=${join(dir, "sshd.pid")}`,
      "-o",
      "StrictModes=no",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  sshd.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const dockerHost = `ssh://root@127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const probe = spawnSync("ssh", ["root@127.0.0.1", "true"], { env, encoding: "utf8" });
    if (probe.status === 0) break;
    if (i === 49 || sshd.exitCode !== null) throw new Error(`sshd did not start: ${log}${probe.stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    dockerHost,
    env,
    async stop() {
      if (sshd.exitCode === null) {
        const exited = new Promise((r) => sshd.once("exit", r));
        sshd.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
