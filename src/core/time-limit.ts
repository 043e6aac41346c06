/**
 * A time limit for synchronous work that runs the project's own regular expressions (`links`,
 * `milestones.idPattern`, `milestones.import.wbsPrefix`): a pattern that backtracks without end on
 * some text (`(a+)+$`, ReDoS) would otherwise hang a build, a lint, the lint server and every lint
 * that waits on it, deaf to Ctrl-C and SIGTERM. The work runs under V8's watchdog (the timeout of
 * node:vm), which stops even a regular expression in the middle of its matching.
 */
import { createContext, Script } from "node:vm";

/** Thrown when the work ran past its limit and was stopped. */
export class TimeLimitError extends Error {
  override readonly name = "TimeLimitError";
  constructor(readonly limitMs: number) {
    super(`stopped after ${limitMs / 1000} s`);
  }
}

const DEFAULT_LIMIT_MS = 60_000;
const context = createContext({ work: undefined as (() => unknown) | undefined });
const runWork = new Script("work()");

/** The limit: `DMREPORT_TIME_LIMIT_MS`, else a minute, far more than the checks of a ten-year source take. */
export function timeLimitMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.DMREPORT_TIME_LIMIT_MS);
  return Number.isFinite(given) && given > 0 ? given : DEFAULT_LIMIT_MS;
}

/** `work()`, or a TimeLimitError once it has run for `limitMs`. Work already under a limit runs under that one. */
export function withinTimeLimit<T>(work: () => T, limitMs = timeLimitMs()): T {
  if (context.work !== undefined) return work();
  context.work = work;
  try {
    return runWork.runInContext(context, { timeout: limitMs }) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new TimeLimitError(limitMs);
    throw error;
  } finally {
    context.work = undefined;
  }
}
