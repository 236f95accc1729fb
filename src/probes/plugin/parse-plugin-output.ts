import type { PerfDatum } from '../../core/index.ts';
import { parsePerfdata } from '../perfdata/index.ts';

export interface PluginOutput {
  output: string;
  longOutput: string;
  perfdata: PerfDatum[];
}

/** Prefix of the long-output line that keeps perfdata the parser could not read. */
export const UNPARSABLE_PERFDATA_NOTE = 'Unparsable perfdata (kept verbatim):';

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Splits plugin stdout exactly as Nagios core's parse_check_output does: the first line is the
 * output, with perfdata after its first '|'; the following lines are long output until a line
 * containing '|', whose remainder and every later line are perfdata (joined by spaces). A trailing
 * newline adds no empty line. Perfdata that does not parse is kept at the end of the long output,
 * never dropped silently.
 */
export function parsePluginOutput(stdout: string): PluginOutput {
  let perfText = '';
  let longOutput = '';
  let firstEnd = stdout.indexOf('\n');
  if (firstEnd < 0) firstEnd = stdout.length;
  const first = stripCarriageReturn(stdout.slice(0, firstEnd));
  const firstPipe = first.indexOf('|');
  const output = (firstPipe < 0 ? first : first.slice(0, firstPipe)).trim();
  if (firstPipe >= 0) perfText = first.slice(firstPipe + 1);

  let inPerfdata = false;
  let longLines = 0;
  let pos = firstEnd + 1;
  while (pos < stdout.length) {
    let end = stdout.indexOf('\n', pos);
    if (end < 0) end = stdout.length;
    const line = stripCarriageReturn(stdout.slice(pos, end));
    pos = end + 1;
    if (inPerfdata) {
      perfText = perfText === '' ? line : `${perfText} ${line}`;
      continue;
    }
    const pipe = line.indexOf('|');
    const text = pipe < 0 ? line : line.slice(0, pipe);
    longOutput = longLines++ === 0 ? text : `${longOutput}\n${text}`;
    if (pipe >= 0) {
      inPerfdata = true;
      const rest = line.slice(pipe + 1);
      perfText = perfText === '' ? rest : `${perfText} ${rest}`;
    }
  }

  if (perfText === '') return { output, longOutput, perfdata: [] };
  const { perfdata, garbage } = parsePerfdata(perfText);
  if (garbage.length > 0) {
    const note = `${UNPARSABLE_PERFDATA_NOTE} ${garbage.join(' ')}`;
    longOutput = longOutput === '' ? note : `${longOutput}\n${note}`;
  }
  return { output, longOutput, perfdata };
}
