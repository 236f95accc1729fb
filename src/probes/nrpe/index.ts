/**
 * NRPE: checks run by the nrpe daemon on a host, asked for over NRPE v4/v2 (with TLS as nrpe ships
 * it), without forking check_nrpe.
 */

export type { NrpeTls } from './nrpe-tls.ts';
export { ANONYMOUS_DH_CIPHERS, clearNrpeTlsCache } from './nrpe-tls.ts';
export type { NrpePacket, NrpePacketVersion } from './packet.ts';
export { decodePacket, encodeQuery, encodeResponse, V2_PACKET_BYTES } from './packet.ts';
export { buildQuery, NRPE_MAX_ARGUMENTS, NRPE_NASTY_METACHARS } from './query.ts';
export type { NrpeProbe, NrpeRunOptions } from './run-nrpe.ts';
export { runNrpe } from './run-nrpe.ts';
