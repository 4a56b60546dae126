import { AppError, InputError, NotFoundError } from '../../errors';
import { FINISHED_STATUSES } from '../../contract/problem-status';
import { distanceM, type LngLat } from '../../contract/geo';
import { MediaFiles } from '../../media/media-files';
import type { Catalog } from '../../contract/catalog';
import type { Geometry } from '../../contract/geojson';
import type { IntakeForm, IntakeResponse, NearbyResponse } from '../../contract/intake';
import type { ProblemProps } from '../../contract/problems';
import type { Store } from '../../store/index';
import type { PlaceCandidate } from '../../store/workflow';
import { distanceToGeometryM, pointInGeometry } from '../../geo/geometry';
import { degreesAround, DUPLICATE_RADIUS_M, duplicateCandidates, recurrenceOf, RECURRENCE_RADIUS_M } from '../../workflow/nearby';
import { toCityIso } from '../../contract/city-time';
import { logEvent } from './events';
import { mediaRowOf, processAll, storeWithFiles, type ProcessedMedia, type UploadedFile } from '../media/media';
import { problemDetail } from './problems';
import { FAR_PHOTO_M, materialize, photoRef } from './workflow';
import type { WorkflowDeps } from './deps';

/** A report is linked to the nearest market, community or back street this close (metres). */
export const PLACE_LINK_RADIUS_M = 50;
/** Unit types that answer for a subdistrict's street problems, most responsible first. */
const SUBDISTRICT_UNIT_ORDER = ['urban-management', 'subdistrict-office'];

/** Where a point lies: subdistrict (point in polygon through the R*Tree), nearest place, responsible unit. */
export async function locate(
  store: Store,
  at: LngLat,
  placeId?: string,
): Promise<{ subdistrictId: string | null; place: (PlaceCandidate & { distanceM: number }) | null; unitId: string | null }> {
  const sd = (await store.subdistrictCandidates(at[0], at[1])).find((c) => pointInGeometry(at, JSON.parse(c.geometry) as Geometry));
  let place: (PlaceCandidate & { distanceM: number }) | null = null;
  if (placeId) {
    const p = await store.getPlace(placeId);
    if (!p)
      throw new InputError(`Invalid form.placeId: there is no market, community or back street "${placeId}"`, [
        { path: 'form.placeId', message: 'unknown place id' },
      ]);
    const q = p.properties;
    place = {
      id: p.id,
      kind: p.kind,
      name: p.name,
      address: (q.address as string | null | undefined) ?? null,
      subdistrictId: q.subdistrictId,
      unitId: q.unitId,
      geometry: JSON.stringify(p.geometry),
      distanceM: distanceToGeometryM(at, p.geometry),
    };
  } else {
    const { dLng, dLat } = degreesAround(at[1], PLACE_LINK_RADIUS_M);
    for (const c of await store.placeCandidates([at[0] - dLng, at[1] - dLat, at[0] + dLng, at[1] + dLat])) {
      const d = distanceToGeometryM(at, JSON.parse(c.geometry) as Geometry);
      if (d <= PLACE_LINK_RADIUS_M && (!place || d < place.distanceM)) place = { ...c, distanceM: d };
    }
  }
  const subdistrictId = sd?.id ?? place?.subdistrictId ?? null;
  let unitId = place?.unitId ?? null;
  if (!unitId && subdistrictId) {
    const units = await store.unitsOfSubdistrict(subdistrictId);
    unitId = SUBDISTRICT_UNIT_ORDER.map((t) => units.find((u) => u.type === t)).find(Boolean)?.id ?? units[0]?.id ?? null;
  }
  return { subdistrictId, place, unitId };
}

/** Open problems of the category near `at`, and the closed one a report there would recur. */
async function nearby(store: Store, category: string, at: LngLat, nowMs: number, duplicateRadiusM = DUPLICATE_RADIUS_M) {
  const r = Math.max(duplicateRadiusM, RECURRENCE_RADIUS_M);
  const { dLng, dLat } = degreesAround(at[1], r);
  const near = await store.problemsNear([at[0] - dLng, at[1] - dLat, at[0] + dLng, at[1] + dLat]);
  const duplicates = await Promise.all(
    duplicateCandidates(near, { category, at }, duplicateRadiusM).map(async (d) => {
      const p = (await store.workflowRow(d.id))!.props;
      return { id: d.id, distanceM: Math.round(d.distanceM * 10) / 10, status: p.status, reportedAt: p.reportedAt };
    }),
  );
  return { duplicates, recurrenceOf: recurrenceOf(near, { category, at, nowMs }) };
}

/** 422 for an Idempotency-Key sent again with a different report. */
export function reusedKey(): AppError {
  return new AppError(
    422,
    'This Idempotency-Key was already used for a different report. Make a new key (crypto.randomUUID()) for each report and reuse it only to retry that same report.',
  );
}

function checkCategory(catalog: Catalog, category: string): void {
  if (!catalog.categories.some((c) => c.id === category)) {
    throw new InputError(
      `Invalid form.category: "${category}" is not a category; GET /api/meta lists them (e.g. ${catalog.categories[0]?.id ?? 'occupy-road'})`,
      [{ path: 'form.category', message: 'unknown category id' }],
    );
  }
}

/** `GET /api/problems/nearby`: what a report at `at` would be linked to. */
export async function previewReport(
  store: Store,
  catalog: Catalog,
  q: { category: string; lng: number; lat: number },
  nowMs: number,
  duplicateRadiusM = DUPLICATE_RADIUS_M,
): Promise<NearbyResponse> {
  checkCategory(catalog, q.category);
  const at: LngLat = [q.lng, q.lat];
  const loc = await locate(store, at);
  return {
    ...(await nearby(store, q.category, at, nowMs, duplicateRadiusM)),
    subdistrictId: loc.subdistrictId,
    unitId: loc.unitId,
    place: loc.place ? { id: loc.place.id, kind: loc.place.kind, name: loc.place.name, distanceM: Math.round(loc.place.distanceM * 10) / 10 } : null,
  };
}

/**
 * Takes in one report: checks the photos (nothing is stored if one is refused), places it (subdistrict,
 * linked place, unit), links a recurrence, and in one transaction writes the problem, its first history
 * step, its photos, an event and the idempotency record. With `mergeInto` it adds the report to that
 * open problem instead (history step `merge`, photos kept).
 *
 * @returns the HTTP status (201 created, 200 merged) and the response body.
 */
export async function intakeReport(
  store: Store,
  catalog: Catalog,
  wf: WorkflowDeps,
  form: IntakeForm,
  files: readonly UploadedFile[],
  nowMs: number,
  idempotency: { key: string; fingerprint: string } | null,
  /** Open311 and hotline imports may come without photos; the web and field forms need one. */
  opts: { requirePhoto?: boolean } = {},
): Promise<{ status: 200 | 201; body: IntakeResponse }> {
  checkCategory(catalog, form.category);
  const city = await store.getCity();
  const at: LngLat = [form.lng, form.lat];
  if (city) {
    const [w, s, e, n] = city.bbox;
    if (at[0] < w || at[0] > e || at[1] < s || at[1] > n) {
      throw new InputError(`Invalid form.lng/lat: [${at.join(', ')}] lies outside ${city.name} (${city.bbox.join(', ')}); pick the spot on the map`, [
        { path: 'form.lng', message: 'outside the city' },
      ]);
    }
  }
  if (files.length === 0 && opts.requirePhoto !== false)
    throw new InputError('Invalid form.photos: a report needs at least one photo or clip', [
      { path: 'form.photos', message: 'add one or more photos or clips' },
    ]);
  if (form.mergeInto) {
    const target = await store.workflowRow(form.mergeInto);
    if (!target) throw new NotFoundError(`There is no problem "${form.mergeInto}" to merge into.`);
    if (FINISHED_STATUSES.includes(target.props.status) || target.mergedInto) {
      throw new InputError(`Invalid form.mergeInto: problem ${form.mergeInto} is closed; send the report without mergeInto (it becomes a recurrence)`, [
        { path: 'form.mergeInto', message: 'only an open problem can take a merged report' },
      ]);
    }
  }
  const loc = await locate(store, at, form.placeId);
  const photos = await processAll(files, wf);
  const mediaFiles = new MediaFiles(wf.mediaDir);
  const at8 = toCityIso(nowMs);

  const result = await storeWithFiles(mediaFiles, photos, () =>
    store.transaction(async () => {
      // Re-checked inside the transaction: another request may have finished the same key meanwhile.
      if (idempotency) {
        const done = await store.idempotentResponse(idempotency.key);
        if (done) return { replay: done };
      }
      const { duplicates, recurrenceOf: recurrence } = await nearby(store, form.category, at, nowMs, wf.duplicateRadiusM);
      let id: string;
      let status: 200 | 201;
      if (form.mergeInto) {
        id = form.mergeInto;
        status = 200;
        const target = (await store.workflowRow(id))!;
        await materialize(store, target);
        const seq = await store.appendHistory({
          problemId: id,
          at: at8,
          atMs: nowMs,
          action: 'merge',
          from: target.props.status,
          to: target.props.status,
          actor: form.reporter,
          note: form.description,
          unitId: null,
          deadline: null,
          data: { location: at, source: form.source, placeId: loc.place?.id ?? null },
          derived: false,
        });
        await linkPhotos(store, id, photos, seq, [target.lng, target.lat], at8);
        await logEvent(store, 'problem.merged', at8, { id, at: at8 });
      } else {
        id = await store.nextProblemId();
        status = 201;
        const props: ProblemProps = {
          id,
          category: form.category,
          description: form.description,
          status: 'reported',
          reportedAt: at8,
          assignedAt: null,
          deadline: null,
          rectifiedAt: null,
          closedAt: null,
          subdistrictId: loc.subdistrictId,
          unitId: loc.unitId,
          placeId: loc.place?.id ?? null,
          recurrenceOf: recurrence,
          noticeNo: null,
          source: form.source,
          reporter: form.reporter,
        };
        await store.insertProblem({ lng: at[0], lat: at[1], props, location: [loc.place?.name, loc.place?.address].filter(Boolean).join(' ') });
        const seq = await store.appendHistory({
          problemId: id,
          at: at8,
          atMs: nowMs,
          action: 'report',
          from: null,
          to: 'reported',
          actor: form.reporter,
          note: form.description,
          unitId: loc.unitId,
          deadline: null,
          data: recurrence ? { recurrenceOf: recurrence } : null,
          derived: false,
        });
        await linkPhotos(store, id, photos, seq, at, at8);
        await logEvent(store, 'problem.created', at8, {
          id,
          category: form.category,
          lng: at[0],
          lat: at[1],
          status: 'reported',
          reportedAt: at8,
          recurrenceOf: recurrence,
        });
      }
      const body: IntakeResponse = {
        problem: await problemDetail(store, catalog, id, nowMs),
        mergedInto: form.mergeInto ?? null,
        duplicates: duplicates.filter((d) => d.id !== id),
        photos: (await store.problemMedia(id)).filter((m) => photos.some((p) => p.hash === m.hash)).map(photoRef),
      };
      if (idempotency) await store.putIdempotentResponse(idempotency.key, idempotency.fingerprint, status, JSON.stringify(body), at8);
      return { status, body };
    }),
  );
  if ('replay' in result && result.replay) {
    if (result.replay.fingerprint !== idempotency?.fingerprint) throw reusedKey();
    return { status: result.replay.status as 200 | 201, body: JSON.parse(result.replay.body) as IntakeResponse };
  }
  wf.hub.notify();
  return result as { status: 200 | 201; body: IntakeResponse };
}

async function linkPhotos(store: Store, id: string, photos: readonly ProcessedMedia[], seq: number, where: LngLat, at: string): Promise<void> {
  for (const p of photos) {
    await store.putMedia(mediaRowOf(p), at);
    const d = p.gps ? distanceM(p.gps, where) : null;
    await store.linkMedia(id, p.hash, 'before', seq, d, d !== null && d > FAR_PHOTO_M, at);
  }
}
