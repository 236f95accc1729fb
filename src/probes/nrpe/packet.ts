import { crc32 } from 'node:zlib';

/**
 * NRPE packet framing, as nrpe 4.x (include/common.h) lays it out, all integers big-endian:
 *
 *   v2 (fixed 1036 bytes): version:int16 type:int16 crc32:uint32 result:int16 buffer[1024] pad[2]
 *   v4 (variable):         version:int16 type:int16 crc32:uint32 result:int16 alignment:int16
 *                          length:int32 buffer[length]
 *
 * The CRC32 (zlib's polynomial) covers the whole packet with the crc field (and, in v4, the
 * alignment field) zeroed. v2's two trailing bytes are C struct padding: they are sent and
 * covered by the CRC. v3 (which miscounted its own size) is not spoken: nrpe 4 accepts only v2
 * and v4 queries, and check_nrpe never sends v3 unless forced.
 */

export type NrpePacketVersion = 2 | 4;

export const QUERY_PACKET = 1;
export const RESPONSE_PACKET = 2;

/** version + type + crc32 + result: the part v2 and v4 share. */
export const COMMON_HEADER_BYTES = 10;
export const V2_BUFFER_BYTES = 1024;
export const V2_PACKET_BYTES = 1036;
export const V4_HEADER_BYTES = 16;
/** check_nrpe and nrpe refuse a v4 buffer larger than this. */
export const V4_MAX_BUFFER_BYTES = 65536;

/** The longest query each version carries (v2: 1023 bytes and a NUL; v4: nrpe's bound). */
export function maxQueryBytes(version: NrpePacketVersion): number {
  return version === 2 ? V2_BUFFER_BYTES - 1 : V4_MAX_BUFFER_BYTES - 1;
}

function sealCrc(packet: Buffer): Buffer {
  packet.writeUInt32BE(crc32(packet), 4);
  return packet;
}

/**
 * A query packet exactly as check_nrpe builds it: v2 is 1036 bytes with the NUL-padded query;
 * v4 carries the query and its NUL, padded so the packet is at least as long as a v2 one
 * (check_nrpe does this so that old daemons reading 1036 bytes never block).
 */
export function encodeQuery(version: NrpePacketVersion, query: string): Buffer {
  const text = Buffer.from(query, 'utf8');
  if (text.length > maxQueryBytes(version)) {
    throw new RangeError(
      `query is ${text.length} bytes, more than NRPE v${version} carries (${maxQueryBytes(version)})`,
    );
  }
  if (version === 2) {
    const packet = Buffer.alloc(V2_PACKET_BYTES);
    packet.writeInt16BE(2, 0);
    packet.writeInt16BE(QUERY_PACKET, 2);
    text.copy(packet, COMMON_HEADER_BYTES);
    return sealCrc(packet);
  }
  const size = Math.max(V4_HEADER_BYTES + text.length + 1, V2_PACKET_BYTES);
  const packet = Buffer.alloc(size);
  packet.writeInt16BE(4, 0);
  packet.writeInt16BE(QUERY_PACKET, 2);
  packet.writeInt32BE(size - V4_HEADER_BYTES, 12);
  text.copy(packet, V4_HEADER_BYTES);
  return sealCrc(packet);
}

/** A response packet as the nrpe daemon builds it; used by tests that play a daemon. */
export function encodeResponse(version: NrpePacketVersion, resultCode: number, output: string): Buffer {
  const text = Buffer.from(output, 'utf8');
  if (version === 2) {
    const packet = Buffer.alloc(V2_PACKET_BYTES);
    packet.writeInt16BE(2, 0);
    packet.writeInt16BE(RESPONSE_PACKET, 2);
    packet.writeInt16BE(resultCode, 8);
    text.copy(packet, COMMON_HEADER_BYTES, 0, Math.min(text.length, V2_BUFFER_BYTES - 1));
    return sealCrc(packet);
  }
  const packet = Buffer.alloc(V4_HEADER_BYTES + text.length + 1);
  packet.writeInt16BE(4, 0);
  packet.writeInt16BE(RESPONSE_PACKET, 2);
  packet.writeInt16BE(resultCode, 8);
  packet.writeInt32BE(text.length + 1, 12);
  text.copy(packet, V4_HEADER_BYTES);
  return sealCrc(packet);
}

export interface NrpePacket {
  version: number;
  type: number;
  resultCode: number;
  /** The buffer up to its first NUL (what check_nrpe prints). */
  text: string;
  /** CRC carried by the packet and the one computed over it: they differ on a corrupted packet. */
  crcSent: number;
  crcComputed: number;
}

/** What went wrong while reading a response, before any packet could be decoded. */
export type NrpeFramingProblem =
  | { kind: 'version'; version: number }
  | { kind: 'type'; type: number }
  | { kind: 'length'; length: number };

function textUntilNul(packet: Buffer, start: number, end: number): string {
  const nul = packet.indexOf(0, start);
  return packet.toString('utf8', start, nul >= 0 && nul < end ? nul : end);
}

/** Decodes one complete packet (v2: 1036 bytes; v4: 16 + length bytes). The input is not changed. */
export function decodePacket(bytes: Buffer): NrpePacket {
  const version = bytes.readInt16BE(0);
  const crcSent = bytes.readUInt32BE(4);
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(0, 4);
  let textEnd: number;
  if (version === 4) {
    copy.writeInt16BE(0, 10);
    textEnd = bytes.length;
  } else {
    // nrpe NUL-terminates the v2 buffer at its last byte whatever the sender put there.
    textEnd = COMMON_HEADER_BYTES + V2_BUFFER_BYTES - 1;
  }
  return {
    version,
    type: bytes.readInt16BE(2),
    resultCode: bytes.readInt16BE(8),
    text: textUntilNul(bytes, version === 4 ? V4_HEADER_BYTES : COMMON_HEADER_BYTES, textEnd),
    crcSent,
    crcComputed: crc32(copy),
  };
}

/**
 * Collects the bytes of one response packet as they arrive, in whatever chunks. `push` returns the
 * complete packet's bytes once they are all there, a framing problem as soon as the header shows
 * one (wrong version, wrong type, absurd length), or undefined while more bytes are needed.
 */
export class ResponseAssembler {
  readonly expectedVersion: NrpePacketVersion;
  #chunks: Buffer[] = [];
  #received = 0;
  #needed: number;

  constructor(expectedVersion: NrpePacketVersion) {
    this.expectedVersion = expectedVersion;
    this.#needed = expectedVersion === 2 ? V2_PACKET_BYTES : V4_HEADER_BYTES;
  }

  /** Bytes received so far. */
  get received(): number {
    return this.#received;
  }

  /** The first bytes received (up to n), for diagnosing what the peer sent instead of a packet. */
  head(n: number): Buffer {
    return Buffer.concat(this.#chunks, this.#received).subarray(0, n);
  }

  push(chunk: Buffer): Buffer | NrpeFramingProblem | undefined {
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    if (this.#received < COMMON_HEADER_BYTES) return undefined;
    const all = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#received);
    this.#chunks = [all];
    const version = all.readInt16BE(0);
    if (version !== this.expectedVersion) return { kind: 'version', version };
    const type = all.readInt16BE(2);
    if (type !== RESPONSE_PACKET) return { kind: 'type', type };
    if (this.expectedVersion === 4 && this.#needed === V4_HEADER_BYTES && this.#received >= V4_HEADER_BYTES) {
      const length = all.readInt32BE(12);
      if (length < 0 || length > V4_MAX_BUFFER_BYTES) return { kind: 'length', length };
      this.#needed = V4_HEADER_BYTES + length;
    }
    if (this.#received < this.#needed || (this.expectedVersion === 4 && this.#received < V4_HEADER_BYTES)) {
      return undefined;
    }
    return all.subarray(0, this.#needed);
  }
}
