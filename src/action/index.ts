/** The GitHub Action's work: lint and build a report source, as annotations, a job summary and step outputs. */
import { relative, resolve } from "node:path";
import { buildAll } from "../archive/index.js";
import { build } from "../build.js";
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { escapeData, formatLint, shownDiagnostics } from "../reporters/lint.js";
import { printable } from "../reporters/printable.js";
import { lint } from "../lint.js";
import { summaryCounts } from "../merge/milestones.js";
import { privateCacheFolder } from "../core/cache-folder.js";
import { VERSION } from "../core/package-root.js";

/** The action's inputs, as `action.yml` passes them (INPUT_* variables). */
export interface ActionInputs {
  /** `lint`, `build` or `both`. */
  command: string;
  source: string;
  /** YYYY-MM, or empty for the latest month. */
  month: string;
  /** `true` to build every month and the dashboard. */
  allMonths: string;
  /** Comma-separated formats, or empty for the config's. */
  formats: string;
  out: string;
}

export interface ActionResult {
  /** The exit status, as the CLI's: 0 done, 1 the source has errors, 2 a usage problem. */
  status: number;
  /** Workflow commands: one annotation per finding. */
  annotations: string;
  /** Markdown for `$GITHUB_STEP_SUMMARY`. */
  summary: string;
  /** Step outputs for `$GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
}

/** The inputs from the environment, with the defaults of action.yml. */
export function actionInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const input = (name: string, fallback: string) => (env[`INPUT_${name}`] ?? "").trim() || fallback;
  return {
    command: input("COMMAND", "both"),
    source: input("SOURCE", "."),
    month: input("MONTH", ""),
    allMonths: input("ALL_MONTHS", "false"),
    formats: input("FORMATS", ""),
    out: input("OUT", "dmreport-out"),
  };
}

const COMMANDS = ["lint", "build", "both"];
const STATES = [
  ["completed", "completed"],
  ["delayed", "delayed"],
  ["at-risk", "at risk"],
] as const;

/** Lint and build as the inputs say, relative to `cwd` (the workspace). */
export async function runAction(inputs: ActionInputs, cwd: string): Promise<ActionResult> {
  const result: ActionResult = { status: 0, annotations: "", summary: "", outputs: {} };
  if (!COMMANDS.includes(inputs.command)) {
    result.status = 2;
    result.annotations = `::error title=dmreport::the input command must be lint, build or both, got ${inputs.command}\n`;
    result.summary = `## dmreport\n\nThe input \`command\` must be \`lint\`, \`build\` or \`both\`, got \`${inputs.command}\`.\n`;
    return result;
  }
  const source = resolve(cwd, inputs.source);
  const lines: string[] = [];
  const findings: Diagnostic[] = [];
  let lintShown: ReturnType<typeof shownDiagnostics> = [];
  try {
    if (inputs.command !== "build") {
      const linted = lint({ cwd: source, cache: privateCacheFolder().folder });
      lintShown = shownDiagnostics(linted.sources, cwd);
      findings.push(...lintShown);
      result.annotations += formatLint("github", lintShown, { color: false, version: VERSION });
    }
    const errors = () => findings.filter((found) => found.severity === "error").length;
    if (inputs.command !== "lint" && !errors()) {
      const options = {
        source,
        out: resolve(cwd, inputs.out),
        formats: inputs.formats ? inputs.formats.split(",") : undefined,
        cache: privateCacheFolder().folder,
      };
      let month: { month: string; label: string; counts: Record<string, number> } | undefined;
      let diagnostics: Diagnostic[];
      let root: string;
      if (inputs.allMonths === "true") {
        const archive = await buildAll(options);
        ({ diagnostics, root } = archive);
        month = archive.latest;
        result.outputs.months = String(archive.months.length);
      } else {
        const built = await build({ ...options, month: inputs.month || undefined });
        ({ diagnostics, root } = built);
        if (built.tree) {
          month = { month: built.tree.month, label: built.tree.monthLabel, counts: summaryCounts(built.tree.milestoneSummary) };
        }
      }
      // Findings lint already reported are not annotated twice.
      const seen = new Set(lintShown.map((found) => `${found.file}:${found.line}:${found.column}:${found.rule}`));
      const fresh = shownDiagnostics([{ root, diagnostics }], cwd).filter(
        (found) => !seen.has(`${found.path}:${found.line}:${found.column}:${found.rule}`),
      );
      findings.push(...fresh);
      result.annotations += formatLint("github", fresh, { color: false, version: VERSION });
      if (!hasErrors(diagnostics)) {
        result.outputs.built = "true";
        result.outputs["report-folder"] = relative(cwd, options.out) || ".";
      }
      if (month) {
        result.outputs.month = month.month;
        for (const [state] of STATES) result.outputs[state] = String(month.counts[state] ?? 0);
        lines.push(`**${month.label}**: ${STATES.map(([state, label]) => `${month!.counts[state] ?? 0} ${label}`).join(", ")}.`);
      }
    }
  } catch (error) {
    if ((error as Error).name !== "UsageError") throw error;
    result.status = 2;
    result.annotations += `::error title=dmreport::${escapeData(printable((error as Error).message))}\n`;
    lines.push(`dmreport could not run: ${printable((error as Error).message)}`);
  }
  const errorCount = findings.filter((found) => found.severity === "error").length;
  const warningCount = findings.length - errorCount;
  result.outputs.errors = String(errorCount);
  result.outputs.warnings = String(warningCount);
  result.outputs.built ??= "false";
  if (errorCount && result.status === 0) result.status = 1;
  result.summary = summaryText(inputs, errorCount, warningCount, lines, findings as (Diagnostic & { path?: string })[], result.outputs);
  return result;
}

/** The job summary: what ran, the month and its milestones, the findings (the first 50). */
function summaryText(
  inputs: ActionInputs,
  errors: number,
  warnings: number,
  lines: string[],
  findings: (Diagnostic & { path?: string })[],
  outputs: Record<string, string>,
): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const verdict = errors ? `❌ ${plural(errors, "error")}, ${plural(warnings, "warning")}` : `✅ no errors, ${plural(warnings, "warning")}`;
  const out = [`## dmreport ${inputs.command === "both" ? "lint and build" : inputs.command}`, "", verdict, ""];
  out.push(...lines.map((line) => `${line}`));
  if (outputs.built === "true")
    out.push(
      "",
      `Report written to \`${outputs["report-folder"]}\`${outputs.months ? ` (${plural(Number(outputs.months), "month")} and the milestone dashboard)` : ""}.`,
    );
  else if (inputs.command !== "lint") out.push("", errors ? "Nothing was built: fix the errors and push again." : "Nothing was built.");
  if (findings.length) {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    out.push("", "| Where | Severity | Finding | Rule |", "| --- | --- | --- | --- |");
    for (const found of findings.slice(0, 50))
      out.push(
        `| \`${cell(found.path ?? found.file)}:${found.line}:${found.column}\` | ${found.severity} | ${cell(found.message)} | \`${found.rule}\` |`,
      );
    if (findings.length > 50) out.push("", `…and ${findings.length - 50} more; the annotations list them all.`);
  }
  return `${out.join("\n")}\n`;
}
