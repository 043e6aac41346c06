/**
 * What reaches a terminal is text: control characters that came from input files (a CSV header,
 * a YAML key, a file name) are written as visible escapes, as git quotes them, so that no file
 * can clear the screen, set the window title, hide a line or disguise a link in what dmreport
 * prints, and no line feed from a file can start a line of its own (which a CI runner would
 * read as a command, `::set-output`). dmreport's own colours and line breaks are added after this.
 */

/** C0 controls but tab, DEL, C1 controls, and the bidirectional overrides and isolates ("Trojan Source"). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, line feeds excepted: for text dmreport wrote line by line. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\u001b": "\\e", "\u0007": "\\a" };

function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}

/** `text` (one value from input: a message, a path) with every control character written as an escape (`\e`, `\n`, `\x9b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(CONTROL, escaped);
}

/** Text of several lines that dmreport composed (help, a stack trace): every control character but its line feeds escaped. */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escaped);
}

/**
 * JSON text with the control characters JSON leaves as they are (DEL, C1, the bidirectional
 * ones) written as `\u` escapes: the same data for a program, nothing a terminal acts on.
 */
export function printableJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
