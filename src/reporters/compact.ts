/** Format diagnostics for a terminal: one `file:line:column` line each, then a count. */
import { relative, resolve } from "node:path";
import { styleText } from "node:util";
import type { Diagnostic } from "../core/diagnostics.js";
import { printable } from "./printable.js";

export interface FormatOptions {
  /** Source root the diagnostics' paths are relative to. */
  root: string;
  /** Folder the paths are shown relative to (the working directory). */
  cwd: string;
  color: boolean;
}

/** The lines to print for `diagnostics`, ending in a count; empty when there are none. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  if (!diagnostics.length) return "";
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text);
  const lines = diagnostics.map((d) => {
    const file = printable(shownPath(d.file, options));
    const severity = d.severity === "error" ? paint("red", "error") : paint("yellow", "warning");
    return `${paint("bold", `${file}:${d.line}:${d.column}`)}: ${severity}: ${printable(d.message)} ${paint("dim", `[${printable(d.rule)}]`)}`;
  });
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const count = [errors ? plural(errors, "error") : "", warnings ? plural(warnings, "warning") : ""].filter(Boolean).join(", ");
  return `${lines.join("\n")}\n${count}\n`;
}

/** A diagnostic's file as the user should see it: relative to where they are, unless that is far. */
export function shownPath(file: string, options: { root: string; cwd: string }): string {
  if (file.startsWith("(dmreport)")) return file;
  const shown = relative(options.cwd, resolve(options.root, file));
  return shown.startsWith("..") && shown.split("/").filter((part) => part === "..").length > 2 ? resolve(options.root, file) : shown || ".";
}

/** `count` and an English `word`, made plural unless the count is one: "1 error", "2 warnings". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Whether to colour output written to `stream`: a terminal, and NO_COLOR not set. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}
