/**
 * 曝光前打码: a photo's or clip's check before it is shown in public (the 暗访片, the big screen, the
 * 通报). The original stays untouched; a blurred check makes a copy with a mosaic over the rectangles.
 * Planners only (the contract's access); errors are ApiErrors with the server's sentence.
 */
import type { Redaction, RedactionInput } from '../../../server/contract';
import { call } from './http';

export type { Redaction, RedactionInput };

/** GET /api/media/:hash/redaction: the check, or null when nobody checked it yet. */
export function getRedaction(hash: string, signal?: AbortSignal): Promise<Redaction | null> {
  return call('GET /api/media/:hash/redaction', { params: { hash }, signal });
}

/**
 * PUT /api/media/:hash/redaction: blurred (at least one region; the server makes the copy, a second or
 * two for a 12 MP photo), clear or excluded (no regions). A clip takes only clear or excluded (422).
 */
export function putRedaction(hash: string, body: RedactionInput, signal?: AbortSignal): Promise<Redaction> {
  return call('PUT /api/media/:hash/redaction', { params: { hash }, body, signal });
}

/** DELETE /api/media/:hash/redaction: unchecked again (204, also when it never was checked). */
export function deleteRedaction(hash: string, signal?: AbortSignal): Promise<void> {
  return call('DELETE /api/media/:hash/redaction', { params: { hash }, signal });
}
