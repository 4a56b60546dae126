/**
 * TSPLIB95 reader (TSP, ATSP and the OPLib orienteering extension) with the distance functions of the
 * TSPLIB95 document, section 2: integer distances rounded exactly as the published optima assume.
 */

export interface TsplibInstance {
  name: string;
  type: string;
  dimension: number;
  edgeWeightType: string;
  edgeWeightFormat: string | null;
  /** Row-major integer distances, `dimension × dimension`. */
  matrix: Int32Array;
  /** OPLib: node scores (0-based by node), cost limit and depot (0-based). */
  scores: Float64Array | null;
  costLimit: number | null;
  depot: number | null;
}

const SECTIONS = new Set([
  'NODE_COORD_SECTION',
  'EDGE_WEIGHT_SECTION',
  'DISPLAY_DATA_SECTION',
  'NODE_SCORE_SECTION',
  'DEPOT_SECTION',
  'FIXED_EDGES_SECTION',
  'TOUR_SECTION',
  'DEMAND_SECTION',
]);

/** nint() of the TSPLIB document: round half up. */
const nint = (x: number): number => Math.floor(x + 0.5);

/** Euclidean distance rounded to the nearest integer (EUC_2D). */
export function euc2d(dx: number, dy: number): number {
  return nint(Math.sqrt(dx * dx + dy * dy));
}

/** Euclidean distance rounded up (CEIL_2D). */
export function ceil2d(dx: number, dy: number): number {
  return Math.ceil(Math.sqrt(dx * dx + dy * dy));
}

/** Pseudo-Euclidean distance (ATT): ceil of sqrt((dx²+dy²)/10) computed the TSPLIB way. */
export function att(dx: number, dy: number): number {
  const r = Math.sqrt((dx * dx + dy * dy) / 10);
  const t = nint(r);
  return t < r ? t + 1 : t;
}

const GEO_PI = 3.141592;
const GEO_RRR = 6378.388;

/** DDD.MM coordinate → radians, as the TSPLIB reference code does (degrees truncated, not rounded). */
export function geoRadians(x: number): number {
  const deg = Math.trunc(x);
  const min = x - deg;
  return (GEO_PI * (deg + (5.0 * min) / 3.0)) / 180.0;
}

/** Geographical distance in km (GEO), with the TSPLIB truncation `(int)(RRR * acos(...) + 1.0)`. */
export function geo(latI: number, lonI: number, latJ: number, lonJ: number): number {
  const q1 = Math.cos(lonI - lonJ);
  const q2 = Math.cos(latI - latJ);
  const q3 = Math.cos(latI + latJ);
  return Math.trunc(GEO_RRR * Math.acos(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)) + 1.0);
}

/** Parse a TSPLIB text. Throws with the offending key when the file uses an unsupported variant. */
export function parseTsplib(text: string): TsplibInstance {
  const header = new Map<string, string>();
  const sections = new Map<string, number[]>();
  let current: number[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line === 'EOF') continue;
    const word = line.split(/[\s:]+/)[0];
    if (SECTIONS.has(word)) {
      current = [];
      sections.set(word, current);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0 && /^[A-Z_]+\s*$/.test(line.slice(0, colon))) {
      header.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      current = null;
      continue;
    }
    if (current) {
      for (const tok of line.split(/\s+/)) if (tok !== '') current.push(Number(tok));
    }
  }
  const dimension = Number(header.get('DIMENSION'));
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error('TSPLIB file has no valid DIMENSION line: add "DIMENSION: <n>"');
  const type = (header.get('TYPE') ?? 'TSP').split(/\s/)[0];
  const ewt = header.get('EDGE_WEIGHT_TYPE') ?? '';
  const ewf = header.get('EDGE_WEIGHT_FORMAT') ?? null;
  const n = dimension;
  const matrix = new Int32Array(n * n);
  if (ewt === 'EXPLICIT') {
    const w = sections.get('EDGE_WEIGHT_SECTION');
    if (!w) throw new Error('EXPLICIT edge weights need an EDGE_WEIGHT_SECTION');
    let k = 0;
    const set = (i: number, j: number): void => {
      const v = w[k++];
      matrix[i * n + j] = v;
      matrix[j * n + i] = v;
    };
    switch (ewf) {
      case 'FULL_MATRIX':
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = w[k++];
        break;
      case 'UPPER_ROW':
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) set(i, j);
        break;
      case 'LOWER_ROW':
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) set(i, j);
        break;
      case 'UPPER_DIAG_ROW':
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j);
        break;
      case 'LOWER_DIAG_ROW':
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j);
        break;
      default:
        throw new Error(`EDGE_WEIGHT_FORMAT ${ewf} is not supported: use FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW or LOWER_DIAG_ROW`);
    }
    if (k > w.length || w.slice(0, k).some((v) => !Number.isFinite(v))) {
      throw new Error(`EDGE_WEIGHT_SECTION has ${w.length} numbers, fewer than ${ewf} of dimension ${n} needs`);
    }
  } else {
    const c = sections.get('NODE_COORD_SECTION');
    if (!c) throw new Error(`EDGE_WEIGHT_TYPE ${ewt} needs a NODE_COORD_SECTION`);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let r = 0; r + 2 < c.length + 0 && r / 3 < n; r += 3) {
      const id = c[r] - 1;
      x[id] = c[r + 1];
      y[id] = c[r + 2];
    }
    let f: (i: number, j: number) => number;
    if (ewt === 'EUC_2D') f = (i, j) => euc2d(x[i] - x[j], y[i] - y[j]);
    else if (ewt === 'CEIL_2D') f = (i, j) => ceil2d(x[i] - x[j], y[i] - y[j]);
    else if (ewt === 'ATT') f = (i, j) => att(x[i] - x[j], y[i] - y[j]);
    else if (ewt === 'GEO') {
      const lat = x.map(geoRadians);
      const lon = y.map(geoRadians);
      f = (i, j) => geo(lat[i], lon[i], lat[j], lon[j]);
    } else throw new Error(`EDGE_WEIGHT_TYPE ${ewt} is not supported: use EUC_2D, CEIL_2D, ATT, GEO or EXPLICIT`);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = i === j ? 0 : f(i, j);
  }
  let scores: Float64Array | null = null;
  const s = sections.get('NODE_SCORE_SECTION');
  if (s) {
    scores = new Float64Array(n);
    for (let r = 0; r + 1 < s.length; r += 2) scores[s[r] - 1] = s[r + 1];
  }
  const dep = sections.get('DEPOT_SECTION');
  const depot = dep && dep.length > 0 && dep[0] > 0 ? dep[0] - 1 : null;
  const cl = header.get('COST_LIMIT');
  return {
    name: header.get('NAME') ?? '',
    type,
    dimension: n,
    edgeWeightType: ewt,
    edgeWeightFormat: ewf,
    matrix,
    scores,
    costLimit: cl === undefined ? null : Number(cl),
    depot,
  };
}
