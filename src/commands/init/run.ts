/** `dmreport init`: a thin layer over initSource(). */
import { relative, resolve } from "node:path";
import { initSource } from "../../cycle/init.js";

export function runInit(folder: string, flags: { month?: string; force?: boolean; action?: string }): void {
  const target = resolve(folder);
  const { created, kept } = initSource(target, { month: flags.month, force: flags.force, action: flags.action });
  const shown = relative(process.cwd(), target) || ".";
  const lines = [...created.map((file) => `created ${file}`), ...kept.map((file) => `kept    ${file} (already there)`)];
  lines.push("", `Next: dmreport build ${shown}    then, in its git repository: pre-commit install`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
