export { createApiToken, hashToken, TOKEN_ROLES, type TokenRole } from './api-tokens.ts';
export { buildServer, OPENAPI_INFO, type ServerOptions } from './server.ts';
export { parseTimeParam } from './time-param.ts';
export { ensureTlsMaterial, type TlsMaterial } from './tls.ts';
