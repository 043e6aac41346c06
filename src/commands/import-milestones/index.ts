/** `dmreport import-milestones`: options and help; the work is in run.ts, loaded only when it runs. It is a thin layer over importMilestones(). */
import type { Command } from "commander";

export function registerImportMilestones(program: Command): void {
  program
    .command("import-milestones")
    .description("Update the milestone register from a schedule export (Primavera P6, MS Project: CSV, .xlsx or .xls)")
    .argument("<export>", "the export: a CSV file or an Excel workbook (its first sheet)")
    .option("-m, --month <YYYY-MM>", "keep the export as the month's snapshot, schedule/YYYY-MM.yaml, for slips and changes month by month")
    .option("-s, --source <folder>", "a folder of the report source (default: the current folder)", ".")
    .addHelpText(
      "after",
      "\nColumns are mapped by milestones.import in dmreport.yaml (default: Primavera's task_code, task_name,\nwbs_id, base_end_date, end_date, act_end_date, status_code, delete_record_flag, pred_list, succ_list,\nor their display names). WBS ids deeper than wbs.yaml go to the deepest element above them. Levels\nand notes in the register are kept.\n\nExample:\n  $ dmreport import-milestones exports/p6-2018-01.xlsx --month 2018-01\n",
    )
    .action(async (exportFile: string, flags: { source: string; month?: string }) => (await import("./run.js")).runImportMilestones(exportFile, flags));
}
