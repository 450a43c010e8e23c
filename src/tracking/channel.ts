import type { Report } from "../report/index.js";
import type { Feeder } from "./feeder.js";

export type RunStatus = "done" | "failed" | "interrupted";

/** One tracking system of a run: its feeder of events, and what it does once the run is over. */
export interface Channel {
  label: string;
  feeder: Feeder;
  /**
   * Results, outcome and files of the finished run; `report` is missing when none was written. A system that
   * does not take them is tried again until the deadline; `onWait` is told why when it waits.
   */
  finish(
    report: Report | undefined,
    status: RunStatus,
    deadline: number,
    onWait?: (reason: string) => void,
  ): Promise<void>;
}

export interface Log {
  warn: (line: string) => void;
  info: (line: string) => void;
}

/** The run directory's files every system that keeps files gets, under the name it gets them. */
export function runFiles(runDir: string): { path: string; artifact: string }[] {
  return [
    { path: `${runDir}/report.html`, artifact: "report/report.html" },
    { path: `${runDir}/report.json`, artifact: "report/report.json" },
    { path: `${runDir}/report.md`, artifact: "report/report.md" },
    { path: `${runDir}/adapter/README.md`, artifact: "adapter/README.md" },
    { path: `${runDir}/adapter/adapter_config.json`, artifact: "adapter/adapter_config.json" },
  ];
}
