export { buildServer, OPENAPI_INFO, type ServerOptions } from './server.ts';
export { ensureTlsMaterial, type TlsMaterial } from './tls.ts';
export { createApiToken, hashToken, TOKEN_ROLES, type TokenRole } from './api-tokens.ts';
export { parseTimeParam } from './time-param.ts';
