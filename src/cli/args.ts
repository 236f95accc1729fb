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
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals, strict: true });
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (see: steward ${command} --help)`);
  }
}

/**
 * For commands that take only options: parses them, prints the help on --help and the usage on a
 * stray argument. Returns the values, or the exit code when the command has nothing more to do.
 */
export function parseOptionsOnly<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
  help: string,
) {
  let parsed: ReturnType<typeof parseCommandArgs<T>>;
  try {
    parsed = parseCommandArgs(command, args, options);
  } catch (err) {
    process.stderr.write(`steward ${command}: ${(err as Error).message}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(help);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    process.stderr.write(`steward ${command}: unexpected argument "${parsed.positionals[0]}"\n\n${help}`);
    return 2;
  }
  return parsed.values;
}

export const DEFAULT_DATA_DIR = 'data';
export const DEFAULT_SPEC = 'steward.yaml';

/**
 * `--from -30d` as `--from=-30d`: parseArgs takes a value that starts with a dash for an option,
 * and relative times and negative numbers do. Only for string options, only when the value is a
 * dash and a digit (never an option name).
 */
export function joinNegativeValues(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
