/** Errors that are not about a report source's content: they end a command with exit status 2. */

/** A problem with how dmreport was called, or with the machine (no browser for a PDF). */
export class UsageError extends Error {}
