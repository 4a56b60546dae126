/** 网格 (GET/POST/PATCH/DELETE /api/grids, POST /api/grids/import): the one module that calls them. */
import { call, callForm } from './http';

type Body<K extends 'POST /api/grids' | 'PATCH /api/grids/:id'> = Parameters<typeof call<K>>[1]['body'];

export function listGrids(signal: AbortSignal) {
  return call('GET /api/grids', { signal });
}

export function createGrid(body: Body<'POST /api/grids'>) {
  return call('POST /api/grids', { body });
}

export function patchGrid(id: string, body: Body<'PATCH /api/grids/:id'>) {
  return call('PATCH /api/grids/:id', { params: { id }, body });
}

export function deleteGrid(id: string) {
  return call('DELETE /api/grids/:id', { params: { id } });
}

export function importGrids(file: File) {
  return callForm('POST /api/grids/import', { fields: { file: [file] } });
}
