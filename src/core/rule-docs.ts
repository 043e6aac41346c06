/** Where each rule is explained: a page per rule in docs/rules/, shipped with dmreport and linked from reports. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HOMEPAGE, PACKAGE_ROOT, VERSION } from "./package-root.js";

/** The rule's page as published with this version of dmreport (the tag of the release). */
export function ruleHelpUri(rule: string): string {
  return `${HOMEPAGE}/blob/v${VERSION}/docs/rules/${rule}.md`;
}

/** Where to learn about dmreport itself. */
export const INFORMATION_URI = HOMEPAGE;

/** The rule's page as shipped in the package, for readers that show help inline (code scanning); undefined if absent. */
export function rulePage(rule: string): string | undefined {
  try {
    return readFileSync(join(PACKAGE_ROOT, "docs", "rules", `${rule}.md`), "utf8");
  } catch {
    return undefined;
  }
}
