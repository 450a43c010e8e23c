import { execa } from "execa";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

/** The desktop's "open this file" command, if this machine has one on PATH. */
export async function findOpener(
  platform = process.platform,
  path = process.env.PATH ?? "",
): Promise<string | undefined> {
  const name = platform === "darwin" ? "open" : platform === "win32" ? undefined : "xdg-open";
  if (!name) return undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** Opens a file in the user's viewer and returns at once; false when there is no viewer to ask. */
export async function openFile(file: string): Promise<boolean> {
  const opener = await findOpener();
  if (!opener) return false;
  try {
    const child = execa(opener, [file], { detached: true, stdio: "ignore", reject: false });
    child.nodeChildProcess.unref(); // the viewer outlives this command
    return true;
  } catch {
    return false; // a viewer that cannot start is no reason to fail: the path is printed anyway
  }
}
