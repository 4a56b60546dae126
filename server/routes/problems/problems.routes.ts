import type { Context, TypedResponse } from 'hono';
import { actorOf, principalOf, scopedQuery, scopeKey, unitScope } from '../../auth/middleware';
import { bilingual, ForbiddenError, InputError } from '../../errors';
import type { ProblemCollection } from '../../contract/problems';
import type { HistoryResponse } from '../../contract/workflow';
import { listProblemsJson, problemDetail, problemsVersion } from '../../services/problems/problems';
import { etagOf, setEtag } from '../../http/etag';
import { mayMoveTo } from '../../contract/problem-status';
import { ANONYMOUS_ACTOR, applyTransition, bulkAssign, mergeProblems, problemHistory } from '../../services/problems/workflow';
import { previewReport } from '../../services/problems/intake';
import { rectificationNotice } from '../../services/documents/documents';
import { photoBodyLimit } from '../upload';
import type { WorkflowDeps } from '../../services/problems/deps';
import { createProblem } from './intake';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';
import { ownProblemGuard } from './own-problem';

/** A refused step's 409 body: the refusal and the last step (who moved it, when), for the field page's conflict notice. */
function conflictBody(error: string, h: HistoryResponse) {
  const last = h.history.at(-1);
  return { error, status: h.status, allowed: h.allowed, last: last ? { at: last.at, actor: last.actor, action: last.action, to: last.to } : null };
}

/**
 * A wall screen shows categories, places and counts, not what people wrote or who they are: its problem
 * reads come without description and reporter (the ticker's few descriptions come with the summary).
 */
const screenReader = (c: Context): boolean => principalOf(c)?.kind === 'screen';

/** `GET /api/problems`, `GET /api/problems/:id` and the workflow routes under them. */
export function problemsRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const ownProblem = ownProblemGuard(deps);
  return (
    declareRoutes()
      .route('GET /api/problems', async (c) => {
        const query = c.req.valid('query');
        const redact = screenReader(c);
        const now = deps.now();
        // The query is in the URL the browser keys its copy on; the caller's scope and the grids' outlines are not.
        const scope = redact ? 'screen' : scopeKey(c);
        const tag = etagOf(
          'problems',
          await problemsVersion(deps.store, now),
          query.grid?.length ? `${scope}|${(await deps.store.gridArea(query.grid)).key}` : scope,
        );
        if (setEtag(c, tag, 'no-cache')) return c.body(null, 304);
        const q = scopedQuery(c, query);
        // A grid's outline is tested row by row: in the pool.
        const json = query.grid?.length
          ? (await deps.pool.run('problems.page', { q, nowMs: now, redact }, { signal: c.req.raw.signal })).bytes
          : await listProblemsJson(deps.store, q, now, redact);
        // NOTE: the body is JSON bytes made by the store; the cast gives hc<AppType> the type c.json would.
        return c.body(json as Uint8Array<ArrayBuffer>, 200, {
          'Content-Type': 'application/json; charset=UTF-8',
        }) as unknown as TypedResponse<ProblemCollection, 200, 'json'>;
      })
      // Before '/:id', which would take "nearby" for an id.
      .route('GET /api/problems/nearby', async (c) =>
        c.json(await previewReport(deps.store, deps.catalog, c.req.valid('query'), deps.now(), wf.duplicateRadiusM), 200),
      )
      .route('POST /api/problems', photoBodyLimit(wf.maxPhotoBytes, wf.video.maxBytes), async (c) => createProblem(c, deps, wf))
      .route('GET /api/problems/:id', async (c) => {
        c.header('Cache-Control', 'no-cache');
        await ownProblem(c, c.req.valid('param').id);
        return c.json(await problemDetail(deps.store, deps.catalog, c.req.valid('param').id, deps.now(), screenReader(c)));
      })
      .route('GET /api/problems/:id/history', async (c) => {
        c.header('Cache-Control', 'no-cache');
        await ownProblem(c, c.req.valid('param').id);
        return c.json(await problemHistory(deps.store, c.req.valid('param').id, deps.now()));
      })
      .route('POST /api/problems/:id/transitions', async (c) => {
        const { expect, ...body } = c.req.valid('json');
        const id = c.req.valid('param').id;
        await ownProblem(c, id);
        const p = principalOf(c);
        // The policy table: a responsible unit reports its own rectification; the rest is the office's.
        if (p && !mayMoveTo(p.role, body.to)) {
          throw new ForbiddenError('责任单位只能提交整改结果。 / A responsible unit may only report its rectification (to: rectified).');
        }
        // A unit's evidence is what it photographed itself, not any photo it can name.
        if (unitScope(c) && p?.kind === 'user') {
          for (const [i, hash] of (body.photos ?? []).entries()) {
            if (!(await deps.store.uploadedBy(hash, p.userId))) {
              throw new InputError(
                bilingual(
                  `第 ${i + 1} 张照片不是本账号上传的：请上传整改后的现场照片。`,
                  `Invalid json.photos.${i}: photo ${hash} was not uploaded by this account; upload your own photo of the rectified site.`,
                ),
                [{ path: `json.photos.${i}`, message: 'not uploaded by this account' }],
              );
            }
          }
        }
        const actor = actorOf(c, body.actor);
        // Check and step run in this one synchronous handler: nothing can move the problem in between.
        if (expect !== undefined) {
          const before = await problemHistory(deps.store, id, deps.now());
          if (before.status !== expect) {
            const last = before.history.at(-1) ?? null;
            // A queued step whose answer was lost is sent again: it is the last step already, by the same person.
            if (last && !last.derived && last.from === expect && last.to === body.to && last.actor === (actor ?? ANONYMOUS_ACTOR)) return c.json(before, 200);
            return c.json(
              conflictBody(
                `问题已不是「${expect}」状态（现为「${before.status}」）。 / Problem ${id} is ${before.status} now, not ${expect} as expected: someone moved it meanwhile; reload it before acting.`,
                before,
              ),
              409,
            );
          }
        }
        const out = await applyTransition(deps.store, deps.catalog, wf.hub, id, { ...body, actor }, deps.now());
        if ('refused' in out) return c.json(conflictBody(out.error, await problemHistory(deps.store, id, deps.now())), 409);
        return c.json(out, 200);
      })
      .route('POST /api/problems/:id/merge', async (c) => {
        const body = c.req.valid('json');
        return c.json(await mergeProblems(deps.store, wf.hub, c.req.valid('param').id, { ...body, actor: actorOf(c, body.actor) }, deps.now()), 200);
      })
      .route('GET /api/problems/:id/notice', async (c) => {
        await ownProblem(c, c.req.valid('param').id);
        return c.html(await rectificationNotice(deps.store, deps.catalog, c.req.valid('param').id, deps.now()));
      })
      .route('POST /api/problems/assign', async (c) => {
        const body = c.req.valid('json');
        const out = await bulkAssign(deps.store, deps.catalog, wf.hub, { ...body, actor: actorOf(c, body.actor) }, deps.now());
        if ('refused' in out) return c.json({ error: out.error, status: out.status, allowed: out.allowed, id: out.id }, 409);
        return c.json(out, 200);
      }).app
  );
}
