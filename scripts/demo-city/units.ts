/**
 * Responsible units (责任单位) and who answers for what. Per subdistrict: the subdistrict office
 * (街道办事处) and the urban-management squad (城管中队); a market service centre where a subdistrict
 * has three or more markets; property companies serving one or two subdistricts of a district; and
 * each district's departments (住建, 交通运输, 市场监管, 环卫, 城管, 园林, 交警) near its centre, inside it.
 *
 * Rules: a market answers to its subdistrict's market service centre, else the squad; a community to
 * its property company, or the subdistrict office when it has none (most old-town ones); a back street
 * to the squad. Problems may go to a department instead (see `problemUnit` in problems.ts).
 */
import type { DistrictPlan } from './districts';
import type { XY } from './geometry';
import type { NameBook } from './names';
import type { BackStreet, Community, Market, SitePicker } from './places';
import { type Rng, chance, intBetween, pick } from './random';
import type { Subdistrict } from './subdistricts';
import type { Cell } from './plan';

export type UnitType =
  | 'subdistrict-office'
  | 'urban-management'
  | 'market-management'
  | 'property'
  | 'sanitation'
  | 'housing'
  | 'transport'
  | 'market-supervision'
  | 'greening'
  | 'traffic-police';

export interface Unit {
  id: string;
  name: string;
  type: UnitType;
  /** Subdistrict index, -1 for a district-wide department. */
  subdistrict: number;
  /** District index: its subdistrict's, or the one a department serves. */
  district: number;
  at: XY;
  phone: string | null;
}

export interface UnitPlan {
  units: Unit[];
  officeOf: string[];
  squadOf: string[];
  marketCentreOf: (string | null)[];
  propertyOf: string[][];
  /** Each district's departments by type (`departmentsOf` finds a subdistrict's). */
  department: Partial<Record<UnitType, string>>[];
  /** District index per subdistrict. */
  districtOf: Int32Array;
}

/** Each district's departments, named after the district (东昌区住房和城乡建设局 …). */
const DEPARTMENTS: [UnitType, string][] = [
  ['housing', '住房和城乡建设局'],
  ['transport', '交通运输局'],
  ['market-supervision', '市场监督管理局'],
  ['sanitation', '环境卫生管理处'],
  ['urban-management', '城市管理局'],
  ['greening', '园林绿化服务中心'],
  ['traffic-police', '公安分局交通警察大队'],
];

/** Share of compounds with a property company, by zone; the rest answer to the subdistrict office. */
const PROPERTY_SHARE: Record<string, number> = { new: 0.9, residential: 0.85, mixed: 0.6, old: 0.2, village: 0.15 };

/**
 * A phone number in the city's area code whose local part starts with 0, which no real subscriber
 * number does, so demo data never points at a real line.
 */
export function fakePhone(rng: Rng): string {
  return `0635-0${intBetween(rng, 100000, 999999)}`;
}

/** The departments of the district a subdistrict lies in. */
export function departmentsOf(plan: UnitPlan, subdistrict: number): Partial<Record<UnitType, string>> {
  return plan.department[plan.districtOf[subdistrict]];
}

/** Places every unit at an office site and returns the lookup tables the rules need. */
export function placeUnits(
  rng: Rng,
  sites: SitePicker,
  subdistricts: Subdistrict[],
  { districts, districtOf }: DistrictPlan,
  cells: Cell[],
  markets: Market[],
  names: NameBook,
): UnitPlan {
  const units: Unit[] = [];
  const add = (name: string, type: UnitType, subdistrict: number, at: XY, district = districtOf[subdistrict]): string => {
    const id = `u${String(units.length + 1).padStart(3, '0')}`;
    units.push({ id, name, type, subdistrict, district, at, phone: fakePhone(rng) });
    return id;
  };
  const inSub = (s: number) => (b: number) => sites.subdistrictOf(b) === s;
  const need = (site: { at: XY } | null, what: string) => {
    if (!site) throw new Error(`no free block left for ${what}; the city is too small for its units (use scale ≥ 0.5)`);
    return site.at;
  };
  const officeOf: string[] = [];
  const squadOf: string[] = [];
  const marketCentreOf: (string | null)[] = [];
  subdistricts.forEach((sd, s) => {
    const centre: XY = [0, 0];
    for (const c of sd.cells) {
      centre[0] += cells[c].center[0] / sd.cells.length;
      centre[1] += cells[c].center[1] / sd.cells.length;
    }
    const stem = sd.name.replace(/街道$/, '');
    const office = need(sites.nearest(rng, centre, inSub(s)), `${sd.name}办事处`);
    officeOf.push(add(`${sd.name}办事处`, 'subdistrict-office', s, office));
    const angle = rng() * Math.PI * 2;
    const squadAt: XY = [office[0] + 350 * Math.cos(angle), office[1] + 350 * Math.sin(angle)];
    squadOf.push(
      add(`${districts[districtOf[s]].name}城市管理局${stem}中队`, 'urban-management', s, need(sites.nearest(rng, squadAt, inSub(s)), `${stem}城管中队`)),
    );
    const own = markets.filter((m) => m.subdistrict === s);
    if (own.length >= 3) {
      marketCentreOf.push(add(`${stem}市场服务中心`, 'market-management', s, need(sites.nearest(rng, own[0].at, inSub(s)), `${stem}市场服务中心`)));
    } else {
      marketCentreOf.push(null);
    }
  });
  const propertyOf: string[][] = subdistricts.map(() => []);
  const companies = Math.max(6, Math.round(subdistricts.length * 1.1));
  for (let j = 0; j < companies; j++) {
    const home = j % subdistricts.length;
    const target = sites.centre(pick(rng, sites.eligible.filter(inSub(home))));
    const id = add(names.propertyCompany(), 'property', home, need(sites.nearest(rng, target, inSub(home)), 'a property company'));
    propertyOf[home].push(id);
    // The second subdistrict within the company's district, so a district's compounds answer to its own.
    const near = districts[districtOf[home]].subdistricts;
    if (chance(rng, 0.4) && near.length > 1) {
      const other = near[(near.indexOf(home) + 1 + Math.floor(rng() * (near.length - 1))) % near.length];
      propertyOf[other].push(id);
    }
  }
  const department = districts.map((district, d) => {
    // A one-district city keeps its departments around the city centre, as it always had them.
    const seat: XY = [0, 0];
    if (districts.length > 1) {
      const own = district.subdistricts.flatMap((s) => subdistricts[s].cells);
      for (const c of own) {
        seat[0] += cells[c].center[0] / own.length;
        seat[1] += cells[c].center[1] / own.length;
      }
    }
    const inDistrict = (b: number) => districtOf[sites.subdistrictOf(b)] === d;
    const own: Partial<Record<UnitType, string>> = {};
    DEPARTMENTS.forEach(([type, office], i) => {
      const angle = (i / DEPARTMENTS.length) * Math.PI * 2;
      const target: XY = [seat[0] + 700 * Math.cos(angle), seat[1] + 500 * Math.sin(angle)];
      const name = `${district.name}${office}`;
      own[type] = add(name, type, -1, need(sites.nearest(rng, target, inDistrict), name), d);
    });
    return own;
  });
  return { units, officeOf, squadOf, marketCentreOf, propertyOf, department, districtOf };
}

/** Fills `unitId` of every place by the rules above. */
export function assignPlaceUnits(rng: Rng, plan: UnitPlan, markets: Market[], communities: Community[], backStreets: BackStreet[]): void {
  for (const m of markets) m.unitId = plan.marketCentreOf[m.subdistrict] ?? plan.squadOf[m.subdistrict];
  for (const c of communities) {
    const companies = plan.propertyOf[c.subdistrict];
    c.unitId = companies.length > 0 && chance(rng, PROPERTY_SHARE[c.zone] ?? 0.5) ? pick(rng, companies) : plan.officeOf[c.subdistrict];
  }
  for (const b of backStreets) b.unitId = plan.squadOf[b.subdistrict];
}
