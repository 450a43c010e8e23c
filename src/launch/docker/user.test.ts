import { describe, expect, it } from "vitest";
import { containerUser, parseUser } from "./user.js";

describe("containerUser", () => {
  it("uses the configured user, else the caller's, but the image's uid 1000 instead of root", () => {
    expect(containerUser("2000:3000", 0, 0)).toBe("2000:3000");
    expect(containerUser(undefined, 1001, 100)).toBe("1001:100");
    expect(containerUser(undefined, 0, 0)).toBe("1000:1000");
    expect(parseUser("42")).toEqual({ uid: 42, gid: 42 });
  });
});
