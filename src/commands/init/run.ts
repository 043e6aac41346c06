/** `dmreport init`: a thin layer over initSource(). */
import { isAbsolute, relative, resolve } from "node:path";
import { initSource } from "../../monthly/init.js";
import { PACKAGE_ROOT } from "../../core/package-root.js";

/** Whether `path` lies in `folder`. */
const inside = (folder: string, path: string) => {
  const within = relative(folder, path);
  return within !== "" && !within.startsWith("..") && !isAbsolute(within);
};

export function runInit(folder: string, flags: { month?: string; force?: boolean; action?: string }): void {
  const target = resolve(folder);
  const { created, kept } = initSource(target, { month: flags.month, force: flags.force, action: flags.action });
  const shown = relative(process.cwd(), target) || ".";
  const lines = [...created.map((file) => `created ${file}`), ...kept.map((file) => `kept    ${file} (already there)`)];
  // The way this dmreport is run from there: the source's own (a devDependency, through npx) or the one on the PATH.
  const command = inside(target, PACKAGE_ROOT) ? "npx dmreport" : "dmreport";
  lines.push(
    "",
    `Next: ${command} build ${shown}    then, in its git repository: pre-commit install; each month: ${command} new --month YYYY-MM`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}
