export type { ParsedPerfdata } from './parse-perfdata.ts';
export { parsePerfdata } from './parse-perfdata.ts';
