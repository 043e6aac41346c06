/** Parse results kept in memory between loads of the same source: a file whose text is unchanged is not parsed again. */
import type { HistoryMemory } from "./history.js";

/** What one load parsed, for the next load of the same source in the same process (the preview server). */
export class ParseMemo {
  private readonly known = new Map<string, { key: string; value: unknown }>();
  /** The earlier months' statuses, as the history cache gave them (see `historyReader`). */
  history?: HistoryMemory;

  /** `watches`: the process lives on (a server) and may watch the source's month folders (see `HistoryMemory`). */
  constructor(readonly watches = false) {}

  /** The result of `parse` for the file `name` read with `key` (its text and how it was read), parsed only when that changed. */
  parsed<T>(name: string, key: string, parse: () => T): T {
    const found = this.known.get(name);
    if (found && found.key === key) return found.value as T;
    const value = parse();
    this.known.set(name, { key, value });
    return value;
  }
}

/** Parse without keeping anything, where no memo is given. */
export function parseOnce<T>(memo: ParseMemo | undefined, name: string, key: string, parse: () => T): T {
  return memo ? memo.parsed(name, key, parse) : parse();
}
