/** Option parsers shared by the commands. */
import { InvalidArgumentError } from "commander";

/** A YYYY-MM month. */
export function monthOption(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError("it must be a month like 2017-12");
  return value;
}
