import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 30_000,
    globalSetup: ["./test/global-setup.ts"],
    // Most tests wait on the processes they start (the CLI, Chromium, pre-commit): two files at a
    // time even on two cores, where Vitest's default would run one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
