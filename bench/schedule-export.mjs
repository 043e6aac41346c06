// A schedule export of `rows` milestones, as Primavera P6 writes it (field names), for the import
// benchmark: WBS ids under examples/lsst-dm's tree (an eighth at the subsystem's own level), a link
// every 50 rows. Deterministic.
const CODES = ["02C.03.01", "02C.04.06", "02C.05.01", "02C.06.01.01", "02C.07", "02C.08.03.01", "02C.00", "02C.01"];

/** The export's text. */
export function scheduleExport(rows) {
  const lines = ["task_code,status_code,wbs_id,task_name,base_end_date,end_date,act_end_date,pred_list"];
  for (let i = 0; i < rows; i++) {
    const due = new Date(Date.UTC(2017, 6, 1) + (i % 900) * 86_400_000).toISOString().slice(0, 10);
    const forecast = i % 5 ? due : new Date(Date.parse(`${due}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      [
        `DMTC-${100000 + i}`,
        "TK_NotStart",
        `LSST ME 18-02.${CODES[i % CODES.length]}.0${i % 3}`,
        `Milestone ${i} of the schedule`,
        due,
        forecast,
        "",
        i % 50 === 0 && i ? `DMTC-${100000 + i - 1}` : "",
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
