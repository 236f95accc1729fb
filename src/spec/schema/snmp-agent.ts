/**
 * How Steward reaches a host's snmpd: version, credentials, port. Set once per environment or
 * host (`snmp:` there) and refined per check; the nearest level wins key by key. Secrets belong
 * in ${ENV} references, which are substituted at load time and never written to rendered files.
 */
import { z } from 'zod';
import { withHint } from './message.ts';
import { portSchema } from './network.ts';

export const DEFAULT_SNMP_PORT = 161;

export const snmpUserSchema = z
  .strictObject({
    name: z
      .string()
      .min(1, withHint('the user name is empty', 'write e.g. steward'))
      .describe('USM user name.'),
    level: z
      .enum(['authPriv', 'authNoPriv', 'noAuthNoPriv'])
      .optional()
      .describe('Security level (default authPriv).'),
    authProtocol: z
      .enum(['sha', 'sha256', 'sha512', 'md5'])
      .optional()
      .describe('Authentication protocol (default sha).'),
    authKey: z
      .string()
      .min(8, withHint('an SNMP v3 key is at least 8 characters (RFC 3414)', 'use a longer key'))
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
      .describe('Authentication pass phrase; write ${SNMP_AUTH_KEY} to keep it out of the repository.'),
    privProtocol: z.enum(['aes', 'aes256b', 'des']).optional().describe('Privacy protocol (default aes).'),
    privKey: z
      .string()
      .min(8, withHint('an SNMP v3 key is at least 8 characters (RFC 3414)', 'use a longer key'))
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
      .describe('Privacy pass phrase; write ${SNMP_PRIV_KEY}.'),
  })
  .describe('SNMP v3 USM user.');

/** The agent keys, shared by environment/host `snmp:` and the snmp check kind. */
export const snmpAgentShape = {
  version: z
    .enum(['2c', '3'])
    .optional()
    .describe("SNMP version: '2c' or '3' (default 3 when a user is set, else 2c)."),
  community: z
    .string()
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
    .min(1, withHint('the community is empty', 'write ${SNMP_COMMUNITY} and set it in the environment'))
    .optional()
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
    .describe('v2c community; write ${SNMP_COMMUNITY} to keep it out of the repository.'),
  user: snmpUserSchema.optional(),
  port: portSchema.optional().describe(`snmpd UDP port (default ${DEFAULT_SNMP_PORT}).`),
};

export const snmpAgentSchema = z
  .strictObject(snmpAgentShape)
  .describe(
    'How to reach the snmpd of hosts here (checks may refine it). Host settings override environment ones.',
  );

export type SnmpAgentSettings = z.infer<typeof snmpAgentSchema>;

/** Later layers override earlier ones key by key (environment, then host, then check). */
export function mergeSnmpAgent(...layers: (SnmpAgentSettings | undefined)[]): SnmpAgentSettings {
  const out: SnmpAgentSettings = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
