/**
 * Record ids: RFC 4122 version-4 UUIDs. `crypto.randomUUID` exists only in a secure context (HTTPS or
 * localhost); a phone on `http://<server address>` has only `crypto.getRandomValues`, and its records
 * must still get ids the server accepts as idempotency keys, so the same layout is built from 16 random bytes.
 */

/** The part of `Crypto` an id needs: `randomUUID` is optional, as it is over plain HTTP. */
export interface IdSource {
  randomUUID?: () => string;
  getRandomValues<T extends Uint8Array<ArrayBuffer>>(array: T): T;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A UUID in the RFC 4122 v4 layout from 16 bytes (the version and variant bits are set here). */
export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`a UUID takes 16 bytes, got ${bytes.length}`);
  const b = Uint8Array.from(bytes);
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10xx (RFC 4122)
  const h = Array.from(b, (x) => HEX[x]);
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

/**
 * A new random UUID (v4): `randomUUID` where the browser has it, else one from `getRandomValues`.
 * @example newUuid() // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function newUuid(source: IdSource = globalThis.crypto): string {
  // Called as a method: detached from its Crypto object, randomUUID throws "Illegal invocation".
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  return uuidFromBytes(source.getRandomValues(new Uint8Array(16)));
}
