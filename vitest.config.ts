import { defineConfig } from "vitest/config";

// Two tiers: fast unit tests beside the code (src/**), and integration/end-to-end tests (test/**) that
// drive the real Python trainer, the built binary and, later, Docker and S3.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["src/**/*.test.ts"] } },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          // Concurrent tests (the fault matrix's cases) two at a time: one per core of a small CI machine.
          maxConcurrency: 2,
        },
      },
    ],
  },
});
