/**
 * Roles Steward ships, usable in `roles:` without being defined: `linux` (host basics over SNMP)
 * and the WSO2 products (`wso2-apim`, `wso2-is`, `wso2-mi`: health endpoints, ports, JVM heap,
 * plus the linux checks). A role of the same name in the spec replaces the built-in one. They are
 * written here as data and handed to the loader as one more (generated) YAML file, so they are
 * validated, merged and located like any included file.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { LoadedFile } from './include-loader.ts';
import { asObject } from './plain-data.ts';
import { fragmentSchema } from './schema/spec.ts';
import { parseSourceFile } from './source-file.ts';

/** The name built-in roles are located in (messages say "<built-in roles>:12:5"). */
export const BUILT_IN_ROLES_FILE = path.join(import.meta.dirname, '<built-in roles>.yaml');

type Check = Record<string, unknown>;

/** Linux basics from the host's snmpd: one walk per host feeds them all. */
const LINUX_CHECKS: Check[] = [
  { name: 'cpu', snmp: { metric: 'cpu.usage' }, warning: '85', critical: '95' },
  { name: 'load', snmp: { metric: 'load.5' }, warning: '8', critical: '16' },
  { name: 'memory', snmp: { metric: 'memory.used_percent' }, warning: '90', critical: '95' },
  { name: 'swap', snmp: { metric: 'swap.used_percent' }, warning: '50', critical: '80' },
  // Every mount the agent reports; the fullest one decides.
  { name: 'disk', snmp: { metric: 'disk.*.used_percent' }, warning: '80', critical: '90' },
  // Uptime under 10 minutes: the host rebooted.
  { name: 'uptime', snmp: { metric: 'uptime.seconds' }, warning: '600:' },
];

/** Heap of the product's JVM (started with -Dcarbon.home=...), agentless over NRPE. */
const WSO2_HEAP: Check = {
  name: 'heap',
  jvm: { metric: 'heap', nrpe: { command: 'check_wso2_heap', args: ['-m', 'carbon.home'] } },
  warning: '80',
  critical: '90',
};

const https = (port: number, urlPath: string, expectStatus?: number[]): Record<string, unknown> => ({
  url: `https://{{address}}:${port}${urlPath}`,
  insecure: true,
  ...(expectStatus ? { expectStatus } : {}),
});

export const BUILT_IN_ROLES: Record<string, { description: string; checks: Check[] }> = {
  linux: {
    description: 'Linux host basics over SNMP: CPU, load, memory, swap, disk per mount, uptime; and SSH.',
    checks: [...LINUX_CHECKS, { name: 'ssh', tcp: { port: 22 } }],
  },
  'wso2-apim': {
    description:
      'WSO2 API Manager: management console/APIs (9443), gateway HTTPS (8243) and HTTP (8280), heap, and the linux checks.',
    checks: [
      ...LINUX_CHECKS,
      { name: 'apim-health', http: https(9443, '/services/Version') },
      { name: 'gateway-health', http: https(9443, '/api/am/gateway/v2/server-startup-healthcheck') },
      { name: 'gateway-https', tcp: { port: 8243 } },
      { name: 'gateway-http', tcp: { port: 8280 } },
      WSO2_HEAP,
    ],
  },
  'wso2-is': {
    description: 'WSO2 Identity Server: health check API on 9443, heap, and the linux checks.',
    checks: [
      ...LINUX_CHECKS,
      { name: 'is-health', http: https(9443, '/api/health-check/v1.0/health') },
      WSO2_HEAP,
    ],
  },
  'wso2-mi': {
    description:
      'WSO2 Micro Integrator: HTTP (8290) and HTTPS (8253) passthrough, management API (9164), heap, and the linux checks.',
    checks: [
      ...LINUX_CHECKS,
      { name: 'mi-http', tcp: { port: 8290 } },
      { name: 'mi-https', tcp: { port: 8253 } },
      // The management API answers 401 without a token: it is up.
      { name: 'mi-management', http: https(9164, '/management/login', [200, 401]) },
      WSO2_HEAP,
    ],
  },
};

let parsed: ReturnType<typeof parseSourceFile> | undefined;

/**
 * The built-in roles the spec's files do not define themselves, as one more loaded file (none
 * when every built-in role is overridden).
 */
export function builtInRolesFile(files: LoadedFile[]): LoadedFile | undefined {
  const defined = new Set<string>();
  for (const f of files)
    for (const name of Object.keys(asObject(asObject(f.data)?.roles) ?? {})) defined.add(name);
  parsed ??= parseSourceFile(BUILT_IN_ROLES_FILE, stringify({ roles: BUILT_IN_ROLES }, { lineWidth: 0 }));
  const roles: Record<string, unknown> = {};
  for (const [name, role] of Object.entries(asObject(asObject(parsed.data)?.roles) ?? {})) {
    if (!defined.has(name)) roles[name] = role;
  }
  if (Object.keys(roles).length === 0) return undefined;
  const data = { roles };
  return { file: parsed.file, data, valid: fragmentSchema.safeParse(data).success, isMain: false };
}
