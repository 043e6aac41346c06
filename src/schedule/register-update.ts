/**
 * Bring the register document (milestones.yaml) up to date with an export's milestones. Imported
 * for a month, what the export adds, changes or removes is dated from that month: a changed
 * milestone's entry ends the month before (`until`) and a new entry starts with the month
 * (`from`), so that no earlier month's report changes and the diff of one import is those lines.
 * Imported for no month, entries are updated in place, as a register without dates expects.
 */
import { isMap, isScalar, isSeq, YAMLMap, type Document } from "yaml";
import { previousMonth } from "../calendar.js";
import type { WbsTree } from "../model.js";
import type { ExportedMilestone } from "./rows.js";

/** What an annotations file says of a milestone: local facts the schedule does not hold. */
export interface Annotation {
  level?: number;
  note?: string;
  description?: string;
}

export interface RegisterChanges {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** In force before the month and no longer in the schedule: ended the month before it. */
  ended: string[];
}

export interface RegisterUpdate {
  /** The month the export is of: changes are dated from it. */
  month?: string;
  /** Ids the schedule no longer has (in the previous month's export, not in this one, or marked deleted). */
  removed?: ReadonlySet<string>;
  annotations?: ReadonlyMap<string, Annotation>;
  wbs: WbsTree;
}

/** The facts of a milestone the schedule (or an annotations file) gives, in the order the register writes them. */
const FACTS = ["title", "level", "wbs", "scheduleWbs", "due", "forecast", "completed", "predecessors", "successors", "note", "description"] as const;
type Fact = (typeof FACTS)[number];
type Value = string | number | string[];

interface Entry {
  item: YAMLMap;
  from?: string;
  until?: string;
}

/** Update `document` (milestones.yaml) with `imported`; nothing changes in it when nothing changed. */
export function updateRegister(document: Document.Parsed, imported: readonly ExportedMilestone[], update: RegisterUpdate): RegisterChanges {
  const changes: RegisterChanges = { added: [], updated: [], unchanged: [], ended: [] };
  let list = document.get("milestones", true);
  if (!isSeq(list)) {
    document.set("milestones", document.createNode([]));
    list = document.get("milestones", true);
  }
  if (!isSeq(list)) return changes;
  const flow = list.items.length > 0 && isMap(list.items[0]) && (list.items[0] as YAMLMap).flow === true;
  // Each id's entries, in register order, found once: the import is linear in the register's size.
  const entries = new Map<string, Entry[]>();
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const id = text(item.get("id"));
    if (id === undefined) continue;
    entries.set(id, [...(entries.get(id) ?? []), { item, from: text(item.get("from")), until: text(item.get("until")) }]);
  }
  // New entries, placed after the entry they follow (or at the end); entries to drop.
  const after = new Map<YAMLMap | undefined, YAMLMap[]>();
  const dropped = new Set<YAMLMap>();
  const place = (anchor: YAMLMap | undefined, item: YAMLMap) => after.set(anchor, [...(after.get(anchor) ?? []), item]);
  const { month } = update;
  const make = (values: [string, Value | undefined][]) =>
    document.createNode(Object.fromEntries(values.filter(([, value]) => value !== undefined)), { flow }) as YAMLMap;

  for (const milestone of imported) {
    const versions = entries.get(milestone.id) ?? [];
    const given = facts(milestone, update.annotations?.get(milestone.id), month !== undefined);
    const covering = month === undefined ? versions[versions.length - 1] : versions.find((entry) => inForce(entry, month));
    if (!covering) {
      // New to the register, or back in the schedule after it ended.
      const next = month === undefined ? undefined : versions.filter((entry) => entry.from !== undefined && entry.from > month).sort((a, b) => (a.from! < b.from! ? -1 : 1))[0];
      const item = make([["id", milestone.id], ...FACTS.map((fact) => [fact, given.get(fact) ?? undefined] as [string, Value | undefined]), ["from", month], ["until", next ? previousMonth(next.from!) : undefined]]);
      place(versions[versions.length - 1]?.item, item);
      (versions.length ? changes.updated : changes.added).push(milestone.id);
      continue;
    }
    const changed = [...given].filter(([fact, value]) => !same(fact, covering.item.get(fact, true), value, update.wbs));
    if (!changed.length) {
      changes.unchanged.push(milestone.id);
      continue;
    }
    changes.updated.push(milestone.id);
    if (month === undefined || covering.from === month) {
      // Undated, or this month's own entry: updated where it is.
      for (const [fact, value] of changed) setFact(document, covering.item, fact, value);
      continue;
    }
    // The entry as it was ends the month before; the new one carries its local facts on, but
    // not the schedule's dates of an undated import (those are each month's snapshot's now).
    const carried = covering.item.items
      .filter((pair) => isScalar(pair.key) && !["from", "until", "forecast", "completed"].includes(String(pair.key.value)))
      .map((pair) => [String((pair.key as { value: unknown }).value), plain(pair.value)] as [string, Value | undefined]);
    const values = new Map(carried);
    for (const [fact, value] of changed) values.set(fact, value ?? undefined);
    const item = make([...values, ["from", month], ["until", covering.until]]);
    covering.item.set("until", previousMonth(month));
    place(covering.item, item);
  }

  // Milestones the schedule no longer has end with the month before.
  if (month !== undefined)
    for (const id of update.removed ?? []) {
      const covering: Entry | undefined = (entries.get(id) ?? []).find((entry) => inForce(entry, month));
      if (!covering) continue;
      if (covering.from === month) dropped.add(covering.item);
      else covering.item.set("until", previousMonth(month));
      changes.ended.push(id);
    }

  if (after.size || dropped.size) {
    const items: unknown[] = [];
    for (const item of list.items) {
      if (!dropped.has(item as YAMLMap)) items.push(item);
      for (const next of after.get(item as YAMLMap) ?? []) items.push(next);
    }
    items.push(...(after.get(undefined) ?? []));
    list.items = items;
  }
  return changes;
}

/** The facts the import gives of `milestone` (undefined: the export says nothing of it; null: it no longer has one). */
function facts(milestone: ExportedMilestone, annotation: Annotation | undefined, dated: boolean): Map<Fact, Value | null> {
  const given = new Map<Fact, Value | null>();
  const links = (ids: string[] | undefined) => (ids === undefined ? undefined : ids.length ? ids : null);
  const put = (fact: Fact, value: Value | null | undefined) => {
    if (value !== undefined) given.set(fact, value);
  };
  put("title", milestone.title);
  put("level", milestone.level ?? annotation?.level);
  put("wbs", milestone.wbs);
  // The schedule's own id is kept where it says more than the element the report groups it under.
  put("scheduleWbs", milestone.scheduleWbs === milestone.wbs ? null : milestone.scheduleWbs);
  put("due", milestone.due);
  // Dated imports keep forecasts and actual finishes in the month's snapshot only: the register
  // is the same for every month after, and a later export's actual finish must not reach back.
  if (!dated) {
    put("forecast", milestone.forecast);
    put("completed", milestone.completed);
  }
  put("predecessors", links(milestone.predecessors));
  put("successors", links(milestone.successors));
  put("note", annotation?.note);
  put("description", annotation?.description);
  return given;
}

/** Whether the register's `node` already says `value` for `fact` (null: that it says nothing). */
function same(fact: Fact, node: unknown, value: Value | null, wbs: WbsTree): boolean {
  const current = plain(node);
  if (value === null) return current === undefined;
  if (current === undefined) return false;
  if (fact === "wbs") return (wbs.find(String(current))?.fullCode ?? String(current)) === (wbs.find(String(value))?.fullCode ?? String(value));
  return JSON.stringify(Array.isArray(value) ? current : String(current)) === JSON.stringify(Array.isArray(value) ? value : String(value));
}

function setFact(document: Document.Parsed, item: YAMLMap, fact: Fact, value: Value | null): void {
  if (value === null) item.delete(fact);
  else item.set(fact, Array.isArray(value) ? document.createNode(value, { flow: true }) : value);
}

/** A YAML node as a plain value: a scalar's text or number, a list of texts. */
function plain(node: unknown): Value | undefined {
  if (node === undefined || node === null) return undefined;
  if (isSeq(node)) return node.items.map((item) => String(isScalar(item) ? item.value : item));
  if (isScalar(node)) return typeof node.value === "number" ? node.value : node.value === null ? undefined : String(node.value);
  return typeof node === "number" ? node : String(node);
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function inForce(entry: Entry, month: string): boolean {
  return (entry.from === undefined || entry.from <= month) && (entry.until === undefined || month <= entry.until);
}
