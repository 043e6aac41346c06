/** `dmreport import-milestones`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over importMilestones(). */
import type { Command } from "commander";

export function registerImportMilestones(program: Command): void {
  program
    .command("import-milestones")
    .description("Update the milestone register from a scheduling tool's CSV export (Primavera and the like)")
    .argument("<export>", "the CSV file")
    .option("-s, --source <folder>", "a folder of the report source (default: the current folder)", ".")
    .addHelpText(
      "after",
      "\nColumns are mapped by milestones.import in dmreport.yaml (default: Primavera's task_code, task_name,\nwbs_id, base_end_date, end_date, act_end_date, status_code, delete_record_flag). Levels and notes\nin the register are kept.\n\nExample:\n  $ dmreport import-milestones exports/p6-2018-01.csv\n",
    )
    .action(async (exportFile: string, flags: { source: string }) => (await import("./run.js")).runImportMilestones(exportFile, flags));
}
