/** Errors that are not about a report source's content: they end a command with exit status 2. */

/** A problem with how dmreport was called, or with the machine (no browser for a PDF). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A build stopped by a signal (Ctrl-C, a CI timeout) before it wrote anything. */
export class StoppedError extends Error {
  override readonly name = "StoppedError";
  constructor(readonly signalName: string) {
    super(`stopped by ${signalName}; nothing was written, earlier outputs are as they were`);
  }
}

/** Let pending events (a signal) in; then stop if `signal` was aborted. */
export async function checkNotStopped(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new StoppedError(String(signal.reason ?? "a signal"));
}
