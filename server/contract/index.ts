/** Every request/response schema; pure, so the client may import it (types and constants). */
export * from './common';
export * from './geojson';
export * from './layers';
export * from './city';
export * from './catalog';
export * from './problems';
export * from './places';
export * from './meta';
export * from './tiles';
export * from './routing';
export * from './auth';
export * from './plans';
export * from './hotspots';
export * from './workflow';
export * from './media';
export * from './intake';
export * from './rankings';
