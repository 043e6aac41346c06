/** `dmreport import-milestones`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over importMilestones(). */
import type { Command } from "commander";
import type { ImportMilestonesFlags } from "./run.js";

export function registerImportMilestones(program: Command): void {
  program
    .command("import-milestones")
    .description(
      "Update the milestone register from a schedule export (Primavera P6: CSV, .xlsx, .xls or .xer; MS Project: CSV, .xlsx or .xml)",
    )
    .argument("<export>", "the export: CSV, an Excel workbook (its first sheet), P6's XER or MS Project's XML")
    .option(
      "-m, --month <YYYY-MM>",
      "the month the export is of: what it changes is dated from it (no earlier month changes), and it is kept as schedule/YYYY-MM.yaml",
    )
    .option("-s, --source <folder>", "a folder of the report source", ".")
    .option("--baseline", "the export's finish is the baseline: it sets due dates and adds the milestones the register does not know")
    .option("--profile <name>", "read the export with a profile of milestones.import.profiles in dmreport.yaml")
    .option("--encoding <name>", "the export's text encoding when it is not UTF-8 (windows-1252)")
    .option("--annotations <file>", "a CSV (columns id, level, note, description) or YAML file of local facts by milestone id")
    .option("--partial", "the export holds part of the schedule: milestones missing from it are not ended")
    .addHelpText(
      "after",
      `
Columns are mapped by milestones.import in dmreport.yaml (default: Primavera's task_code, task_name,
wbs_id, base_end_date, end_date, act_end_date, status_code, delete_record_flag, pred_list, succ_list,
or their display names, and a Level column). WBS ids deeper than wbs.yaml go to the deepest element
above them; milestones.import.wbsMap places codes the tree has no element for. An export without a
baseline finish updates the milestones the register knows. Levels and notes in the register are kept.

Examples:
  $ dmreport import-milestones exports/p6-2018-01.xlsx --month 2018-01
  $ dmreport import-milestones exports/baseline-2018-02.csv --month 2018-02 --baseline
  $ dmreport import-milestones exports/LSST-2018-03.xer --month 2018-03 --annotations levels.csv
`,
    )
    .action(async (exportFile: string, flags: ImportMilestonesFlags) => (await import("./run.js")).runImportMilestones(exportFile, flags));
}
