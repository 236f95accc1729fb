import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type PluginLocation = { ok: true; path: string } | { ok: false; error: string };

/**
 * Resolved paths per pluginDirs array (the engine passes the same array for every check) and
 * command: a hit costs two map lookups, no filesystem access. An entry goes when spawning it
 * fails with ENOENT, so a plugin removed or moved is looked up again.
 */
const resolvedPaths = new WeakMap<readonly string[], Map<string, string>>();

export function isBareCommand(command: string): boolean {
  return !command.includes('/');
}

export function cachedPluginPath(command: string, pluginDirs: readonly string[]): string | undefined {
  return resolvedPaths.get(pluginDirs)?.get(command);
}

export function forgetPluginPath(command: string, pluginDirs: readonly string[]): void {
  resolvedPaths.get(pluginDirs)?.delete(command);
}

function argumentsHint(command: string): string {
  return /\s/.test(command)
    ? ' (the command contains spaces: put the arguments in args, not in command)'
    : '';
}

/**
 * Finds a plugin given by bare name in pluginDirs (first executable file wins), or explains why
 * it cannot: not found (where it looked, and what to install), or found but not executable.
 */
export async function resolvePlugin(command: string, pluginDirs: readonly string[]): Promise<PluginLocation> {
  if (!isBareCommand(command)) return { ok: true, path: command };
  const cached = cachedPluginPath(command, pluginDirs);
  if (cached !== undefined) return { ok: true, path: cached };
  if (command === '')
    return { ok: false, error: 'plugin command is empty — name a plugin such as check_tcp' };
  if (pluginDirs.length === 0) {
    return {
      ok: false,
      error: `plugin ${command} is given by name but no pluginDirs are configured — set pluginDirs (e.g. /usr/lib/nagios/plugins) or give an absolute path${argumentsHint(command)}`,
    };
  }
  let notExecutable: string | undefined;
  for (const dir of pluginDirs) {
    const candidate = join(dir, command);
    try {
      const info = await stat(candidate);
      if (!info.isFile()) continue;
    } catch {
      continue;
    }
    try {
      await access(candidate, constants.X_OK);
    } catch {
      notExecutable ??= candidate;
      continue;
    }
    let byCommand = resolvedPaths.get(pluginDirs);
    if (!byCommand) {
      byCommand = new Map();
      resolvedPaths.set(pluginDirs, byCommand);
    }
    byCommand.set(command, candidate);
    return { ok: true, path: candidate };
  }
  if (notExecutable !== undefined) return { ok: false, error: notExecutableMessage(notExecutable) };
  return {
    ok: false,
    error: `plugin ${command} not found in ${pluginDirs.join(', ')} — install monitoring-plugins (or the package that provides ${command}) or fix pluginDirs${argumentsHint(command)}`,
  };
}

export function notExecutableMessage(path: string): string {
  return `plugin ${path} is not executable — make it executable for the user Steward runs as (chmod +x ${path}) and check the permissions of its directories`;
}

/** Why spawning an explicit path failed with ENOENT: the file, or its #! interpreter, is missing. */
export async function missingPathMessage(path: string): Promise<string> {
  try {
    await stat(path);
    return `plugin ${path} exists but could not be started: the interpreter on its #! line (or a library it needs) is missing — install it or fix the #! line`;
  } catch {
    return `plugin ${path} not found — check the path, or install the package that provides it${argumentsHint(path)}`;
  }
}
