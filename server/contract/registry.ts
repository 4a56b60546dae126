/**
 * Rules of the point registry both sides apply: the editor checks them as the clerk types, the server
 * again before it stores. Free of zod, so the page may import it as a value.
 */

/** A second point of the same type and name this close (metres) is taken for the same point drawn twice. */
export const SAME_POINT_M = 20;

/**
 * A phone number as a registry writes it: a mobile (1 3–9 …, 11 digits); a landline with or without its
 * area code (0531-8888 8888, (0634)1234567) and an extension (转801, -801, ext 801); 400/800 numbers and
 * five-digit hotlines (12345). Spaces, dashes, brackets and +86 are allowed.
 */
export function isPhoneNumber(s: string): boolean {
  const t = s.trim().replace(/\s*(转|分机|ext\.?|x|#)\s*\d{1,6}$/i, '');
  if (!t || /[^\d\s()+-]/.test(t)) return false;
  const digits = (x: string) => x.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '');
  const plain = (d: string) =>
    /^1[3-9]\d{9}$/.test(d) || /^0[1-9]\d{8,10}$/.test(d) || /^[2-9]\d{6,7}$/.test(d) || /^[48]00\d{7}$/.test(d) || /^(1\d{4}|9\d{4})$/.test(d);
  if (plain(digits(t))) return true;
  // A landline's extension after a dash: 0634-1234567-801.
  const ext = /^(.*\d)\s*-\s*\d{1,6}$/.exec(t);
  return ext !== null && /^0/.test(digits(ext[1])) && plain(digits(ext[1]));
}

/** Photos a point keeps (the gate, a board, the stalls …). */
export const PLACE_PHOTOS_MAX = 9;

/** What changed in one edit of a point, by field, for its history. */
export const REGISTRY_FIELDS = [
  'kind',
  'name',
  'geometry',
  'entrance',
  'address',
  'subdistrictId',
  'unitId',
  'leaderId',
  'keeper',
  'contact',
  'phone',
  'notes',
  'photos',
  'retired',
] as const;
export type RegistryField = (typeof REGISTRY_FIELDS)[number];

/** Field names as the history shows them. */
export const REGISTRY_FIELD_NAMES: Record<RegistryField, { zh: string; en: string }> = {
  kind: { zh: '点位类型', en: 'Point type' },
  name: { zh: '名称', en: 'Name' },
  geometry: { zh: '位置', en: 'Position' },
  entrance: { zh: '入口', en: 'Entrance' },
  address: { zh: '地址', en: 'Address' },
  subdistrictId: { zh: '所属街道', en: 'Subdistrict' },
  unitId: { zh: '责任单位', en: 'Responsible unit' },
  leaderId: { zh: '包抓领导', en: 'Leader in charge' },
  keeper: { zh: '点位长', en: 'Point keeper' },
  contact: { zh: '联系人', en: 'Contact' },
  phone: { zh: '联系电话', en: 'Phone' },
  notes: { zh: '备注', en: 'Notes' },
  photos: { zh: '照片', en: 'Photos' },
  retired: { zh: '停用', en: 'Retired' },
};

/** The files the registry import takes besides the sheet: map data merged into the registry. */
export const REGISTRY_MAP_EXTENSIONS = ['.osm', '.osm.pbf', '.pbf', '.geojson', '.json'] as const;
/** Is the upload a map file (merged) rather than the 点位信息表 (by its name, as the importer decides)? */
export const isRegistryMapFile = (name: string): boolean => REGISTRY_MAP_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));
