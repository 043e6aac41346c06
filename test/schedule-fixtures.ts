/**
 * Test helper: a synthetic schedule shaped like a real project's exports (a subsystem's
 * milestones, a quarter of them at the subsystem's own WBS level), written as each tool writes
 * it: a Primavera P6 CSV, a P6 baseline export, a P6 XER, an MS Project XML (MSPDI).
 */

export interface SyntheticMilestone {
  id: string;
  title: string;
  /** The schedule's WBS code, without any prefix (`02C.03.01.02`, `02C.00`). */
  code: string;
  level?: number;
  due: string;
  forecast: string;
  completed?: string;
  predecessors: string[];
}

/** Codes of the example tree (examples/lsst-dm) as the schedule writes them, and deeper. */
const CHAPTER_CODES = [
  "02C.03.01",
  "02C.04.06",
  "02C.05.01",
  "02C.06.01.01",
  "02C.06.02.03",
  "02C.07",
  "02C.07.08",
  "02C.08.03.01",
  "02C.09",
  "02C.01",
  "02C.04.02",
  "02C.03.10",
];
/** The id forms of real schedules (DM, T&SC, CAM, the LDM test milestones), numbered. */
export const ID_FORMS = [
  (i: number) => `DMTC-7400-${2000 + i}`,
  (i: number) => `T&SC-1100-${1000 + i}`,
  (i: number) => `A${4000 + i}.9`,
  (i: number) => `LSST-${1500 + i}`,
  (i: number) => `COMC-0641-${9000 + i}`,
  (i: number) => `CAMM${6000 + i}`,
  (i: number) => `DM-NCSA-${100 + i}`,
  (i: number) => `LDM-503-EFD${i}`,
];
/** The example register's Level 2 test milestones, which the schedule keeps at the subsystem's level. */
const EXAMPLE_LEVEL_2 = [
  { id: "LDM-503-1", title: "Test report: Science Platform with WISE data in PDAC", due: "2017-11-30" },
  { id: "LDM-503-2", title: "Test report: HSC Reprocessing", due: "2017-11-30" },
  { id: "LDM-503-3", title: "Test report: Alert Generation Validation", due: "2017-11-30" },
  { id: "LDM-503-4", title: "Test report: Level 1 throughput", due: "2018-02-28" },
];

/** A day `plus` days after `iso`. */
export function dayAfter(iso: string, plus: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
}

/** `count` milestones (at least 400), a quarter at the subsystem's own level `02C.00`; `step` moves forecasts month by month. */
export function syntheticSchedule(count: number, step: number): SyntheticMilestone[] {
  return Array.from({ length: count }, (_, i): SyntheticMilestone => {
    const example = i < EXAMPLE_LEVEL_2.length ? EXAMPLE_LEVEL_2[i] : undefined;
    const subsystem = i % 4 === 0;
    const code = subsystem
      ? ["02C.00", "02C.00.01", "02C.00.02.03"][i % 3]!
      : `${CHAPTER_CODES[i % CHAPTER_CODES.length]!}${[".01", ".02.01", ""][i % 3]}`;
    const due = example?.due ?? dayAfter("2017-09-30", (i * 11) % 700);
    const slips = i % 5 === 0;
    const completed = i % 37 === 5 ? (i % 2 ? "2014-11-19" : dayAfter(due, 2)) : undefined;
    return {
      id: example?.id ?? ID_FORMS[i % ID_FORMS.length]!(i),
      title: example?.title ?? `Milestone ${i} of the subsystem schedule`,
      code,
      ...((example || i % 6 === 0) && { level: example ? 2 : 1 + (i % 4) }),
      due,
      forecast: completed ?? dayAfter(due, slips ? 20 + step * 15 : 0),
      ...(completed && { completed }),
      predecessors: i > 0 && i % 30 === 0 ? [ID_FORMS[(i - 1) % ID_FORMS.length]!(i - 1)] : [],
    };
  });
}

const us = (iso: string) => `${+iso.slice(5, 7)}/${+iso.slice(8, 10)}/${iso.slice(0, 4)} 5:00:00 PM`;
const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Month 1: a P6 CSV export with field names and display names, baseline and actual finish, US dates, a level column. */
export function p6Csv(milestones: readonly SyntheticMilestone[], prefix: string): string {
  const lines = [
    "task_code,status_code,wbs_id,task_name,base_end_date,end_date,act_end_date,pred_list,Milestone Level",
    "Activity ID,Activity Status,WBS Code,Activity Name,BL Project Finish,Finish,Actual Finish,Predecessors,Milestone Level",
    ...milestones.map((milestone) =>
      [
        milestone.id,
        milestone.completed ? "TK_Complete" : "TK_NotStart",
        `${prefix}${milestone.code}`,
        milestone.title,
        us(milestone.due),
        us(milestone.forecast),
        milestone.completed ? us(milestone.completed) : "",
        milestone.predecessors.join(", "),
        milestone.level ?? "",
      ]
        .map((cell) => csvCell(String(cell)))
        .join(","),
    ),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Month 2: a baseline export (no baseline-finish, no actual-finish column: its finish is the plan), with rows marked deleted. */
export function baselineCsv(milestones: readonly SyntheticMilestone[], prefix: string, deleted: ReadonlySet<string> = new Set()): string {
  const lines = [
    "task_code,status_code,wbs_id,task_name,pred_list,succ_list,start_date,end_date,delete_record_flag",
    ...milestones.map((milestone) =>
      [
        milestone.id,
        milestone.completed ? "TK_Complete" : "TK_NotStart",
        `${prefix}${milestone.code}`,
        milestone.title,
        milestone.predecessors.join(", "),
        "",
        milestone.due,
        milestone.due,
        deleted.has(milestone.id) ? "Y" : "",
      ]
        .map((cell) => csvCell(String(cell)))
        .join(","),
    ),
  ];
  return `${lines.join("\n")}\n`;
}

/** Month 3: Primavera P6's own XER, with its WBS tree, links and a `Milestone Level` activity code. */
export function xer(milestones: readonly SyntheticMilestone[], project: string): string {
  const rows: string[] = ["ERMHDR\t19.12\t2018-04-30\tProject\tadmin\tdbxDatabaseNoName\tProject Management\tUSD"];
  const table = (name: string, fields: string[], records: string[][]) =>
    rows.push(`%T\t${name}`, `%F\t${fields.join("\t")}`, ...records.map((record) => `%R\t${record.join("\t")}`));
  // The WBS tree: the project node, then each code's segments, each node under its parent.
  const nodes = new Map<string, { id: string; parent: string; name: string }>([[project, { id: "1", parent: "", name: project }]]);
  const nodeOf = (code: string): string => {
    const known = nodes.get(code);
    if (known) return known.id;
    const dot = code.lastIndexOf(".");
    const parent = dot < 0 ? "1" : nodeOf(code.slice(0, dot));
    const id = String(nodes.size + 1);
    nodes.set(code, { id, parent, name: dot < 0 ? code : code.slice(dot + 1) });
    return id;
  };
  const taskWbs = milestones.map((milestone) => nodeOf(milestone.code));
  table(
    "PROJWBS",
    ["wbs_id", "proj_id", "parent_wbs_id", "wbs_short_name", "wbs_name", "proj_node_flag"],
    [...nodes.values()].map((node) => [node.id, "100", node.parent, node.name, node.name, node.parent ? "N" : "Y"]),
  );
  table(
    "ACTVTYPE",
    ["actv_code_type_id", "actv_short_len", "seq_num", "actv_code_type", "proj_id"],
    [["7", "2", "1", "Milestone Level", "100"]],
  );
  table(
    "ACTVCODE",
    ["actv_code_id", "parent_actv_code_id", "actv_code_type_id", "actv_code_name", "short_name", "seq_num"],
    [1, 2, 3, 4].map((level) => [String(70 + level), "", "7", `Level ${level}`, String(level), String(level)]),
  );
  const time = (iso: string) => `${iso} 17:00`;
  table(
    "TASK",
    [
      "task_id",
      "proj_id",
      "wbs_id",
      "task_code",
      "task_name",
      "status_code",
      "target_end_date",
      "early_end_date",
      "act_end_date",
      "task_type",
    ],
    milestones.map((milestone, index) => [
      String(1000 + index),
      "100",
      taskWbs[index]!,
      milestone.id,
      milestone.title,
      milestone.completed ? "TK_Complete" : "TK_NotStart",
      time(milestone.due),
      time(milestone.forecast),
      milestone.completed ? time(milestone.completed) : "",
      "TT_FinMile",
    ]),
  );
  const index = new Map(milestones.map((milestone, at) => [milestone.id, at]));
  table(
    "TASKPRED",
    ["task_pred_id", "task_id", "pred_task_id", "proj_id", "pred_proj_id", "pred_type"],
    milestones.flatMap((milestone, at) =>
      milestone.predecessors
        .filter((id) => index.has(id))
        .map((id, n) => [String(5000 + at * 10 + n), String(1000 + at), String(1000 + index.get(id)!), "100", "100", "PR_FS"]),
    ),
  );
  table(
    "TASKACTV",
    ["task_id", "actv_code_type_id", "actv_code_id", "proj_id"],
    milestones.flatMap((milestone, at) => (milestone.level ? [[String(1000 + at), "7", String(70 + milestone.level), "100"]] : [])),
  );
  rows.push("%E");
  return `${rows.join("\r\n")}\r\n`;
}

const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Month 4: MS Project's XML (MSPDI): the milestone id and level in custom fields, baseline 0, predecessor links by UID. */
export function mspdi(milestones: readonly SyntheticMilestone[]): string {
  const uid = new Map(milestones.map((milestone, index) => [milestone.id, index + 1]));
  const time = (iso: string) => `${iso}T17:00:00`;
  const tasks = milestones.map((milestone, index) =>
    [
      "<Task>",
      `<UID>${index + 1}</UID><ID>${index + 1}</ID><Name>${xmlText(milestone.title)}</Name>`,
      `<WBS>${milestone.code}</WBS><OutlineNumber>${index + 1}</OutlineNumber><Milestone>1</Milestone>`,
      `<Start>${time(milestone.forecast)}</Start><Finish>${time(milestone.forecast)}</Finish>`,
      milestone.completed
        ? `<ActualFinish>${time(milestone.completed)}</ActualFinish><PercentComplete>100</PercentComplete>`
        : "<PercentComplete>0</PercentComplete>",
      ...milestone.predecessors
        .filter((id) => uid.has(id))
        .map((id) => `<PredecessorLink><PredecessorUID>${uid.get(id)}</PredecessorUID><Type>1</Type></PredecessorLink>`),
      `<ExtendedAttribute><FieldID>188743731</FieldID><Value>${xmlText(milestone.id)}</Value></ExtendedAttribute>`,
      milestone.level ? `<ExtendedAttribute><FieldID>188743732</FieldID><Value>${milestone.level}</Value></ExtendedAttribute>` : "",
      `<Baseline><Number>0</Number><Finish>${time(milestone.due)}</Finish></Baseline>`,
      "</Task>",
    ].join(""),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<Project xmlns="http://schemas.microsoft.com/project">',
    "<Name>Subsystem schedule</Name>",
    "<ExtendedAttributes>",
    "<ExtendedAttribute><FieldID>188743731</FieldID><FieldName>Text1</FieldName><Alias>Milestone ID</Alias></ExtendedAttribute>",
    "<ExtendedAttribute><FieldID>188743732</FieldID><FieldName>Text2</FieldName><Alias>Milestone Level</Alias></ExtendedAttribute>",
    "</ExtendedAttributes>",
    "<Tasks>",
    // Every MSPDI file starts with the project's summary task.
    "<Task><UID>0</UID><ID>0</ID><Name>Subsystem schedule</Name><OutlineNumber>0</OutlineNumber><Summary>1</Summary><Milestone>0</Milestone></Task>",
    ...tasks,
    "</Tasks>",
    "</Project>",
    "",
  ].join("\n");
}
