// Milestone state across months: carry-forward, completed is final, slip arithmetic, changes, threats.
import { describe, expect, it } from "vitest";
import { changesSince, forecastHistory, slipOf, threatsIn } from "../src/milestones/changes.js";
import { daysBetween, milestoneRecord, statesIn } from "../src/milestones/state.js";
import type { Milestone, MilestoneReport, ScheduleSnapshot } from "../src/core/model.js";

const milestone = (id: string, due: string, extra: Partial<Milestone> = {}): Milestone => ({
  id,
  title: `Milestone ${id}`,
  wbs: "1.1",
  due,
  order: 0,
  ...extra,
});
const register = (...milestones: Milestone[]) => new Map(milestones.map((entry, order) => [entry.id, { ...entry, order }]));
const report = (id: string, month: string, status: MilestoneReport["status"], extra: Partial<MilestoneReport> = {}): MilestoneReport => ({
  id,
  month,
  status,
  file: `months/${month}/x.md`,
  ...extra,
});

describe("daysBetween", () => {
  it("counts whole days across month ends and leap years, negative when earlier", () => {
    expect(daysBetween("2018-01-31", "2018-02-28")).toBe(28);
    expect(daysBetween("2020-02-28", "2020-03-01")).toBe(2);
    expect(daysBetween("2019-02-28", "2019-03-01")).toBe(1);
    expect(daysBetween("2017-12-31", "2018-01-01")).toBe(1);
    expect(daysBetween("2018-05-31", "2018-04-30")).toBe(-31);
    expect(daysBetween("2016-11-30", "2018-05-31")).toBe(547);
  });
});

describe("statesIn", () => {
  const record = milestoneRecord(
    register(milestone("A", "2017-11-30"), milestone("B", "2018-03-31"), milestone("C", "2017-12-15"), milestone("D", "2018-06-30")),
    [
      report("A", "2017-12", "delayed", { forecast: "2018-02-28" }),
      report("B", "2017-12", "at-risk", { forecast: "2018-03-31" }),
      report("C", "2017-12", "completed", { completed: "2017-12-10" }),
    ],
    [],
  );

  it("carries a milestone past due and not reported forward as delayed, with its last forecast", () => {
    expect(statesIn(record, "2018-01").get("A")).toEqual({
      id: "A",
      state: "delayed",
      forecast: "2018-02-28",
      reported: false,
      lastReported: "2017-12",
      carried: true,
    });
  });

  it("carries a milestone last reported at risk, not yet due, forward at risk", () => {
    expect(statesIn(record, "2018-01").get("B")).toMatchObject({ state: "at-risk", carried: true, lastReported: "2017-12" });
  });

  it("keeps completed final, whatever later months say", () => {
    const later = milestoneRecord(record.register, [...record.reports, report("C", "2018-01", "delayed", { forecast: "2018-05-01" })], []);
    expect(statesIn(later, "2018-01").get("C")).toMatchObject({ state: "completed", completed: "2017-12-10" });
  });

  it("leaves a milestone not due and never reported on track, and does not look ahead", () => {
    expect(statesIn(record, "2018-01").get("D")).toMatchObject({ state: "on-track", carried: false });
    expect(statesIn(record, "2017-11").get("A")).toMatchObject({ state: "delayed", carried: true, lastReported: undefined });
  });

  it("takes a newer schedule forecast over an older report, never over this month's report", () => {
    const schedule: ScheduleSnapshot[] = [
      {
        month: "2018-01",
        rows: new Map([
          ["A", { id: "A", forecast: "2018-04-15" }],
          ["D", { id: "D", forecast: "2018-08-01" }],
        ]),
      },
    ];
    const withSchedule = milestoneRecord(record.register, record.reports, schedule);
    expect(statesIn(withSchedule, "2018-01").get("A")).toMatchObject({
      state: "delayed",
      forecast: "2018-04-15",
      scheduleMonth: "2018-01",
    });
    // The schedule forecasts D after a due date still to come: at risk, by the schedule's word.
    expect(statesIn(withSchedule, "2018-01").get("D")).toMatchObject({ state: "at-risk", carried: true, forecast: "2018-08-01" });
    const reported = milestoneRecord(
      record.register,
      [...record.reports, report("A", "2018-01", "delayed", { forecast: "2018-03-10" })],
      schedule,
    );
    expect(statesIn(reported, "2018-01").get("A")).toMatchObject({ forecast: "2018-03-10", reported: true, carried: false });
  });

  it("counts a completion the schedule records by the month's end", () => {
    const schedule: ScheduleSnapshot[] = [{ month: "2018-01", rows: new Map([["D", { id: "D", completed: "2018-01-20" }]]) }];
    const withSchedule = milestoneRecord(record.register, record.reports, schedule);
    expect(statesIn(withSchedule, "2017-12").get("D")!.state).toBe("on-track");
    expect(statesIn(withSchedule, "2018-01").get("D")).toMatchObject({ state: "completed", completed: "2018-01-20", reported: false });
  });
});

describe("slip and changes", () => {
  const due = milestone("A", "2017-11-30");
  it("measures this month against last month's forecast, and in all against the due date", () => {
    const before = { id: "A", state: "delayed" as const, forecast: "2018-02-28", reported: true, carried: false };
    const now = { ...before, forecast: "2018-03-31" };
    expect(slipOf(due, now, before)).toEqual({ month: 31, total: 121 });
    expect(slipOf(due, { ...now, forecast: "2018-01-31" }, before)).toEqual({ month: -28, total: 62 });
    // Newly late: last month it was expected on its due date.
    expect(slipOf(due, now, { ...before, state: "on-track", forecast: undefined })).toEqual({ month: 121, total: 121 });
    // The first month of a source has nothing to compare with.
    expect(slipOf(due, now, undefined)).toEqual({ total: 121 });
    expect(slipOf(due, { ...now, state: "completed", completed: "2018-01-02" }, before)).toEqual({});
  });

  it("lists completed, newly delayed, slipped, recovered, added and removed", () => {
    const milestones = register(
      milestone("DONE", "2017-12-31"),
      milestone("LATE", "2018-01-15"),
      milestone("SLIP", "2017-11-30"),
      milestone("BACK", "2017-11-30"),
      milestone("ONTIME", "2018-05-31"),
      milestone("NEW", "2018-06-30"),
    );
    const reports = [
      report("DONE", "2017-12", "at-risk", { forecast: "2018-01-10" }),
      report("SLIP", "2017-12", "delayed", { forecast: "2018-02-28" }),
      report("BACK", "2017-12", "delayed", { forecast: "2018-05-31" }),
      report("DONE", "2018-01", "completed", { completed: "2018-01-09" }),
      report("LATE", "2018-01", "delayed", { forecast: "2018-03-01" }),
      report("SLIP", "2018-01", "delayed", { forecast: "2018-04-30" }),
      report("BACK", "2018-01", "delayed", { forecast: "2018-04-30" }),
    ];
    const schedule: ScheduleSnapshot[] = [
      {
        month: "2017-12",
        rows: new Map([
          ["ONTIME", { id: "ONTIME" }],
          ["GONE", { id: "GONE" }],
        ]),
      },
      {
        month: "2018-01",
        rows: new Map([
          ["ONTIME", { id: "ONTIME" }],
          ["NEW", { id: "NEW", due: "2018-06-30" }],
        ]),
      },
    ];
    const record = milestoneRecord(milestones, reports, schedule);
    const changes = changesSince(record, statesIn(record, "2018-01"), statesIn(record, "2017-12"), "2018-01", "2017-12");
    expect(changes.completed.map((change) => [change.id, change.completed])).toEqual([["DONE", "2018-01-09"]]);
    expect(changes.newlyDelayed.map((change) => [change.id, change.forecast, change.days])).toEqual([["LATE", "2018-03-01", 45]]);
    expect(changes.slipped.map((change) => [change.id, change.previousForecast, change.forecast, change.days])).toEqual([
      ["SLIP", "2018-02-28", "2018-04-30", 61],
    ]);
    expect(changes.recovered.map((change) => [change.id, change.days])).toEqual([["BACK", -31]]);
    expect(changes.added.map((change) => change.id)).toEqual(["NEW"]);
    expect(changes.removed).toEqual([{ id: "GONE" }]);
  });
});

describe("threats", () => {
  it("names each successor, not completed, whose due date a delayed milestone's forecast passes", () => {
    const milestones = register(
      milestone("AP-1", "2018-01-31", { successors: ["TEST-4"] }),
      milestone("TEST-4", "2018-02-28"),
      milestone("TEST-5", "2018-09-30", { predecessors: ["AP-1"] }),
      milestone("TEST-6", "2018-02-01", { predecessors: ["AP-1"] }),
    );
    const record = milestoneRecord(
      milestones,
      [
        report("AP-1", "2018-01", "delayed", { forecast: "2018-04-30" }),
        report("TEST-6", "2018-01", "completed", { completed: "2018-01-20" }),
      ],
      [],
    );
    expect(threatsIn(milestones, statesIn(record, "2018-01"))).toEqual([
      {
        id: "AP-1",
        title: "Milestone AP-1",
        forecast: "2018-04-30",
        successor: { id: "TEST-4", title: "Milestone TEST-4", due: "2018-02-28" },
      },
    ]);
  });

  it("draws the forecast history of the delayed milestones, month by month", () => {
    const milestones = register(milestone("A", "2017-11-30", { level: 2 }), milestone("B", "2017-11-30", { level: 3 }));
    const record = milestoneRecord(
      milestones,
      [
        report("A", "2017-12", "delayed", { forecast: "2018-02-28" }),
        report("A", "2018-01", "delayed", { forecast: "2018-04-30" }),
        report("B", "2018-01", "delayed", { forecast: "2018-02-01" }),
      ],
      [],
    );
    expect(forecastHistory(record, ["2017-12", "2018-01"], [2])).toEqual([
      {
        id: "A",
        title: "Milestone A",
        due: "2017-11-30",
        points: [
          { month: "2017-12", forecast: "2018-02-28" },
          { month: "2018-01", forecast: "2018-04-30" },
        ],
      },
    ]);
  });
});
