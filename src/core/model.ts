/**
 * The resolved deployment: what the spec means once includes, roles, defaults, templates and
 * ${ENV} secrets are applied. The engine, the API and later components consume only this; the
 * spec module (src/spec) is the one place that knows YAML and the schema.
 */
import type { ServiceState } from './states.ts';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface CheckTiming {
  intervalMs: number;
  retryIntervalMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export interface PluginProbe {
  kind: 'plugin';
  /** A plugin name (looked up in pluginDirs) or an absolute path. */
  command: string;
  args: string[];
}

export interface TcpProbe {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface HttpProbe {
  kind: 'http';
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Acceptable status codes; empty means "2xx and 3xx are OK, 4xx WARNING, 5xx CRITICAL" as check_http does. */
  expectStatus: number[];
  /** A substring (or /regex/) that must appear in the body. */
  expectBody?: string;
  /** Accept self-signed or otherwise unverifiable certificates (still reports days left). */
  insecure: boolean;
  /** Days of certificate validity left below which the check is WARNING / CRITICAL (HTTPS only). */
  certificateWarningDays: number;
  certificateCriticalDays: number;
}

/** A check that only receives results (POST /api/v1/results) and goes stale without them. */
export interface PassiveProbe {
  kind: 'passive';
}

/** Probe kinds the backbone knows; later issues add nrpe, snmp, jvm, prometheus. */
export type ProbeSpec = PluginProbe | TcpProbe | HttpProbe | PassiveProbe;
export type ProbeKind = ProbeSpec['kind'];

export interface FlapSettings {
  enabled: boolean;
  /** Percent state change below which flapping stops (Nagios low_*_flap_threshold). */
  lowThreshold: number;
  /** Percent state change above which flapping starts (Nagios high_*_flap_threshold). */
  highThreshold: number;
}

export interface FreshnessSettings {
  /** A result older than this is stale: the service gets staleState with an explaining output. */
  thresholdMs: number;
  staleState: ServiceState;
}

interface CheckedObject {
  /** Stable identity: "host" for hosts, "host/service" for services. */
  id: string;
  environment: string;
  labels: Record<string, string>;
  /** null for a host without a host check (always UP, as in Nagios). */
  probe: ProbeSpec | null;
  timing: CheckTiming;
  /** Threshold ranges (Nagios range syntax) for native probes' primary value. */
  warning?: string;
  critical?: string;
  /** State given to a check that ran out of time (Nagios' service_check_timeout_state, default CRITICAL). */
  timeoutState: ServiceState;
  flap: FlapSettings;
  freshness?: FreshnessSettings;
  /** Where the check is defined, so runtime errors can point at the spec. */
  source?: SourceLocation;
}

export interface HostModel extends CheckedObject {
  kind: 'host';
  name: string;
  address: string;
  roles: string[];
  /** Names of parent hosts (network path); a DOWN host whose parents are all down is UNREACHABLE. */
  parents: string[];
}

export interface ServiceModel extends CheckedObject {
  kind: 'service';
  host: string;
  name: string;
  /** The role the check came from, when it came from a role. */
  role?: string;
  probe: ProbeSpec;
}

export interface EnvironmentModel {
  name: string;
}

export interface Deployment {
  name: string;
  operatorNetworks: string[];
  environments: EnvironmentModel[];
  hosts: HostModel[];
  services: ServiceModel[];
  /** Directories searched for plugin commands given by name. */
  pluginDirs: string[];
  /** Files the spec was read from (main file first, then includes). */
  files: string[];
}

export function serviceId(host: string, service: string): string {
  return `${host}/${service}`;
}
