import { isAbsolute, relative } from "node:path";

/** A file as the user should see it: relative to the working directory when it is inside it. */
export function showPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== "" && !isAbsolute(rel) && !rel.startsWith("..") ? rel : file;
}
