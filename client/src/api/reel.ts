/** The evidence reel (暗访片): the problems of a period and place with their photos and clips. */
import type { Api } from '../../../server/contract/api';
import type { QueryOf } from '../../../server/contract/endpoint';
import type { Reel } from '../../../server/contract/reel';
import { call } from './http';

export type { Reel, ReelMedia, ReelSlide } from '../../../server/contract/reel';

/** The query of GET /api/screen/reel as the contract declares it (lists comma-joined, limit and reviewed as text). */
export type ReelRequest = QueryOf<Api['GET /api/screen/reel']>;

/** GET /api/screen/reel: the reel's problems, the earliest report first, with the counts its title card says. */
export function getReel(query: ReelRequest, signal: AbortSignal): Promise<Reel> {
  return call('GET /api/screen/reel', { query, signal });
}
