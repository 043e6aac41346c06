/** `dmreport action`: a thin layer over runAction(), writing where GitHub Actions reads. */
import { appendFileSync } from "node:fs";
import { actionInputs, runAction } from "../../action/index.js";
import { printableLines } from "../../reporters/printable.js";

export async function runActionCommand(): Promise<void> {
  const result = await runAction(actionInputs(process.env), process.cwd());
  process.stdout.write(result.annotations);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, result.summary);
  else process.stdout.write(printableLines(result.summary));
  if (process.env.GITHUB_OUTPUT)
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      Object.entries(result.outputs)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(""),
    );
  process.exitCode = result.status;
}
