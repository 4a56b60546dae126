/**
 * The `GET /api/problems` queries whose answers tests/fixtures/problems-geojson-before.json holds, as the
 * server answered them before the page went out as bytes (commit 253f573); the GeoJSON test asks them again.
 */
export const PROBLEM_QUERIES = [
  '/api/problems',
  '/api/problems?limit=3',
  '/api/problems?limit=3&cursor=MTc3Mzg4MDIwMDAwMHxwMDQ',
  '/api/problems?bbox=115.982,36.446,115.986,36.45',
  '/api/problems?bbox=115.97,36.44,115.99,36.46',
  '/api/problems?bbox=115.97,36.44,115.99,36.46&limit=2',
  '/api/problems?status=overdue',
  '/api/problems?status=assigned,reported&category=occupy-road',
  '/api/problems?subdistrict=sd02&from=2026-02-01',
  '/api/problems?bbox=100,10,101,11',
] as const;
