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

/**
 * A result derived from parsed files, computed once per parse: while a memo hands back the same
 * parsed objects (their files unchanged), `of` hands back the same result; a file parsed again is
 * a new object, and a new result. The first key is a parsed object (the result is forgotten with
 * it); the others are what else the result depends on, compared by identity. Results are shared:
 * whoever takes one must not change it.
 */
export class Derived<V> {
  private readonly results = new WeakMap<object, { also: readonly unknown[]; value: V }>();

  of(parsed: object, also: readonly unknown[], compute: () => V): V {
    const found = this.results.get(parsed);
    if (found && found.also.length === also.length && found.also.every((key, index) => key === also[index])) return found.value;
    const value = compute();
    this.results.set(parsed, { also, value });
    return value;
  }
}
