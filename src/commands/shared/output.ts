/** Where a command's words go: the process's streams, or a lint server's reply. */
import type { ParseMemo } from "../../load/memo.js";
import { useColor } from "../../reporters/compact.js";

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
  /** Whether standard output is a terminal that shows colour. */
  color: boolean;
  /** How wide standard output's terminal is, when it is one. */
  columns?: number;
}

/** What a run of the CLI works with besides its arguments. */
export interface CliContext {
  output: CommandOutput;
  /** The folder relative paths are taken from; the process's when absent. */
  cwd?: string;
  /** Parse results kept between runs of one process (the lint server), by source root. */
  memos?: Map<string, ParseMemo>;
  /** False where the process handles SIGINT and SIGTERM itself (the lint server): the run does not listen for them. */
  signals?: boolean;
}

export function processOutput(): CommandOutput {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    color: useColor(process.stdout),
    ...(process.stdout.isTTY && process.stdout.columns > 0 && { columns: process.stdout.columns }),
  };
}
