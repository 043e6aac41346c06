/**
 * Bring the register (milestones.yaml) up to date with an export's milestones. Imported for a
 * month, what the export adds, changes or removes is dated from that month: a changed
 * milestone's entry ends the month before (`until`) and a new entry starts with the month
 * (`from`), so that no earlier month's report changes. Such an import edits the register's text
 * where it changes, and nothing else: every other line, comment and layout stays byte for byte,
 * and the diff of one import is those lines. Imported for no month, entries are updated in place,
 * as a register without dates expects.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type Document, type Pair } from "yaml";
import { previousMonth } from "../core/calendar.js";
import { inForce } from "../core/structure.js";
import type { WbsTree } from "../core/model.js";
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
const FACTS = [
  "title",
  "level",
  "wbs",
  "scheduleWbs",
  "due",
  "forecast",
  "completed",
  "predecessors",
  "successors",
  "note",
  "description",
] as const;
type Fact = (typeof FACTS)[number];
type Value = string | number | string[];

interface Entry {
  item: YAMLMap;
  from?: string;
  until?: string;
}

/** One change to the register: an entry's `until` set or removed, an entry dropped, a new entry after another (or at the end), facts set in place. */
export type Operation =
  | { kind: "until"; item: YAMLMap; month: string }
  | { kind: "reopen"; item: YAMLMap }
  | { kind: "drop"; item: YAMLMap }
  | { kind: "insert"; after?: YAMLMap; values: [string, Value][] }
  | { kind: "set"; item: YAMLMap; values: [Fact, Value | null][] };

/**
 * The register's new text, from its `text` and its parsed `document`, updated with `imported`;
 * `text` itself when nothing changed.
 */
export function updateRegister(
  text: string,
  document: Document.Parsed,
  imported: readonly ExportedMilestone[],
  update: RegisterUpdate,
): { text: string; changes: RegisterChanges; problem?: string } {
  const { changes, operations } = plan(document, imported, update);
  if (!operations.length) return { text, changes };
  const dated = operations.every((operation) => operation.kind !== "set");
  if (!dated) return { text: applyToDocument(document, operations), changes };
  // New lines end as the register's lines do.
  const edited = applyToText(text, document, operations);
  const result = text.includes("\r\n") ? edited.replace(/\r?\n/g, "\r\n") : edited;
  // Lines of our own added to a block list say what they mean whatever the layout around them;
  // any other edit is read back (reading 100,000 entries back cost more than all the rest).
  const list = document.get("milestones", true);
  const linesAdded = operations.every((operation) => operation.kind === "insert") && !(isSeq(list) && list.flow && list.items.length);
  return { text: result, changes, problem: linesAdded ? undefined : unfaithful(result, document, operations) };
}

/**
 * Why the edited text does not say what the operations meant, or undefined when it does: it is
 * read back, and its entries compared with the register's own with the operations applied to
 * them. An edit that a layout swallowed (a comment, a flow list) is never written.
 */
export function unfaithful(edited: string, document: Document.Parsed, operations: readonly Operation[]): string | undefined {
  const read = parseDocument(edited, { schema: "core" });
  if (read.errors.length) return read.errors[0]!.message.split("\n")[0];
  const list = document.get("milestones", true);
  const items = isSeq(list) ? list.items : [];
  const entries = new Map(
    items.map((item) => [
      item,
      (isMap(item) || isAlias(item) ? (item as { toJS(doc: Document): unknown }).toJS(document) : item) as Record<string, unknown>,
    ]),
  );
  const after = new Map<unknown, Record<string, unknown>[]>();
  for (const operation of operations) {
    if (operation.kind === "until") entries.set(operation.item, { ...entries.get(operation.item), until: operation.month });
    else if (operation.kind === "reopen") {
      const { until: _ended, ...rest } = entries.get(operation.item)!;
      entries.set(operation.item, rest);
    } else if (operation.kind === "drop") entries.delete(operation.item);
    else if (operation.kind === "insert") {
      const anchor = operation.after ?? items[items.length - 1];
      // Pushed, not copied: 100,000 entries after one anchor made a copy each.
      const list = after.get(anchor);
      if (list) list.push(Object.fromEntries(operation.values));
      else after.set(anchor, [Object.fromEntries(operation.values)]);
    }
  }
  const expected = items.flatMap((item) => [...(entries.has(item) ? [entries.get(item)!] : []), ...(after.get(item) ?? [])]);
  if (!items.length) expected.push(...(after.get(undefined) ?? []));
  const actual = (read.toJS() as { milestones?: unknown } | null)?.milestones;
  return JSON.stringify(actual) === JSON.stringify(expected) ? undefined : "an edit would not say what it means in this layout";
}

/** What importing `imported` changes in the register `document`. */
function plan(
  document: Document.Parsed,
  imported: readonly ExportedMilestone[],
  update: RegisterUpdate,
): { changes: RegisterChanges; operations: Operation[] } {
  const changes: RegisterChanges = { added: [], updated: [], unchanged: [], ended: [] };
  const operations: Operation[] = [];
  // A value written as an alias (`note: *t`) is the value its anchor names.
  const value = (node: unknown) => plain(isAlias(node) ? node.resolve(document) : node);
  const list = document.get("milestones", true);
  // Each id's entries, in register order, found once: the import is linear in the register's size.
  const entries = new Map<string, Entry[]>();
  for (const item of isSeq(list) ? list.items : []) {
    if (!isMap(item)) continue;
    const id = text(value(item.get("id", true)));
    if (id === undefined) continue;
    const entry = { item, from: text(value(item.get("from", true))), until: text(value(item.get("until", true))) };
    const known = entries.get(id);
    if (known) known.push(entry);
    else entries.set(id, [entry]);
  }
  const { month } = update;
  for (const milestone of imported) {
    const versions = entries.get(milestone.id) ?? [];
    const given = facts(milestone, update.annotations?.get(milestone.id), month !== undefined);
    const covering = month === undefined ? versions[versions.length - 1] : versions.find((entry) => inForce(entry, month));
    if (!covering) {
      // Back in the schedule the month after it ended, as it was: the entry goes on (an export imported again).
      const ended = month === undefined ? undefined : versions.find((entry) => entry.until === previousMonth(month));
      if (ended && [...given].every(([fact, fresh]) => same(fact, value(ended.item.get(fact, true)), fresh, update.wbs))) {
        const next = versions
          .filter((entry) => entry.from !== undefined && entry.from > month!)
          .sort((a, b) => (a.from! < b.from! ? -1 : 1))[0];
        operations.push(
          next ? { kind: "until", item: ended.item, month: previousMonth(next.from!) } : { kind: "reopen", item: ended.item },
        );
        changes.updated.push(milestone.id);
        continue;
      }
      // New to the register, or back in the schedule after it ended (until the entry that follows, if any).
      const next =
        month === undefined
          ? undefined
          : versions.filter((entry) => entry.from !== undefined && entry.from > month).sort((a, b) => (a.from! < b.from! ? -1 : 1))[0];
      const values: [string, Value][] = [["id", milestone.id]];
      for (const fact of FACTS) {
        const value = given.get(fact);
        if (value !== undefined && value !== null) values.push([fact, value]);
      }
      if (month !== undefined) values.push(["from", month]);
      if (next) values.push(["until", previousMonth(next.from!)]);
      operations.push({ kind: "insert", after: versions[versions.length - 1]?.item, values });
      (versions.length ? changes.updated : changes.added).push(milestone.id);
      continue;
    }
    const changed = [...given].filter(([fact, fresh]) => !same(fact, value(covering.item.get(fact, true)), fresh, update.wbs));
    if (!changed.length) {
      changes.unchanged.push(milestone.id);
      continue;
    }
    changes.updated.push(milestone.id);
    if (month === undefined) {
      // Undated: updated where it is.
      operations.push({ kind: "set", item: covering.item, values: changed });
      continue;
    }
    // The new entry carries the old one's local facts on, but not the schedule's dates of an
    // undated import (those are each month's snapshot's now).
    const values = new Map<string, Value>();
    for (const pair of covering.item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const carried = value(pair.value);
      if (key !== undefined && carried !== undefined && !["from", "until", "forecast", "completed"].includes(key)) values.set(key, carried);
    }
    for (const [fact, fresh] of changed) {
      if (fresh === null) values.delete(fact);
      else values.set(fact, fresh);
    }
    values.set("from", month);
    if (covering.until !== undefined) values.set("until", covering.until);
    // This month's own entry (an export imported again) is replaced; an earlier one ends the month before.
    if (covering.from === month) operations.push({ kind: "drop", item: covering.item });
    else operations.push({ kind: "until", item: covering.item, month: previousMonth(month) });
    operations.push({ kind: "insert", after: covering.item, values: [...values] });
  }

  // Milestones the schedule no longer has end with the month before.
  if (month !== undefined)
    for (const id of update.removed ?? []) {
      const covering = (entries.get(id) ?? []).find((entry) => inForce(entry, month));
      if (!covering) continue;
      operations.push(
        covering.from === month
          ? { kind: "drop", item: covering.item }
          : { kind: "until", item: covering.item, month: previousMonth(month) },
      );
      changes.ended.push(id);
    }
  return { changes, operations };
}

/** Apply `operations` to the register's text: each edit where it falls, everything else as it was. */
function applyToText(text: string, document: Document.Parsed, operations: Operation[]): string {
  const edits: { start: number; end: number; text: string; order: number }[] = [];
  const edit = (start: number, end: number, replacement: string) => edits.push({ start, end, text: replacement, order: edits.length });
  const list = document.get("milestones", true);
  const items = isSeq(list) ? list.items.filter(isMap) : [];
  const last = items[items.length - 1];
  // Where a new line goes after `item`, and how an entry there is indented.
  const lineStart = (offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
  const indentOf = (item: YAMLMap) => {
    const start = lineStart(item.range![0]);
    return /^[ \t]*/.exec(text.slice(start))![0];
  };
  const afterItem = (item: YAMLMap) => {
    const end = item.range![2];
    return text[end - 1] === "\n"
      ? end
      : (() => {
          const newline = text.indexOf("\n", item.range![1]);
          return newline < 0 ? text.length : newline + 1;
        })();
  };
  const inserted = new Map<YAMLMap | undefined, string[]>();
  // A list written as one flow sequence, `milestones: [ {...}, {...} ]`, takes entries as its items.
  const flowList = isSeq(list) && list.flow === true && items.length > 0;
  for (const operation of operations) {
    if (operation.kind === "insert") {
      const anchor = operation.after ?? last;
      const lines = inserted.get(anchor);
      if (lines) lines.push(flowEntry(operation.values));
      else inserted.set(anchor, [flowEntry(operation.values)]);
    } else if (operation.kind === "drop") {
      if (flowList) {
        // The item and the comma after it (or before it, for the last one).
        const [start, end] = operation.item.range!;
        const after = /^\s*,\s*/.exec(text.slice(end));
        const before = text.slice(0, start).search(/,\s*$/);
        if (after) edit(start, end + after[0].length, "");
        else edit(before < 0 ? start : before, end, "");
      } else edit(lineStart(operation.item.range![0]), afterItem(operation.item), "");
    } else if (operation.kind === "until") setUntil(text, operation.item, operation.month, edit);
    else if (operation.kind === "reopen") removeUntil(text, operation.item, edit);
  }
  for (const [after, lines] of inserted) {
    if (flowList) {
      const anchor = after ?? last!;
      edit(anchor.range![1], anchor.range![1], lines.map((line) => `, ${line}`).join(""));
    } else if (after) {
      const dash = isDashLine(text, after) ? indentOf(after) : "  ";
      const at = afterItem(after);
      edit(at, at, `${text[at - 1] === "\n" || at === 0 ? "" : "\n"}${lines.map((line) => `${dash}- ${line}\n`).join("")}`);
    } else if (isSeq(list) && list.range && list.flow) {
      // `milestones: []`: written out as a list, with no space left at the end of `milestones:`.
      let start = list.range[0];
      while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
      edit(start, list.range[1], `\n${lines.map((line) => `  - ${line}`).join("\n")}`);
    } else {
      const prefix = text.length && !text.endsWith("\n") ? "\n" : "";
      edit(text.length, text.length, `${prefix}${list ? "" : "milestones:\n"}${lines.map((line) => `  - ${line}\n`).join("")}`);
    }
  }
  // In one pass over the text, the edits in its order (at one offset, in the order made): a
  // string rebuilt per edit cost the import of 100,000 milestones minutes.
  edits.sort((a, b) => a.start - b.start || a.order - b.order);
  const parts: string[] = [];
  let at = 0;
  for (const { start, end, text: replacement } of edits) {
    parts.push(text.slice(at, start), replacement);
    at = Math.max(at, end);
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/** Whether `item` starts its own `- ` line (rather than following another on one). */
function isDashLine(text: string, item: YAMLMap): boolean {
  const start = text.lastIndexOf("\n", item.range![0] - 1) + 1;
  return /^[ \t]*-\s*$/.test(text.slice(start, item.range![0]));
}

/** The edit that makes `item` end with `month`: its `until` replaced, or added at the end of its flow map, or on a line of its block map. */
function setUntil(text: string, item: YAMLMap, month: string, edit: (start: number, end: number, text: string) => void): void {
  const pair = item.items.find((candidate) => isScalar(candidate.key) && candidate.key.value === "until") as
    | Pair<unknown, { range?: [number, number, number] }>
    | undefined;
  if (pair?.value?.range) {
    edit(pair.value.range[0], pair.value.range[1], month);
    return;
  }
  const [start, valueEnd] = item.range!;
  if (item.flow) {
    // Right after the last pair's value: never inside a comment that follows it, and before any trailing comma.
    const lastPair = item.items[item.items.length - 1] as
      | Pair<{ range?: [number, number, number] }, { range?: [number, number, number] }>
      | undefined;
    const at = lastPair ? (lastPair.value?.range?.[1] ?? lastPair.key?.range?.[1] ?? start + 1) : text.indexOf("{", start) + 1;
    edit(at, at, `${lastPair ? ", " : " "}until: ${month}`);
    return;
  }
  // A block map: a line of its own, indented as its keys, after its last line.
  const keyIndent = start - (text.lastIndexOf("\n", start - 1) + 1);
  const end =
    text[valueEnd - 1] === "\n"
      ? valueEnd
      : (() => {
          const newline = text.indexOf("\n", valueEnd);
          return newline < 0 ? text.length : newline + 1;
        })();
  edit(end, end, `${text[end - 1] === "\n" || end === 0 ? "" : "\n"}${" ".repeat(keyIndent)}until: ${month}\n`);
}

/** The edit that removes `item`'s `until`: the entry is in force again from its `from` on. */
function removeUntil(text: string, item: YAMLMap, edit: (start: number, end: number, text: string) => void): void {
  const pair = item.items.find((candidate) => isScalar(candidate.key) && candidate.key.value === "until") as
    | Pair<{ range?: [number, number, number] }, { range?: [number, number, number] }>
    | undefined;
  if (!pair?.key?.range || !pair.value?.range) return;
  const keyStart = pair.key.range[0];
  const valueEnd = pair.value.range[1];
  if (item.flow) {
    // With the comma that joins it to the pair before (or to the one after, when it is first).
    const before = /,\s*$/.exec(text.slice(item.range![0], keyStart));
    if (before) edit(keyStart - before[0].length, valueEnd, "");
    else {
      const after = /^\s*,\s*/.exec(text.slice(valueEnd));
      edit(keyStart, valueEnd + (after?.[0].length ?? 0), "");
    }
    return;
  }
  // A line of its own in a block map.
  const lineStart = text.lastIndexOf("\n", keyStart - 1) + 1;
  const newline = text.indexOf("\n", valueEnd);
  edit(lineStart, newline < 0 ? text.length : newline + 1, "");
}

/**
 * A register entry as one flow map, `{ id: X, title: Y, ... }`, as dmreport writes them. A value
 * is written plain when YAML's core schema reads it back as the same text, and as a JSON string
 * (a YAML double-quoted scalar) otherwise; a list as `[ a, b ]`.
 */
export function flowEntry(values: readonly [string, Value][]): string {
  return `{ ${values.map(([key, value]) => `${key}: ${Array.isArray(value) ? `[ ${value.map(yamlScalar).join(", ")} ]` : yamlScalar(value)}`).join(", ")} }`;
}

/** Texts YAML's core schema would read as something else than that text (a number, a boolean, null). */
const NOT_TEXT =
  /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|null|Null|NULL|~|true|True|TRUE|false|False|FALSE)$/;

export function yamlScalar(value: string | number): string {
  if (typeof value === "number") return String(value);
  // Plain only when nothing in it can mean anything to YAML in a flow map.
  if (/^[A-Za-z0-9(][A-Za-z0-9 ._&/()+'-]*$/.test(value) && !/ $/.test(value) && !NOT_TEXT.test(value)) return value;
  return JSON.stringify(value);
}

/** Apply `operations` to the register document (an undated import: entries updated in place). */
function applyToDocument(document: Document.Parsed, operations: Operation[]): string {
  let list = document.get("milestones", true);
  if (!isSeq(list)) {
    document.set("milestones", document.createNode([]));
    list = document.get("milestones", true);
  }
  if (!isSeq(list)) return document.toString({ lineWidth: 0, flowCollectionPadding: true });
  const flow = list.items.length > 0 && isMap(list.items[0]) && (list.items[0] as YAMLMap).flow === true;
  const appended: unknown[] = [];
  for (const operation of operations) {
    if (operation.kind === "set")
      for (const [fact, value] of operation.values) {
        if (value === null) operation.item.delete(fact);
        else operation.item.set(fact, Array.isArray(value) ? document.createNode(value, { flow: true }) : value);
      }
    else if (operation.kind === "insert") appended.push(document.createNode(Object.fromEntries(operation.values), { flow }));
  }
  list.items.push(...appended);
  return document.toString({ lineWidth: 0, flowCollectionPadding: true });
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
  put("scheduleWbs", milestone.scheduleWbs === milestone.wbs || milestone.sameElement ? null : milestone.scheduleWbs);
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

/** Whether the register's `current` value already says `value` for `fact` (null: that it says nothing). */
function same(fact: Fact, current: Value | undefined, value: Value | null, wbs: WbsTree): boolean {
  if (value === null) return current === undefined;
  if (current === undefined) return false;
  if (fact === "wbs")
    return (wbs.find(String(current))?.fullCode ?? String(current)) === (wbs.find(String(value))?.fullCode ?? String(value));
  return JSON.stringify(Array.isArray(value) ? current : String(current)) === JSON.stringify(Array.isArray(value) ? value : String(value));
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
