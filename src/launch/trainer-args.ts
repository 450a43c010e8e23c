/**
 * The trainer's arguments after `python`: one plain process, or torchrun starting `processes` of them on this
 * machine (DDP; rank 0 writes the event stream on the same stdout). Pure.
 */
export function trainerArgs(script: string, specPath: string, processes: number): string[] {
  const train = [script, "--spec", specPath];
  if (processes === 1) return ["-u", ...train];
  return ["-u", ...torchrunFlags(processes), ...train];
}

/**
 * `python -m torch.distributed.run` on one machine; its rendezvous picks a free port on localhost, and the ranks
 * meet on 127.0.0.1 rather than the host's name (in a container on `--network none` the name resolves to an
 * address nothing listens on, and the rendezvous waits 300 s before it fails).
 */
export const torchrunFlags = (processes: number): string[] => [
  "-m",
  "torch.distributed.run",
  "--standalone",
  "--local-addr=127.0.0.1",
  "--nnodes=1",
  `--nproc-per-node=${processes}`,
];

/** gloo (the CPU backend) talks over loopback when every rank is on this machine. */
export const localRanksEnv = (processes: number, env: NodeJS.ProcessEnv): Record<string, string> =>
  processes > 1 ? { GLOO_SOCKET_IFNAME: env.GLOO_SOCKET_IFNAME ?? "lo" } : {};
