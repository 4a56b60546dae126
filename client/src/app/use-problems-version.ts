import { useCallback, useEffect, useState } from 'react';
import { listenToProblemEvents } from '../api/ledger';

/**
 * A number that grows whenever problems change on the server (new reports, transitions: the event
 * stream), so a page keys its requests on it and refetches in place. A burst of events (a bulk
 * assignment) is one step after `delayMs`. `bump` steps it by hand, after the page's own write.
 */
export function useProblemsVersion(delayMs: number): [version: number, bump: () => void] {
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = listenToProblemEvents(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        bump();
      }, delayMs);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [bump, delayMs]);
  return [version, bump];
}
