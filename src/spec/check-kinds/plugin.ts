import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withHint } from '../schema/message.ts';
import { checked } from '../schema/refine.ts';
import { renderTemplate, templateProblem } from '../templating.ts';
import { defineCheckKind } from './check-kind.ts';

const templatedArg = checked(
  z.union([z.string(), z.number()], {
    error: withHint('expected a plugin argument (a string)', 'quote the argument, e.g. "-w"'),
  }),
  (value) => (typeof value === 'string' ? templateProblem(value) : null),
);

const schema = z
  .strictObject({
    command: z
      .string({
        error: (issue) => (issue.input === undefined ? undefined : 'expected a plugin command (a string)'),
      })
      .min(1, withHint('the command is empty', 'write a plugin name such as check_disk, or a path to it'))
      .describe(
        'A plugin name looked up in pluginDirs (e.g. check_disk), or a path; relative paths are relative to the file defining the check.',
      ),
    args: z
      .array(templatedArg)
      .optional()
      .describe(
        'Arguments, one per list item; {{address}}, {{host}} and {{environment}} are replaced per host.',
      ),
  })
  .describe('Run a Nagios-compatible plugin: exit code 0-3, output and perfdata as the plugin API defines.');

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const pluginCheck = defineCheckKind({
  key: 'plugin',
  schema,
  toProbe(value, context) {
    const isPath = value.command.includes('/');
    const command = isPath ? path.resolve(context.baseDir, value.command) : value.command;
    if (isPath && !isExecutableFile(command)) {
      context.warn(
        ['command'],
        `plugin ${command} is not an executable file on this machine`,
        'install it there or fix the path; checks with it will be UNKNOWN',
      );
    }
    if (!isPath && !context.pluginDirs.some((dir) => isExecutableFile(path.join(dir, command)))) {
      context.warn(
        ['command'],
        `plugin ${command} was not found in any plugin directory (${context.pluginDirs.join(', ')})`,
        'install it (e.g. the monitoring-plugins package) or add its directory to pluginDirs; checks with it will be UNKNOWN',
      );
    }
    return {
      kind: 'plugin',
      command,
      args: (value.args ?? []).map((arg) => renderTemplate(String(arg), context.template)),
    };
  },
});
