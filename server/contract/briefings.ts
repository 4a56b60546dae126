import { z } from 'zod';
import { errorResponses, timeParam } from './common';
import { endpoints } from './endpoint';
import { PLANNERS } from './roles';

/** `GET /api/briefings/weekly` query. */
export const BriefingQuery = z
  .object({
    subdistrict: z.string().min(1).optional().meta({ description: 'subdistrict id, e.g. sd01' }),
    district: z.string().min(1).optional().meta({ description: 'or a district (区/县) id, e.g. dt01: its 通报, with its subdistricts ranked' }),
    week: timeParam('start', 'any day of the week (Monday–Sunday, city time); default: last week', '2026-03-16').optional(),
  })
  .refine((q) => (q.subdistrict === undefined) !== (q.district === undefined), {
    message: 'give subdistrict or district (one of them)',
    path: ['subdistrict'],
  });

/** The printable weekly 通报. */
export const BRIEFINGS_API = endpoints({
  'GET /api/briefings/weekly': {
    tag: 'rankings',
    summary: 'Printable weekly 通报 of a subdistrict (HTML): counts, rates, rank, units’ red/black list, overdue list and recurrences with photos',
    access: PLANNERS,
    query: BriefingQuery,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(400, 404) },
  },
});
