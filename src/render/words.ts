/**
 * Counts in words, by the plural rules of the report's locale (`Intl.PluralRules`): "1 milestone",
 * "2 milestones". The words are the report's own (English); the rules choose between their forms.
 */
import { groupCount } from "../merge/milestones.js";
import type { MilestoneGroup } from "../merge/index.js";

/** A word's forms: `one` for the counts the locale's rules call "one", `other` for the rest. */
export interface WordForms {
  one: string;
  other: string;
}

const rules = new Map<string, Intl.PluralRules>();

/** The form of `forms` that goes with `count` in `locale`. */
export function formFor(count: number, forms: WordForms, locale: string): string {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(locale);
    rules.set(locale, rule);
  }
  return rule.select(count) === "one" ? forms.one : forms.other;
}

/** `count` and the form of `forms` that goes with it: "1 milestone", "3 milestones". */
export function counted(count: number, forms: WordForms, locale: string): string {
  return `${count} ${formFor(count, forms, locale)}`;
}

/** A group of the Milestone Summary counted: how many, and its title in the form that goes with the count ("1 Milestone Delayed"). */
export function groupCounted(group: MilestoneGroup, locale: string): { count: number; title: string } {
  const count = groupCount(group);
  return { count, title: formFor(count, { one: group.one, other: group.title }, locale) };
}

export const MILESTONES: WordForms = { one: "milestone", other: "milestones" };
export const DAYS: WordForms = { one: "day", other: "days" };
