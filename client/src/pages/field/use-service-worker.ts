/**
 * Makes the page work offline and installable: registers the service worker and adds the web app
 * manifest. Only the field page does; other pages neither install the worker nor offer the manifest.
 */
import { useEffect } from 'react';

export function useServiceWorker(): void {
  useEffect(() => {
    // A browser that refuses the worker (private mode, no HTTPS) still shows the page; it just is not offline-ready.
    if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    // The manifest makes the field page installable (home screen, full screen).
    if (!document.querySelector('link[rel="manifest"]')) {
      const link = document.createElement('link');
      link.rel = 'manifest';
      link.href = '/field.webmanifest';
      document.head.append(link);
    }
  }, []);
}
