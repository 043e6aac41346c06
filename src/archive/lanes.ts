/**
 * The lanes that build an archive's months: this thread, and worker threads for the other cores
 * once there are enough months waiting to be worth their start. Months are added while the
 * archive is still reading the source for the months after them, so the workers start building
 * before that reading is done.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { buildMonthOfArchive, type MonthDone, type MonthTask } from "./month.js";
import { checkNotStopped, UsageError } from "../core/errors.js";
import type { LoadedSource } from "../load/index.js";

/** Months to build before worker threads are started: each loads dmreport anew and warms up its own JIT, which ten months (600 fragments) do not repay. */
const WORKER_THRESHOLD = 12;

/**
 * A worker's young generation: a quarter of V8's default, to keep an archive build within 300 MiB.
 * Measured on the cold 6,000-fragment archive, three runs each: 16 MB peaked at 289-304 MB, 8 MB at
 * 277-292 MB, in the same time; 4 MB at 262-282 MB, but up to a tenth slower.
 */
const YOUNG_GENERATION_MB = 8;

/** A worker's answer for one month, in the order the months were sent. */
interface WorkerAnswer {
  ok: boolean;
  result?: MonthDone;
  message?: string;
  usage?: boolean;
}

export interface LaneSettings {
  formats: readonly string[];
  write: boolean;
  /** The user's private cache folder, where each month's parsed and rendered content is kept (see `MonthStore`). */
  cache?: string;
  /** Nothing kept is read (what is kept is made anew). */
  fresh?: boolean;
}

export class MonthLanes<Task extends MonthTask> {
  private readonly queue: Task[] = [];
  private readonly workers: Promise<void>[] = [];
  /** The worker threads running: stopped at once when the archive fails or is stopped. */
  private readonly running = new Set<Worker>();
  private readonly wakers = new Set<() => void>();
  private added = 0;
  private closed = false;
  private failure: Error | undefined;

  constructor(
    private readonly root: string,
    private readonly settings: LaneSettings,
    private readonly base: LoadedSource,
    private readonly record: (task: Task, done: MonthDone) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** A month to build; the lanes take it in the order added. */
  add(task: Task): void {
    this.queue.push(task);
    this.added++;
    if (this.added === WORKER_THRESHOLD) this.startWorkers();
    this.wake();
  }

  /** Let the workers' answers in while the caller is busy (and hear of a signal). */
  async breathe(): Promise<void> {
    await checkNotStopped(this.signal).catch((error: Error) => {
      this.failure ??= error;
    });
    if (this.failure) throw this.failure;
  }

  /** The threads that built months: this one, and the workers started. */
  get threads(): number {
    return 1 + this.workers.length;
  }

  /** No more months: this thread builds with the workers until every month is done. */
  async finish(): Promise<void> {
    this.closed = true;
    this.wake();
    for (let task = this.queue.shift(); task && !this.failure; task = this.queue.shift()) {
      this.record(task, await buildMonthOfArchive(this.base, task, this.settings));
      // Let the workers' answers in (and a signal), and hand them their next months.
      await this.breathe().catch(() => undefined);
    }
    // A failure or a stop does not wait for the months the workers hold.
    if (this.failure) this.stopWorkers();
    await Promise.all(this.workers);
    if (this.failure) throw this.failure;
  }

  /** Stop handing out months, and wait for the workers to end (when the archive fails or is done). */
  async abandon(): Promise<void> {
    this.closed = true;
    this.failure ??= new Error("the archive build was abandoned");
    this.queue.length = 0;
    this.stopWorkers();
    await Promise.all(this.workers);
  }

  /** End every worker now, in the middle of its month: nothing it built is wanted any more. */
  private stopWorkers(): void {
    for (const worker of this.running) void worker.terminate();
    this.wake();
  }

  private wake(): void {
    for (const wake of this.wakers) wake();
  }

  private startWorkers(): void {
    const workerFile = new URL("./worker.js", import.meta.url);
    // Only the compiled package has the worker's own entry; run from the sources, one lane it is.
    if (!existsSync(workerFile)) return;
    // This thread works one lane itself, beside one worker per other core: every core busy, and
    // one V8 heap fewer than a worker per core (memory matters as much as time for an archive).
    for (let lane = 1; lane < availableParallelism(); lane++) this.workers.push(this.workerLane(workerFile));
  }

  private async workerLane(workerFile: URL): Promise<void> {
    const worker = new Worker(workerFile, {
      workerData: { root: this.root, ...this.settings },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.running.add(worker);
    const inbox: WorkerAnswer[] = [];
    let crash: Error | undefined;
    let ended = false;
    let waiting: (() => void) | undefined;
    const wake = () => waiting?.();
    this.wakers.add(wake);
    worker.on("message", (answer: WorkerAnswer) => {
      inbox.push(answer);
      wake();
    });
    worker.on("error", (error: Error) => {
      crash = error;
      wake();
    });
    worker.once("exit", () => {
      ended = true;
      this.running.delete(worker);
      wake();
    });
    // The worker always holds its next month besides the one it builds: while this thread is
    // busy with a month of its own, a worker that finished one does not wait to hear of the next.
    const sent: Task[] = [];
    try {
      for (;;) {
        while (sent.length < 2 && this.queue.length && !this.failure) {
          const task = this.queue.shift()!;
          sent.push(task);
          worker.postMessage({ month: task.month, history: task.history });
        }
        if (crash) throw crash;
        // Stopped (the archive failed or was stopped), or gone of itself before answering.
        if (ended && !inbox.length) {
          if (this.failure || !sent.length) return;
          throw new Error("a worker thread ended before it built the months it was given");
        }
        const answer = inbox.shift();
        if (answer) {
          const task = sent.shift()!;
          if (!answer.ok) {
            this.failure ??= answer.usage ? new UsageError(answer.message!) : new Error(answer.message);
            this.wake();
            return;
          }
          this.record(task, answer.result!);
          continue;
        }
        // Nothing in flight and nothing more to come: this lane is done.
        if (!sent.length && (this.closed || this.failure)) return;
        await new Promise<void>((resolve) => (waiting = resolve));
      }
    } catch (error) {
      this.failure ??= error as Error;
    } finally {
      this.wakers.delete(wake);
      await worker.terminate();
    }
  }
}
