import { z } from 'zod';
import type { SnmpAgentSpec } from '../../core/model.ts';
import { withHint } from '../schema/message.ts';
import { DEFAULT_SNMP_PORT, mergeSnmpAgent, snmpAgentShape } from '../schema/snmp-agent.ts';
import { defineCheckKind } from './check-kind.ts';

/** The metric groups one SNMP poll yields (src/probes/snmp/metric-values.ts names them). */
export const SNMP_METRIC_GROUPS = ['cpu', 'load', 'memory', 'swap', 'disk', 'if', 'uptime', 'snmp'] as const;

const METRIC_EXAMPLES =
  'cpu.usage, load.1, memory.used_percent, swap.used_percent, disk./.used_percent, if.eth0.in_bps, uptime.seconds';

const schema = z
  .strictObject({
    metric: z
      .string({ error: (issue) => (issue.input === undefined ? undefined : 'expected a metric name') })
      .min(1, withHint('the metric is empty', `write one of ${METRIC_EXAMPLES}`))
      .describe(`The value to threshold, e.g. ${METRIC_EXAMPLES}.`),
    ...snmpAgentShape,
  })
  .describe(
    "One value of the host's SNMP poll (one walk per host per interval feeds all its snmp checks); warning/critical apply to it. Agent settings default to the host's and environment's `snmp:`.",
  );

export const snmpCheck = defineCheckKind({
  key: 'snmp',
  schema,
  toProbe(value, context) {
    const { metric, ...own } = value;
    const settings = mergeSnmpAgent(context.snmpAgent, own);
    const version = settings.version ?? (settings.user === undefined ? '2c' : '3');
    const agent: SnmpAgentSpec = {
      host: context.template.address,
      port: settings.port ?? DEFAULT_SNMP_PORT,
      version,
    };
    if (version === '2c') {
      if (settings.community === undefined) {
        context.warn(
          [],
          'no SNMP v2c community for this host',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
          'set `snmp: { community: ${SNMP_COMMUNITY} }` on the environment or host, or a v3 user',
        );
      } else agent.community = settings.community;
    } else if (settings.user === undefined) {
      context.warn(
        [],
        'SNMP v3 without a user',
        'set `snmp: { user: { name, authKey, privKey } }` on the environment or host',
      );
    } else {
      agent.user = { ...settings.user, level: settings.user.level ?? 'authPriv' };
    }
    const group = metric.split('.')[0] ?? '';
    if (!(SNMP_METRIC_GROUPS as readonly string[]).includes(group)) {
      context.warn(
        ['metric'],
        `unknown SNMP metric group \`${group}\``,
        `use a metric such as ${METRIC_EXAMPLES}`,
      );
    }
    return { kind: 'snmp', metric, agent };
  },
});
