/**
 * A `pipeline run` started by a queue worker (env PIPELINE_PARENT_PID) must not outlive it: a worker
 * killed with SIGKILL cannot stop its children, and another worker will resume the job. Once a second the
 * run checks that its parent is still its parent; when it is gone the run stops itself exactly as on
 * SIGTERM (the trainer saves a checkpoint, the run exits 130).
 */
export function watchParent(env = process.env, intervalMs = 1000): void {
  const parent = Number(env.PIPELINE_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }, intervalMs);
  timer.unref();
}
