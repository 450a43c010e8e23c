import { CommanderError } from "commander";
import { ExitCode } from "../errors/index.js";
import { buildProgram } from "./program.js";
import { reportError } from "./report-error.js";

/** Runs the CLI and returns the exit code; never throws, never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exitCode 0; every other parse problem is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(error, { json });
  }
}
