/** The Sender of the field page's record queue: posts each kind of record with its UUID as the idempotency key. */
import { ApiError } from '../../api/client';
import { postCheck, postExpectedTransition } from '../../api/field';
import { postReport } from '../../api/ledger';
import { postTrack } from '../../api/tracks';
import { ConflictError, SendError, type Sender } from '../../lib/sync-queue';

const passing = (status: number) => status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

/**
 * Sends a queued record: a report (multipart, its UUID as the Idempotency-Key), a stop's check results
 * (POST /api/checks, the UUID in the body), a look-back (a transition with the status I saw) or a batch
 * of track fixes (POST /api/tracks, each point's UUID its key, so a batch resent stores nothing twice).
 * Could-not-connect, an ended session (401: sign in again and it goes), timeouts, rate limits and 5xx
 * are passing (retried with backoff); a look-back the problem's status no longer allows is a
 * ConflictError; any other refusal (a track batch's 400 too) is permanent and shown with the server's
 * sentence.
 */
export const sendRecord: Sender = async (record) => {
  try {
    switch (record.kind) {
      case 'report': {
        const p = record.payload;
        const photos = p.photos.map((b, i) => (b instanceof File ? b : new File([b], `photo-${i + 1}.jpg`, { type: b.type || 'image/jpeg' })));
        const out = await postReport(
          { category: p.category, lng: p.lng, lat: p.lat, description: p.description, reporter: p.reporter, source: p.source },
          photos,
          record.id,
        );
        return out.mergedInto ?? out.problem.id;
      }
      case 'check': {
        const p = record.payload;
        const out = await postCheck({
          id: record.id,
          ...(p.planId ? { planId: p.planId } : {}),
          pointId: p.pointId,
          items: p.items,
          at: p.at,
          ...(p.lngLat ? { lngLat: p.lngLat } : {}),
          problemIds: p.problemIds,
        });
        return out.id;
      }
      case 'transition': {
        const p = record.payload;
        const out = await postExpectedTransition(p.problemId, { to: p.to, expect: p.expect, note: p.note });
        if ('conflict' in out) {
          const c = out.conflict;
          throw new ConflictError({ message: c.error, status: c.status, by: c.last?.actor ?? null, at: c.last?.at ?? null, to: c.last?.to ?? null });
        }
        return `${p.problemId} → ${out.history.status}`;
      }
      case 'track': {
        const p = record.payload;
        const out = await postTrack({ planId: p.planId, team: p.team, points: p.points });
        // How many of the batch the server holds (stored now or before): the rest it dropped as a GPS jump, too vague or out of time.
        return String(out.stored + out.duplicates);
      }
    }
  } catch (err) {
    if (err instanceof ApiError) throw new SendError(err.message, !passing(err.status));
    throw err;
  }
};
