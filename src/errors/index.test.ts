import { describe, expect, it } from "vitest";
import { messageOf } from "./index.js";

describe("messageOf", () => {
  it("gives an Error's message, and a thrown value that is not an Error as text instead of undefined", () => {
    expect(messageOf(new TypeError("bad input"))).toBe("bad input");
    expect(messageOf("a library threw a string")).toBe("a library threw a string");
    expect(messageOf({ code: 7 })).toBe("[object Object]");
    expect(messageOf(undefined)).toBe("undefined");
  });
});
