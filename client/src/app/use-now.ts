import { useEffect, useState } from 'react';

/** `Date.now()`, taken again every `ms`: a clock on the page, a stale mark, a position's fade. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
