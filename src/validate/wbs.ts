/** Check wbs.yaml and build the WBS tree: unique codes, each child's code under its parent's. */
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { locate, plainValue, type ValuePath, type YamlSource } from "../load/yaml-source.js";
import type { WbsElement, WbsTree } from "../core/model.js";
import { previousMonth } from "../core/calendar.js";
import { checkSchema } from "./schema.js";

interface RawElement {
  code: string;
  title: string;
  lead?: string;
  split?: boolean;
  progress?: boolean;
  from?: string;
  until?: string;
  replaces?: string | string[];
  children?: RawElement[];
}

/** The typed tree, or undefined when wbs.yaml has schema errors. */
export function checkWbs(source: YamlSource): { wbs?: WbsTree; diagnostics: Diagnostic[] } {
  const plain = plainValue(source);
  if (plain.diagnostics.length) return { diagnostics: plain.diagnostics };
  const value = plain.value;
  const diagnostics = checkSchema("wbs", source, value ?? {});
  if (diagnostics.length) return { diagnostics };

  const elements: WbsElement[] = [];
  const byCode = new Map<string, WbsElement>();
  const replacing: Replacing[] = [];
  const build = (raw: RawElement, parent: WbsElement | null, path: ValuePath): WbsElement => {
    const fullCode = parent ? continuedCode(parent.fullCode, raw.code) : raw.code;
    if (fullCode === undefined) {
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, [...path, "code"]),
          "wbs-not-under-parent",
          `WBS code \`${raw.code}\` is not under its parent \`${parent!.code}\`: a child's code continues its parent's (e.g. \`${parent!.code}.01\`)`,
        ),
      );
    }
    const element: WbsElement = {
      code: raw.code,
      fullCode: fullCode ?? raw.code,
      title: raw.title,
      lead: raw.lead,
      split: raw.split ?? false,
      progress: raw.progress ?? true,
      children: [],
      parent,
      ...(raw.from !== undefined ? { from: raw.from } : {}),
      ...(raw.until !== undefined ? { until: raw.until } : {}),
    };
    if (raw.from !== undefined && raw.until !== undefined && raw.from > raw.until)
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, [...path, "until"]),
          "structure-range",
          `\`until: ${raw.until}\` comes before \`from: ${raw.from}\`, so element \`${raw.code}\` is in force in no month; correct one of the two`,
        ),
      );
    if (raw.replaces !== undefined)
      replacing.push({ element, codes: ([] as string[]).concat(raw.replaces), list: Array.isArray(raw.replaces), path });
    const clash = byCode.get(element.fullCode);
    if (clash) {
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, [...path, "code"]),
          "wbs-duplicate",
          `WBS code \`${raw.code}\` is used twice (also for \`${clash.title}\`); give each element its own code`,
        ),
      );
    } else {
      byCode.set(element.fullCode, element);
    }
    elements.push(element);
    element.children = (raw.children ?? []).map((child, index) => build(child, element, [...path, "children", index]));
    return element;
  };
  const roots = (value as { elements: RawElement[] }).elements.map((raw, index) => build(raw, null, ["elements", index]));
  if (diagnostics.length) return { diagnostics };

  // Printed codes that are unambiguous also find their element (`02C.03.01` as well as `1.02C.03.01`).
  const byPrintedCode = new Map<string, WbsElement | null>();
  for (const element of elements) byPrintedCode.set(element.code, byPrintedCode.has(element.code) ? null : element);
  const find = (code: string) => byCode.get(code) ?? byPrintedCode.get(code) ?? undefined;
  diagnostics.push(...replacements(source, replacing, find));
  if (diagnostics.length) return { diagnostics };
  return { diagnostics, wbs: { roots, elements, find } };
}

/** An element that names, in `replaces`, the elements it took over from. */
interface Replacing {
  element: WbsElement;
  codes: string[];
  /** Whether `replaces` is a list (else one code). */
  list: boolean;
  path: ValuePath;
}

/**
 * Check each `replaces`: the element replaced is in the tree, and ends the month before its
 * successor starts, so that each month has one element for the work; record the full codes.
 */
function replacements(source: YamlSource, replacing: readonly Replacing[], find: (code: string) => WbsElement | undefined): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { element, codes, list, path } of replacing) {
    const at = (index: number) => locate(source, list ? [...path, "replaces", index] : [...path, "replaces"]);
    if (element.from === undefined) {
      diagnostics.push(
        diagnostic(
          source.file,
          locate(source, [...path, "replaces"], "key"),
          "wbs-replaces",
          `element \`${element.code}\` replaces another at a re-plan, so it needs \`from:\`, the first month of the new structure`,
        ),
      );
      continue;
    }
    element.replaces = [];
    codes.forEach((code, index) => {
      const replaced = find(code);
      if (!replaced || replaced === element) {
        diagnostics.push(
          diagnostic(
            source.file,
            at(index),
            "wbs-replaces",
            `element \`${element.code}\` replaces \`${code}\`, which is not ${replaced ? "another element" : "in wbs.yaml"}: keep the element replaced in the tree, with \`until:\` its last month`,
          ),
        );
        return;
      }
      if (replaced.until === undefined || replaced.until >= element.from!) {
        diagnostics.push(
          diagnostic(
            source.file,
            at(index),
            "wbs-replaces",
            `element \`${element.code}\` replaces \`${replaced.code}\` from ${element.from}, so \`${replaced.code}\` must end before: give it \`until: ${previousMonth(element.from!)}\``,
          ),
        );
        return;
      }
      element.replaces!.push(replaced.fullCode);
    });
  }
  return diagnostics;
}

/**
 * The full code of `code` under a parent whose full code is `parent`, or undefined when it is not
 * under it. A child may repeat the whole parent code (`1.02C.03` > `1.02C.03.01`) or drop its
 * leading segments (`1.02C.03` > `02C.03.01`), as WBS tables commonly print them.
 */
export function continuedCode(parent: string, code: string): string | undefined {
  const parentSegments = parent.split(".");
  const segments = code.split(".");
  for (let drop = 0; drop < parentSegments.length; drop++) {
    const kept = parentSegments.slice(drop);
    if (segments.length > kept.length && kept.every((segment, index) => segments[index] === segment)) {
      return [...parentSegments.slice(0, drop), ...segments].join(".");
    }
  }
  return undefined;
}
