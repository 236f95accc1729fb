/**
 * A check kind (plugin, tcp, http, ...): the schema of its key in a check, and how a validated
 * value becomes the ProbeSpec the engine runs. Each kind lives in its own file; adding one is a
 * new file plus one entry in index.ts (and its ProbeSpec in src/core/model.ts).
 */
import type { z } from 'zod';
import type { ProbeSpec } from '../../core/model.ts';
import type { DocumentPath } from '../errors.ts';
import type { SnmpAgentSettings } from '../schema/snmp-agent.ts';
import type { TemplateValues } from '../templating.ts';

export interface ProbeContext {
  /** The host the check is applied to, for {{address}}, {{host}} and {{environment}}. */
  template: TemplateValues;
  /** Directory of the file that defines the check: relative paths are relative to it. */
  baseDir: string;
  pluginDirs: string[];
  /** The host's snmpd settings from its environment's and its own `snmp:` (host keys win). */
  snmpAgent?: SnmpAgentSettings;
  /** Reports a warning at a path inside the kind's value. */
  warn(path: DocumentPath, message: string, hint: string): void;
}

export interface CheckKind<S extends z.ZodType> {
  key: string;
  schema: S;
  toProbe(value: z.output<S>, context: ProbeContext): ProbeSpec;
  /** A timeout set inside the kind's own settings (http.timeout); the check's `timeout` wins. */
  timeout?(value: z.output<S>): string | undefined;
}

export function defineCheckKind<S extends z.ZodType>(kind: CheckKind<S>): CheckKind<S> {
  return kind;
}
