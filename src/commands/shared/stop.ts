/** Ctrl-C and SIGTERM, as an AbortSignal the commands hand to the library, so a build stops cleanly. */
const controller = new AbortController();

/** Aborted, with the signal's name, when the process is asked to stop. */
export const stopSignal: AbortSignal = controller.signal;

let listening = false;

/** Listen for the first SIGINT or SIGTERM; a second one ends the process at once, as usual. Once per process. */
export function listenForStop(): void {
  if (listening) return;
  listening = true;
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort(name));
}
