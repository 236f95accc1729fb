// The SSH bastion (`steward gateway`): operator-network-only, public key + TOTP, per-environment
// forwards, every step audited. The spec and CLI build a GatewayConfig and call startGateway.

export { operatorNetworkFilter } from '../auth/operator-networks.ts';
export { generateTotpSecret, totpCode, totpUri, verifyTotp } from '../auth/totp.ts';
export { accessFromSpec } from './access-from-spec.ts';
export { GATEWAY_ALGORITHMS, PREFERRED_CLIENT_CIPHERS } from './algorithms.ts';
export { type AuditEvent, type AuditSink, jsonLinesAuditSink } from './audit.ts';
export { gatewayAuditEntry } from './audit-entry.ts';
export { type AuditShipperStats, type ShippedEntry, startAuditShipper } from './audit-shipper.ts';
export { type Access, authorizeForward, type ForwardDecision, reachableTargets } from './authorization.ts';
export {
  DEFAULT_LIMITS,
  type GatewayConfig,
  type GatewayGrant,
  type GatewayLimits,
  type GatewayTarget,
  type GatewayUser,
  type TotpStepStore,
} from './config.ts';
export { withFileLock } from './file-lock.ts';
export {
  type AccessSpec,
  gatewayConfigFromDeployment,
  gatewayPaths,
} from './from-deployment.ts';
export { type GatewayStats, type RunningGateway, startGateway } from './gateway.ts';
export { addGrant, grantFileSource, listGrants, revokeGrants, type StoredGrant } from './grant-file.ts';
export { type HostKey, loadOrCreateHostKey } from './host-key.ts';
export { gatewayMetricsText } from './metrics.ts';
export {
  auditReportClient,
  checkReportTarget,
  normalizeFingerprint,
  REPORTER_NAME,
  ReportError,
  type ReportTarget,
} from './report-client.ts';
export { type SshConfigOptions, sshConfigFor } from './ssh-config.ts';
export { enrollTotp, readTotpSecret, totpSecretFile } from './totp-enrolment.ts';
export { fileTotpSteps, totpStepsFile } from './totp-steps.ts';
