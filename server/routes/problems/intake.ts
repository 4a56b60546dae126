import type { Context } from 'hono';
import { InputError } from '../../errors';
import { IntakeForm, type IntakeResponse } from '../../schemas/intake';
import { intakeReport } from '../../services/workflow-intake';
import type { WorkflowDeps } from '../../services/workflow-deps';
import type { RouteDeps } from '../deps';
import { readMultipart } from '../upload';
import { inputErrorFrom } from '../validate';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST /api/problems`. With an Idempotency-Key, a retry gets the first response: from the store once
 * the first request committed, or by waiting for it while it still runs (concurrent retries).
 */
export async function createProblem(c: Context, deps: RouteDeps, wf: WorkflowDeps) {
  const key = c.req.header('Idempotency-Key')?.toLowerCase() ?? null;
  if (key !== null && !UUID_RE.test(key)) {
    throw new InputError('Invalid header.idempotency-key: use a UUID (crypto.randomUUID()) per report, the same one for every retry', [
      { path: 'header.idempotency-key', message: 'must be a UUID' },
    ]);
  }
  const replay = (r: { status: number; body: string }) =>
    c.body(r.body, r.status as 200, { 'Content-Type': 'application/json; charset=UTF-8', 'Idempotent-Replayed': 'true' });

  if (key) {
    const done = deps.store.idempotentResponse(key);
    if (done) return replay(done);
    const running = wf.inFlight.get(key);
    if (running) {
      // The first request's own error (a refused photo …) is its answer; this retry then runs afresh.
      await running.catch((err: unknown) => err);
      const after = deps.store.idempotentResponse(key);
      if (after) return replay(after);
    }
  }

  const run = (async (): Promise<{ status: 200 | 201; body: IntakeResponse }> => {
    const { fields, files } = await readMultipart(c);
    const parsed = IntakeForm.safeParse(fields);
    if (!parsed.success) throw inputErrorFrom('form', parsed.error);
    return intakeReport(deps.store, deps.catalog, wf, parsed.data, files, deps.now(), key);
  })();
  if (key) wf.inFlight.set(key, run);
  try {
    const out = await run;
    return c.json(out.body, out.status);
  } finally {
    if (key && wf.inFlight.get(key) === run) wf.inFlight.delete(key);
  }
}
