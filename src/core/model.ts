/**
 * The resolved deployment: what the spec means once includes, roles, defaults, templates and
 * ${ENV} secrets are applied. The engine, the API and later components consume only this; the
 * spec module (src/spec) is the one place that knows YAML and the schema.
 */
import type { AlertingModel } from './alerting-model.ts';
import type { BackupModel } from './backup.ts';
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

/** TLS to an nrpe daemon: nrpe's default anonymous DH, plain TCP, or certificates (PEM paths or text). */
export type NrpeTlsSpec = 'anonymous-dh' | 'none' | { ca?: string; cert?: string; key?: string };

/** A command run by the nrpe daemon on a host (command[NAME] in its nrpe.cfg). */
export interface NrpeProbe {
  kind: 'nrpe';
  host: string;
  port: number;
  command: string;
  args: string[];
  tls: NrpeTlsSpec;
  /** How the host's nrpe.cfg defines the command (for `steward render host`); not used by the probe. */
  define?: { plugin: string; args: string[]; sendArgs: boolean };
}

/** How to reach a host's snmpd (secrets already substituted from ${ENV}). */
export interface SnmpAgentSpec {
  host: string;
  port: number;
  version: '2c' | '3';
  community?: string;
  user?: {
    name: string;
    level: 'authPriv' | 'authNoPriv' | 'noAuthNoPriv';
    authProtocol?: 'sha' | 'sha256' | 'sha512' | 'md5';
    authKey?: string;
    privProtocol?: 'aes' | 'aes256b' | 'des';
    privKey?: string;
  };
}

/** One value of the host's SNMP poll (e.g. cpu.usage, disk./.used_percent), thresholded. */
export interface SnmpProbe {
  kind: 'snmp';
  metric: string;
  agent: SnmpAgentSpec;
}

/** A series scraped from a Prometheus/OpenMetrics endpoint, selected by name and labels. */
export interface PrometheusProbe {
  kind: 'prometheus';
  url: string;
  /** The series to threshold; absent when the check only stores host metrics. */
  metric?: string;
  match: Record<string, string>;
  /** How several matching series become one value (default: the only one; several is UNKNOWN). */
  aggregate?: 'sum' | 'min' | 'max' | 'avg' | 'count';
  insecure: boolean;
  /** Also store the node exporter's CPU, load, memory, disk and network series (the host's graphs). */
  hostMetrics?: boolean;
}

/** A JVM figure, read over Jolokia HTTP or by the check_jvm_jstat plugin (locally or over NRPE). */
export interface JvmProbe {
  kind: 'jvm';
  metric: 'heap' | 'gcTime' | 'threads';
  source:
    | { kind: 'jolokia'; url: string; insecure: boolean }
    | { kind: 'nrpe'; nrpe: NrpeProbe }
    | { kind: 'local'; command: string; args: string[] };
}

/** Probe kinds the engine can run. */
export type ProbeSpec =
  | PluginProbe
  | TcpProbe
  | HttpProbe
  | PassiveProbe
  | NrpeProbe
  | SnmpProbe
  | PrometheusProbe
  | JvmProbe;
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
  /** No machine: a name that carries services (the backup pseudo-host), never reached over SSH. */
  pseudo?: true;
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
  /** Backup repositories and jobs; absent when the spec has no `backup:` section. */
  backup?: BackupModel;
  /** Receivers, routes and the rest of alerting; absent when the spec has no `alerting:` section. */
  alerting?: AlertingModel;
  /** `access.dashboard`: session expiry and sign-in limits (ms); unset keys keep the defaults. */
  dashboard?: DashboardPolicySettings;
}

export interface DashboardPolicySettings {
  sessionIdleMs?: number;
  sessionMaxMs?: number;
  userFailures?: number;
  lockMs?: number;
  sourceFailures?: number;
  failureWindowMs?: number;
}

export function serviceId(host: string, service: string): string {
  return `${host}/${service}`;
}
