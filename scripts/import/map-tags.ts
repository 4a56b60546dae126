import type { DistrictKind } from '../../server/contract/layers';
import type { Tags } from './osm-store';

/*
 * The tag rules: which OSM object becomes what in the normalized layers (data/README.md).
 * Documented in README "Import"; each rule has a fixture in tests/fixtures/osm.
 */

/** highway values that are not a street one can walk or drive along (or not built yet). */
const NOT_ROADS = new Set([
  'proposed',
  'construction',
  'abandoned',
  'disused',
  'platform',
  'bus_stop',
  'raceway',
  'elevator',
  'rest_area',
  'services',
  'emergency_bay',
  'razed',
  'no',
]);

/** The road class for a way, or null with the reason it is no road. */
export function roadClass(tags: Tags): { cls: string } | { skip: string } {
  const h = tags.highway;
  if (!h) return { skip: 'no highway tag' };
  if (NOT_ROADS.has(h)) return { skip: `highway=${h} is not a usable street` };
  if (tags.area === 'yes') return { skip: 'highway area (area=yes): a square, not a street' };
  return { cls: h };
}

/** oneway: yes/true/1 → 1, -1/reverse → -1; roundabouts and motorways are one-way unless tagged otherwise. */
export function onewayOf(tags: Tags): 0 | 1 | -1 {
  const v = tags.oneway;
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0') return 0;
  if (tags.junction === 'roundabout' || tags.junction === 'circular' || tags.highway === 'motorway') return 1;
  return 0;
}

/** maxspeed in km/h: "50", "50 km/h", "30 mph"; zone codes ("CN:urban") and "none" → null. */
export function maxspeedKmh(tags: Tags): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph)?\s*$/i.exec(tags.maxspeed ?? '');
  if (!m) return null;
  const v = Number(m[1]) * (m[2]?.toLowerCase() === 'mph' ? 1.609344 : 1);
  return v > 0 ? Math.round(v) : null;
}

export const isBridge = (tags: Tags): boolean => Boolean(tags.bridge) && tags.bridge !== 'no';
export const isTunnel = (tags: Tags): boolean => Boolean(tags.tunnel) && tags.tunnel !== 'no';

/** Names that contain 市场 but are offices about markets, not markets (市场监督管理局, 市场服务中心). */
const MARKET_OFFICE = /监督|管理|服务中心|办公|协会|公司|大厦/;

/** A stop or station of public transport: named after what is near it ("农贸市场站"), never that place itself. */
const isTransitStop = (tags: Tags): boolean =>
  Boolean(tags.public_transport) || tags.highway === 'bus_stop' || tags.amenity === 'bus_station' || Boolean(tags.railway);

/**
 * Market rule: amenity=marketplace (node or area), or a named object whose name contains 市场 and that is no
 * street, stop, route or boundary.
 */
export function isMarket(tags: Tags): boolean {
  if (tags.amenity === 'marketplace') return true;
  const name = tags.name ?? '';
  return /市场/.test(name) && !MARKET_OFFICE.test(name) && !tags.highway && !isTransitStop(tags) && !tags.route && !tags.boundary;
}

/** Names ending in 院 that are institutions (hospital, college, court, cinema …), not residential compounds. */
const NOT_COMPOUND = /(医院|学院|法院|影院|剧院|戏院|研究院|设计院|检察院|寺院|科学院|工程院|博物院|美术院|书院|卫生院|疗养院|养老院|敬老院|福利院|大院门)$/;

/**
 * Community rule for areas: landuse=residential, or a named area (not a street, shop or institution)
 * whose name ends in 小区/社区/家园/苑/院.
 */
export function isCommunityArea(tags: Tags): boolean {
  if (tags.landuse === 'residential') return true;
  return isCommunityName(tags.name ?? '') && !tags.highway && !tags.amenity && !tags.shop && !tags.tourism && !tags.office && !tags.boundary;
}

export function isCommunityName(name: string): boolean {
  return /(小区|社区|家园|苑|院)$/.test(name) && !NOT_COMPOUND.test(name);
}

/** Names of a 街道/镇/乡 (subdistrict level), e.g. 东门街道, 雄石街道, 流口镇. */
export const SUBDISTRICT_NAME = /(街道|镇|乡|街道办)$/;

/**
 * Community rule for points: place=neighbourhood, or place=quarter unless its name is a subdistrict's
 * (街道/镇/乡). The point becomes a circle of COMMUNITY_POINT_RADIUS_M (the area of a typical 社区 core).
 */
export function isCommunityPoint(tags: Tags): boolean {
  if (tags.place === 'neighbourhood') return true;
  if (tags.place === 'quarter') return !SUBDISTRICT_NAME.test(tags.name ?? '');
  return false;
}
export const COMMUNITY_POINT_RADIUS_M = 150;

/** Subdistrict seed rule: place=suburb, or place=quarter|town|township|village? named …街道/镇/乡. */
export function isSubdistrictSeed(tags: Tags): boolean {
  if (!tags.name) return false;
  if (tags.place === 'suburb') return true;
  return (tags.place === 'quarter' || tags.place === 'town' || tags.place === 'township') && SUBDISTRICT_NAME.test(tags.name);
}

/** Subdistrict boundary rule: boundary=administrative at admin_level 8 (乡镇/街道 in China) or 9. */
export function isSubdistrictBoundary(tags: Tags): boolean {
  return tags.boundary === 'administrative' && (tags.admin_level === '8' || tags.admin_level === '9') && Boolean(tags.name);
}

/** The name of an object: `name`, else its Chinese or English variant; null when blank. */
export function nameOf(tags: Tags): string | null {
  const n = tags.name ?? tags['name:zh'] ?? tags['name:zh-Hans'] ?? tags['name:en'];
  return n && n.trim() ? n.trim() : null;
}

/** Names of development zones run as a district (功能区): 经济技术开发区, 高新区, 新区, 工业园区 … */
const ZONE_NAME = /(开发区|高新区|新区|园区)$/;

/** A district's kind from its name: …开发区/高新区/新区/园区 zone, …区 district, …县/市/旗 county; null for a name that is none. */
export function districtKind(name: string): DistrictKind | null {
  if (ZONE_NAME.test(name)) return 'zone';
  if (/区$/.test(name)) return 'district';
  // 县级市 and 自治县 at level 6; 旗/自治旗 are Inner Mongolia's counties.
  if (/(县|市|旗)$/.test(name)) return 'county';
  return null;
}

/**
 * District rule: what a boundary is to the districts layer.
 *   tile   boundary=administrative + admin_level=6 (区/县/县级市 in China) with a name of a kind: the city
 *          is cut into these (a …开发区 at level 6 is a zone among them)
 *   carve  a named development zone mapped as another boundary (boundary=administrative at level 7 or
 *          without a level, boundary=special_economic_zone): cut out of the districts it lies in
 *   skip   a boundary or area that looks like one but is not used, with the reason for the report
 * null for everything else (other levels: 5 is the prefecture city, 8 the 街道/镇/乡).
 */
export function districtRule(tags: Tags): { use: 'tile' | 'carve'; kind: DistrictKind } | { skip: string } | null {
  const name = nameOf(tags);
  if (!name) return null;
  const kind = districtKind(name);
  const b = tags.boundary;
  if (b === 'administrative' && tags.admin_level === '6') {
    if (kind) return { use: 'tile', kind };
    return { skip: 'admin_level=6 boundary not named …区/县/市/旗: not a Chinese county-level division (level 6 is a département in France)' };
  }
  if (b === 'administrative' && (tags.admin_level === '7' || !tags.admin_level)) {
    if (kind === 'zone') return { use: 'carve', kind };
    if (tags.admin_level === '7')
      return { skip: 'admin_level=7 boundary not named as a development zone: China maps counties at 6, 街道/镇/乡 at 8, and uses no 7' };
    return null;
  }
  if (b === 'special_economic_zone') {
    if (kind === 'zone') return { use: 'carve', kind };
    return { skip: 'boundary=special_economic_zone not named …开发区/高新区/新区/园区 (an 经济特区 is a whole city): not a district' };
  }
  if (tags.landuse && kind === 'zone' && !b) {
    return { skip: 'landuse area named like a development zone: not a district (a land-use outline, not the area the zone governs)' };
  }
  return null;
}

/** Tags that carry a division's code in Chinese OSM data, most specific first (贵溪市: division_code=360681). */
const CODE_KEYS = ['ref:cn', 'ref:CN', 'division_code', 'ref:GB', 'gb:code', 'ref'];

/**
 * A district's (or subdistrict's) code as the data gives it: the 12-digit 统计用区划代码 when a tag holds
 * that form, else the first code tag there is (a 6-digit GB/T 2260 code stays 6 digits); '' when none.
 */
export function divisionCode(tags: Tags): string {
  const values = CODE_KEYS.map((k) => tags[k]?.trim()).filter((v): v is string => Boolean(v));
  return values.find((v) => /^\d{12}$/.test(v)) ?? values[0] ?? '';
}

/** Lane names: end in 巷/里/弄/胡同/街 but not 大街 (大街 is a main street in Chinese naming). */
const LANE_NAME = /(巷|里|弄|胡同|街)(\d+号)?$/;

/**
 * Back street rule (背街小巷): a named
 *   highway=living_street, or highway=service + service=alley, or
 *   highway=residential|service|footway|pedestrian whose name is a lane name (LANE_NAME, not …大街).
 * Unnamed lanes are skipped (an inspection point needs a name to be found by).
 */
export function backStreetRule(tags: Tags): 'living_street' | 'alley' | 'lane-name' | null {
  const h = tags.highway;
  const name = tags.name ?? '';
  if (h === 'living_street') return 'living_street';
  if (h === 'service' && tags.service === 'alley') return 'alley';
  if ((h === 'residential' || h === 'service' || h === 'footway' || h === 'pedestrian') && LANE_NAME.test(name) && !/大街$/.test(name)) {
    return 'lane-name';
  }
  return null;
}

/** Water rule: natural=water or waterway=riverbank areas; kind from water=* (river/lake/pond), else by size. */
export function waterKind(tags: Tags, areaM2: number): 'river' | 'lake' | 'pond' | null {
  if (tags.waterway === 'riverbank') return 'river';
  if (tags.natural !== 'water') return null;
  const w = tags.water;
  if (w === 'river' || w === 'canal' || w === 'stream' || w === 'oxbow' || w === 'ditch') return 'river';
  if (w === 'pond' || w === 'basin' || w === 'reflecting_pool' || w === 'fountain') return 'pond';
  if (w === 'lake' || w === 'reservoir' || w === 'lagoon') return 'lake';
  return areaM2 >= 50_000 ? 'lake' : 'pond';
}

/**
 * 实地考察 point types beyond markets, communities and back streets (ids of the assessment catalog,
 * data/catalog/assessment), each from the tags that say what a thing is:
 *
 *   bus-stop           highway=bus_stop, or public_transport=platform with bus=yes (not a rail platform)
 *   public-toilet      amenity=toilets
 *   park-square        leisure=park, place=square, a pedestrian area (highway=pedestrian + area=yes)
 *   school-area        amenity=school|kindergarten
 *   hospital           amenity=hospital
 *   construction-site  landuse=construction
 *   service-window     amenity=bank|townhall|bus_station, railway=station (政务大厅, 银行, 车站)
 *   culture-venue      amenity=library|theatre|arts_centre|cinema, tourism=museum
 *   urban-village      place=village|hamlet (a village inside the city: 城中村)
 *
 * Roads give the others (build-layers.ts): main-road (named trunk/primary/secondary cut into walkable
 * segments), junction (where two named main roads meet) and commercial-street (a named pedestrian
 * street, or a street named …步行街/商业街).
 */
export function pointTypeOf(tags: Tags): string | null {
  const a = tags.amenity;
  if (tags.highway === 'bus_stop' || (tags.public_transport === 'platform' && tags.bus === 'yes' && !tags.railway)) return 'bus-stop';
  if (a === 'toilets') return 'public-toilet';
  if (tags.leisure === 'park' || tags.place === 'square' || (tags.highway === 'pedestrian' && tags.area === 'yes')) return 'park-square';
  if (a === 'school' || a === 'kindergarten') return 'school-area';
  if (a === 'hospital') return 'hospital';
  if (tags.landuse === 'construction') return 'construction-site';
  if (a === 'bank' || a === 'townhall' || a === 'bus_station' || tags.railway === 'station') return 'service-window';
  if (a === 'library' || a === 'theatre' || a === 'arts_centre' || a === 'cinema' || tags.tourism === 'museum') return 'culture-venue';
  if (tags.place === 'village' || tags.place === 'hamlet') return 'urban-village';
  return null;
}

/** Road classes of 主次干道: the main roads a 300–500 m walk of is one inspection point. */
export const MAIN_ROAD_CLASSES = new Set(['trunk', 'primary', 'secondary']);

/** A commercial street: a named pedestrian street, or any street named …步行街 / …商业街. */
export function isCommercialStreet(tags: Tags): boolean {
  const name = tags.name ?? '';
  if (!name || !tags.highway || tags.area === 'yes') return false;
  return tags.highway === 'pedestrian' || /(步行街|商业街)$/.test(name);
}

/** How a point of a type is called when the map gives it no name: its kind and the street it is on. */
export const UNNAMED_POINT: Record<string, string> = {
  'bus-stop': '公交站',
  'public-toilet': '公共厕所',
  'park-square': '广场',
  'school-area': '学校',
  hospital: '医院',
  'construction-site': '建筑工地',
  'service-window': '窗口单位',
  'culture-venue': '文化场馆',
  'urban-village': '城中村',
};
