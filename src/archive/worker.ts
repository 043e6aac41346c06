/** A worker thread of the archive build: validates, renders and writes the months it is given. */
import { parentPort, workerData } from "node:worker_threads";
import type { LaneSettings } from "./lanes.js";
import { buildMonthOfArchive, type MonthTask } from "./month.js";
import { loadSource } from "../load/index.js";

const { root, formats, write, cache, fresh } = workerData as LaneSettings & { root: string };
// The config, WBS tree and register, read once for every month this worker builds.
const base = loadSource(root, { months: [] }).source;

// Months come in ahead of time; each is built after the one before, and answered in order.
let previous = Promise.resolve();
parentPort!.on("message", (task: MonthTask) => {
  previous = previous.then(async () => {
    try {
      parentPort!.postMessage({ ok: true, result: await buildMonthOfArchive(base, task, { formats, write, cache, fresh }) });
    } catch (error) {
      parentPort!.postMessage({
        ok: false,
        message: (error as Error).message,
        usage: (error as Error).name === "UsageError" || (error as Error).constructor.name === "UsageError",
      });
    }
  });
});
