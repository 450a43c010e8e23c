import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockHolder, tryLock } from "./pid-lock.js";

const lockPath = () => join(mkdtempSync(join(tmpdir(), "pid-lock-")), "x.lock");

describe("pid locks", () => {
  it("is held by one owner at a time and free again once released", () => {
    const file = lockPath();
    const release = tryLock(file);
    expect(typeof release).toBe("function");
    expect(tryLock(file)).toEqual({ holder: process.pid });
    (release as () => void)();
    expect(lockHolder(file)).toBeUndefined();
    expect(typeof tryLock(file)).toBe("function");
  });

  it("takes over a lock left by a dead process", () => {
    const file = lockPath();
    writeFileSync(file, "2147483646\n"); // no such pid
    expect(typeof tryLock(file)).toBe("function");
    expect(readFileSync(file, "utf8").trim()).toBe(String(process.pid));
  });
});
