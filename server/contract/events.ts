import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { READERS } from './roles';

/** `GET /api/events` query. */
export const EventsQuery = z.object({
  since: z
    .string()
    .regex(/^\d+$/, 'since must be an event id (a whole number)')
    .transform(Number)
    .optional()
    .meta({ description: 'replay events after this id (what the Last-Event-ID header does on a reconnect)' }),
});

/** The workflow's event stream. */
export const EVENTS_API = endpoints({
  'GET /api/events': {
    tag: 'workflow',
    summary: 'Server-sent events: new problems (problem.created), merges (problem.merged), transitions (problem.transition) and team positions (team.position)',
    description:
      'Each event has an `id` (growing). A reconnect with `Last-Event-ID` (EventSource does it by itself) or `?since=` ' +
      'first replays every event after that id from the event log, so nothing is missed. Without either the stream ' +
      'starts at now. The first message is `ready` with the current last id. The stream holds what the caller may read: ' +
      'a unit account gets the events of its own problems only (no team positions); a district account its district’s; a screen token the fields the screen shows, and a replay ' +
      'of at most the last 200 events.',
    access: READERS,
    query: EventsQuery,
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream' }, ...errorResponses(400) },
  },
});
