/** The server's own state for the 系统管理 page: HTTPS and the addresses for phones, the CA, the backups. */
import type { SystemStatus } from '../../../server/contract/system';
import { call } from './http';

/** GET /api/system/status (administrators only). */
export function getSystemStatus(signal: AbortSignal): Promise<SystemStatus> {
  return call('GET /api/system/status', { signal });
}
