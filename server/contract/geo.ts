/** Coordinates as both sides write them: WGS84 degrees, longitude first (RFC 7946). */

/** `[longitude, latitude]` in WGS84 degrees (RFC 7946 order). */
export type LngLat = [lng: number, lat: number];

/** `[west, south, east, north]` in WGS84 degrees. */
export type BBox = [west: number, south: number, east: number, north: number];
