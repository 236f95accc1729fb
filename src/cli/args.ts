import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * parseArgs with errors an operator can act on: an unknown option names the command's help.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (see: steward ${command} --help)`);
  }
}

export const DEFAULT_DATA_DIR = 'data';
export const DEFAULT_SPEC = 'steward.yaml';
