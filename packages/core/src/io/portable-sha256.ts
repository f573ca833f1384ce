import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Hex SHA-256 of `data` without node:crypto (a page has only the asynchronous WebCrypto digest, and
 * tfjs's IO handlers need the checksum synchronously); text is hashed as UTF-8, as Node hashes it.
 */
export function portableSha256(data: Uint8Array | string): string {
  return bytesToHex(nobleSha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}
