import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { InputError } from '../../errors';
import { IntakeForm, type IntakeResponse } from '../../contract/intake';
import type { UploadedFile } from '../../services/media/media';
import { intakeReport, reusedKey } from '../../services/problems/intake';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { readMultipart } from '../upload';
import { inputErrorFrom } from '../validate';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SHA-256 over the form fields (sorted) and each file's bytes: what makes two requests "the same report". */
function fingerprintOf(fields: Record<string, string>, files: readonly UploadedFile[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));
  for (const f of files) h.update(createHash('sha256').update(f.data).digest());
  return h.digest('hex');
}

/**
 * `POST /api/problems`. With an Idempotency-Key, a retry of the same report gets the first response:
 * from the store once the first request committed, or by waiting for it while it still runs (concurrent
 * retries). The same key with a different report is refused (422).
 */
export async function createProblem(c: Context, deps: RouteDeps, wf: WorkflowDeps) {
  const key = c.req.header('Idempotency-Key')?.toLowerCase() ?? null;
  if (key !== null && !UUID_RE.test(key)) {
    throw new InputError('Invalid header.idempotency-key: use a UUID (crypto.randomUUID()) per report, the same one for every retry', [
      { path: 'header.idempotency-key', message: 'must be a UUID' },
    ]);
  }
  const { fields, files } = await readMultipart(c);
  const fingerprint = fingerprintOf(fields, files);
  const replay = (r: { status: number; body: string; fingerprint: string }) => {
    if (r.fingerprint !== fingerprint) throw reusedKey();
    return c.body(r.body, r.status as 200, { 'Content-Type': 'application/json; charset=UTF-8', 'Idempotent-Replayed': 'true' });
  };

  if (key) {
    const done = await deps.store.idempotentResponse(key);
    if (done) return replay(done);
    const running = wf.inFlight.get(key);
    if (running) {
      if (running.fingerprint !== fingerprint) throw reusedKey();
      // The first request's own error (a refused photo …) is its answer; this retry then runs afresh.
      await running.done.catch((err: unknown) => err);
      const after = await deps.store.idempotentResponse(key);
      if (after) return replay(after);
    }
  }

  const run = (async (): Promise<{ status: 200 | 201; body: IntakeResponse }> => {
    const parsed = IntakeForm.safeParse(fields);
    if (!parsed.success) throw inputErrorFrom('form', parsed.error);
    return intakeReport(deps.store, deps.catalog, wf, parsed.data, files, deps.now(), key ? { key, fingerprint } : null);
  })();
  const entry = { done: run, fingerprint };
  if (key) wf.inFlight.set(key, entry);
  try {
    const out = await run;
    return c.json(out.body, out.status);
  } finally {
    if (key && wf.inFlight.get(key) === entry) wf.inFlight.delete(key);
  }
}
