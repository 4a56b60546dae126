/** Errors of the road engine, mapped to HTTP by `app.onError` through AppError.status. */
import { AppError, bilingual } from '../errors';
import type { Profile } from './profiles';

const PROFILE_ZH: Record<Profile, string> = { walk: '步行', ebike: '电动自行车', car: '汽车' };

/**
 * A point lies farther than the snapping limit from every road the profile may use (422).
 * `pointIndex` is the position of the point in the request (0-based), or null for a single point.
 */
export class SnapError extends AppError {
  readonly point: readonly [number, number];
  readonly pointIndex: number | null;
  readonly distanceM: number | null;
  constructor(point: readonly [number, number], pointIndex: number | null, profile: Profile, limitM: number, distanceM: number | null) {
    const name = pointIndex === null ? `[${point[0]}, ${point[1]}]` : `#${pointIndex} [${point[0]}, ${point[1]}]`;
    const far = distanceM === null ? `more than ${limitM} m` : `${Math.round(distanceM)} m`;
    const farZh = distanceM === null ? `超过 ${limitM} 米` : `${Math.round(distanceM)} 米`;
    super(
      422,
      bilingual(
        `点 ${name} 距路网中最近可${PROFILE_ZH[profile]}通行的道路 ${farZh}（上限 ${limitM} 米），请把它移到道路附近。`,
        `Point ${name} is ${far} from the nearest road of the connected network usable by ${profile} (limit ${limitM} m): move it next to a street.`,
      ),
    );
    this.point = point;
    this.pointIndex = pointIndex;
    this.distanceM = distanceM;
  }
}

/** Two snapped points have no route between them for the profile (422). */
export class NoRouteError extends AppError {
  constructor(message: string) {
    super(422, message);
  }
}
