// Types of the benchmark's corpus generator, for the tests that use it.
export function writeCorpus(folder: string, fragments: number, seed?: number): { months: string[]; firstFragment: string };
