export type { BodyMatcher } from './body-matcher.ts';
export { parseBodyMatcher } from './body-matcher.ts';
export type { CertificateFacts, CertificateVerdict } from './certificate.ts';
export { certificateFacts, evaluateCertificate } from './certificate.ts';
export type { HttpExchange, HttpExpectations, HttpVerdict } from './evaluate-response.ts';
export { evaluateHttpExchange } from './evaluate-response.ts';
export type { HttpRunContext } from './http-probe.ts';
export { MAX_BODY_BYTES, runHttp } from './http-probe.ts';
