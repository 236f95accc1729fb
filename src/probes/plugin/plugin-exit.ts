import { constants } from 'node:os';
import type { CheckResult } from '../../core/index.ts';
import { probeResult, seconds2 } from '../probe-result.ts';
import { parsePluginOutput } from './parse-plugin-output.ts';

/** How a plugin process ended, with what it wrote (already capped). */
export interface PluginExit {
  /** The path that was executed (named in every message). */
  path: string;
  hostName: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Bytes written beyond the capture limit (0 when nothing was cut). */
  droppedBytes: number;
  startedAt: number;
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[signal];
}

function withNote(longOutput: string, note: string): string {
  return longOutput === '' ? note : `${longOutput}\n${note}`;
}

/**
 * Turns a finished plugin into a CheckResult the way Nagios 4 does (base/checks.c,
 * get_service_check_return_code; base/workers.c, handle_worker_check):
 * - exit 0..3 is the state;
 * - 126 and 127 are CRITICAL ("not executable" / "does not exist", typically from a wrapper
 *   script), any other code is CRITICAL as out of bounds;
 * - death by a signal is UNKNOWN;
 * - empty stdout falls back to "(No output on stdout) stderr: ..." and then to
 *   "(No output returned from plugin)".
 * Unlike Nagios, the plugin's own output is kept (in the long output) when the exit is replaced by
 * an explanation, because it usually says what went wrong.
 */
export function resultFromPluginExit(exit: PluginExit): CheckResult {
  let text = exit.stdout;
  if (text.trim() === '')
    text = exit.stderr.trim() === '' ? '' : `(No output on stdout) stderr: ${exit.stderr}`;
  const parsed =
    text === ''
      ? { output: '(No output returned from plugin)', longOutput: '', perfdata: [] }
      : parsePluginOutput(text);
  let longOutput = parsed.longOutput;
  if (exit.droppedBytes > 0) {
    longOutput = withNote(
      longOutput,
      `(Output truncated: ${exit.path} wrote ${exit.droppedBytes} bytes more than the ${MAX_PLUGIN_OUTPUT_BYTES}-byte limit)`,
    );
  }
  const code = exit.code;
  if (code !== null && code >= 0 && code <= 3) {
    return probeResult(code, parsed.output, exit.startedAt, longOutput, parsed.perfdata);
  }
  const original =
    longOutput === '' ? `Plugin output: ${parsed.output}` : `Plugin output: ${parsed.output}\n${longOutput}`;
  if (code === null) {
    const signal = exit.signal ?? 'unknown signal';
    const number = exit.signal ? signalNumber(exit.signal) : undefined;
    const elapsed = seconds2(Date.now() - exit.startedAt);
    return probeResult(
      3,
      `(Plugin ${exit.path} died by signal ${number ?? '?'} (${signal}) after ${elapsed} seconds)`,
      exit.startedAt,
      original,
      parsed.perfdata,
    );
  }
  let output: string;
  if (code === 126)
    output = `(Return code of 126 is out of bounds. Check if plugin ${exit.path} is executable)`;
  else if (code === 127)
    output = `(Return code of 127 is out of bounds. Check if plugin ${exit.path} exists, and the commands it runs)`;
  else
    output = `(Return code of ${code} for plugin ${exit.path} on host '${exit.hostName}' was out of bounds: plugins must exit 0..3)`;
  return probeResult(2, output, exit.startedAt, original, parsed.perfdata);
}

/**
 * Nagios' MAX_PLUGIN_OUTPUT_LENGTH (include/nagios.h): output and perfdata together. More than this
 * is read and discarded, so a runaway plugin neither eats memory nor blocks on a full pipe.
 */
export const MAX_PLUGIN_OUTPUT_BYTES = 8192;
