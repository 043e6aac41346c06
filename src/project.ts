/** Load and check a source, for the commands that need a sound project before they act. */
import type { Diagnostic } from "./core/diagnostics.js";
import { loadSource, type LoadOptions } from "./load/index.js";
import type { Project } from "./core/model.js";
import { validateSource } from "./validate/index.js";

/**
 * The checked project, or the errors that keep it from being one. Warnings are left out: they
 * are lint's to report, not a reason for another command to stop.
 */
export function checkedProject(root: string, options: LoadOptions = {}): { project?: Project; errors: Diagnostic[] } {
  const { source, diagnostics } = loadSource(root, options);
  const { project, diagnostics: problems } = validateSource(source);
  const errors = [...diagnostics, ...problems].filter((found) => found.severity === "error");
  return errors.length || !project ? { errors } : { project, errors };
}
