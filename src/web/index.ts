export {
  type ApiRole,
  createApiToken,
  hashToken,
  REPORTER_ROLES,
  TOKEN_ROLES,
  type TokenRole,
} from './api-tokens.ts';
export { AUDIT_INGEST_PATH, MAX_INGEST_BATCH, REPORTER_NAME } from './audit/audit-ingest.ts';
export { buildServer, OPENAPI_INFO, type ServerOptions } from './server.ts';
export { parseTimeParam } from './time-param.ts';
export { ensureTlsMaterial, type TlsMaterial } from './tls.ts';
