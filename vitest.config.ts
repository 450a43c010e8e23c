import { defineConfig } from "vitest/config";

// Files that share the one Docker engine: `runs cleanup` (docker.test.ts, docker-remote.test.ts) removes every
// stopped pipeline container on the engine, another file's included, so these run one at a time.
const dockerFiles = [
  "test/docker.test.ts",
  "test/docker-remote.test.ts",
  "test/docker-s3.test.ts",
  "test/hub-docker.test.ts",
];

const integration = {
  globalSetup: ["test/global-setup.ts"],
  testTimeout: 600_000,
  hookTimeout: 600_000,
  // One torch thread per trainer: several trainers at once on a small machine, each with a thread per core,
  // spin against each other (~10x slower seen on 2 shared cores).
  env: { OMP_NUM_THREADS: "1" },
  // Concurrent tests (the fault matrix's cases) two at a time: one per core of a small CI machine.
  maxConcurrency: 2,
};

// Three tiers, one after another (sequence.groupOrder): fast unit tests beside the code (src/**); integration
// and end-to-end tests (test/**), two files at a time, that drive the real Python trainer, the built binary,
// S3 and Ray; then the Docker files, one at a time.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["src/**/*.test.ts"] } },
      {
        test: {
          ...integration,
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: dockerFiles,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...integration,
          name: "docker",
          include: dockerFiles,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
