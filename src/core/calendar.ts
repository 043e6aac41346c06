/** Month arithmetic on `YYYY-MM` strings, in UTC so that no time zone moves a date. */

/** The last day of a month, as YYYY-MM-DD. */
export function endOfMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const day = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

/** The month after `month`. */
export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, "0")}`;
}

/** The month before `month`. */
export function previousMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, "0")}`;
}

/** Date formats by locale and length: making one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();

function monthFormat(locale: string, length: "long" | "short"): Intl.DateTimeFormat {
  const key = `${length} ${locale}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { month: length, year: "numeric", timeZone: "UTC" });
    } catch {
      format = new Intl.DateTimeFormat("en-US", { month: length, year: "numeric", timeZone: "UTC" });
    }
    formats.set(key, format);
  }
  return format;
}

/** `2017-12` as people write it in `locale` (December 2017), or as short as `Dec 2017`. */
export function monthLabel(month: string, locale: string, length: "long" | "short" = "long"): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return monthFormat(locale, length).format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}
