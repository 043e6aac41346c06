/**
 * Counts in words, by the plural rules of the report's locale (`Intl.PluralRules`): "1 milestone",
 * "2 milestones". The words are the report's own (English); the rules choose between their forms.
 */

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

export const MILESTONES: WordForms = { one: "milestone", other: "milestones" };
export const DAYS: WordForms = { one: "day", other: "days" };
