/**
 * Tests only: PIPELINE_TEST_PAUSE_BEFORE_REPORT_S holds a finished run that long before it writes its report,
 * a window in which a test kills it (as the trainer's PIPELINE_TEST_SLOW_SAVE_S does for a checkpoint save).
 */
export async function pauseBeforeReport(): Promise<void> {
  const seconds = Number(process.env.PIPELINE_TEST_PAUSE_BEFORE_REPORT_S ?? 0);
  if (!(seconds > 0)) return;
  process.stderr.write(`test pause: ${seconds} s before the report\n`);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
