/**
 * What an inspector writes on a problem: a short Chinese sentence that depends on the category, the
 * place and where at the place it was seen ("东关农贸市场东门外流动摊贩占道经营约20米").
 */
import { type Rng, intBetween, pick } from './random';

/** The words a template can use. */
export interface DescriptionParts {
  rng: Rng;
  /** Place or road name. */
  place: string;
  /** Where at the place: 东侧, 北门, 巷口, 东段 … */
  side: string;
  /** A gate or mouth: 东门, 入口处, 巷口, 路口 … */
  gate: string;
}

type Template = (p: DescriptionParts, n: (min: number, max: number, step?: number) => number) => string;

const TEMPLATES: Record<string, Template[]> = {
  'occupy-road': [
    (p, n) => `${p.place}${p.gate}外流动摊贩占道经营约${n(10, 40, 5)}米`,
    (p) => `${p.place}${p.side}早市摊点占用人行道经营，影响行人通行`,
    (p, n) => `${p.place}${p.gate}${n(2, 6)}处水果、蔬菜摊点占道经营`,
  ],
  'outside-shop': [(p, n) => `${p.place}${p.side}${n(2, 7)}家商户出店经营，货物摆放至人行道`, (p, n) => `${p.place}沿街商铺超出门店经营约${n(2, 6)}米`],
  'disorderly-parking': [
    (p, n) => `${p.place}${p.side}机动车乱停乱放${n(3, 12)}辆，占用消防通道`,
    (p, n) => `${p.place}${p.gate}车辆未按车位停放${n(2, 8)}辆，堵塞出入口`,
  ],
  'bike-parking': [(p, n) => `${p.place}${p.gate}电动车、自行车无序停放约${n(10, 40, 5)}辆`, (p) => `${p.place}${p.side}共享单车堆放占用盲道`],
  'small-ads': [(p, n) => `${p.place}${p.side}墙面、电线杆张贴小广告${n(5, 30)}处`, (p, n) => `${p.place}楼道内喷涂开锁、办证类野广告${n(3, 15)}处`],
  graffiti: [(p, n) => `${p.place}${p.side}墙面乱涂乱画约${n(2, 15)}平方米`, (p, n) => `${p.place}${p.side}配电箱、墙体乱贴乱画${n(3, 12)}处`],
  'exposed-garbage': [
    (p, n) => `${p.place}${p.side}绿化带内暴露垃圾${n(2, 8)}处`,
    (p, n) => `${p.place}${p.side}路边暴露垃圾约${n(1, 6)}平方米未及时清理`,
    (p) => `${p.place}${p.gate}散落塑料袋、果皮等暴露垃圾`,
  ],
  'overflowing-bins': [(p) => `${p.place}${p.side}垃圾桶满溢，周边散落垃圾`, (p, n) => `${p.place}${p.gate}${n(2, 5)}个分类垃圾桶满溢未及时清运`],
  'illegal-wiring': [(p, n) => `${p.place}${n(1, 18)}号楼飞线充电，电线私拉乱接`, (p) => `${p.place}${p.side}商户私拉电线悬挂灯箱`],
  'muck-truck': [(p, n) => `${p.place}${p.side}渣土车未密闭运输，沿途抛洒约${n(20, 100, 10)}米`, (p) => `渣土车在${p.place}${p.side}带泥上路，污染路面`],
  'road-damage': [(p, n) => `${p.place}${p.side}路面坑洼破损约${n(2, 20)}平方米`, (p, n) => `${p.place}${p.side}人行道地砖松动缺失${n(3, 15)}处`],
  'facility-damage': [
    (p, n) => `${p.place}${p.side}路灯不亮${n(1, 5)}盏`,
    (p) => `${p.place}${p.side}井盖破损，存在安全隐患`,
    (p, n) => `${p.place}${p.side}护栏倾倒约${n(5, 30, 5)}米`,
    (p, n) => `${p.place}健身器材损坏${n(1, 4)}处`,
  ],
  'missing-psa': [
    (p) => `${p.place}${p.gate}未设置公益广告`,
    (p, n) => `${p.place}公益广告破损褪色${n(2, 6)}处，未及时更新`,
    (p) => `${p.place}公益广告数量不足，内容陈旧`,
  ],
  'illegal-construction': [(p, n) => `${p.place}${p.side}私搭乱建彩钢棚约${n(10, 60, 5)}平方米`, (p) => `${p.place}一层住户私自圈占公共绿地搭建围墙`],
  'frontage-duty': [(p) => `${p.place}${p.side}商户门前三包责任未落实，门前卫生脏乱`, (p, n) => `${p.place}${p.side}${n(2, 6)}家商户未签订门前三包责任书`],
  'dirty-toilet': [(p) => `${p.place}公厕地面湿滑、有异味，保洁不到位`, (p) => `${p.place}${p.side}公厕洗手设施损坏，卫生纸缺失`],
  noise: [(p) => `${p.place}${p.side}商户使用高音喇叭招揽生意`, (p) => `${p.place}夜间广场舞音响声音过大，噪音扰民`],
  'live-poultry': [(p) => `${p.place}活禽区外违规宰杀活禽，血水外溢`, (p) => `${p.place}${p.gate}外流动商贩现场宰杀活禽`],
  'accumulated-garbage': [(p, n) => `${p.place}${p.side}积存建筑垃圾约${n(2, 12)}立方米`, (p) => `${p.place}角落长期积存生活垃圾，未及时清运`],
  'illegal-outdoor-ads': [(p, n) => `${p.place}${p.side}违规设置户外广告牌${n(1, 4)}处`, (p) => `${p.place}${p.side}商户门头广告破损、字体缺失`],
  clutter: [(p) => `${p.place}${p.side}杂物乱堆乱放，占用通道`, (p, n) => `${p.place}楼道内堆放杂物${n(2, 9)}处`],
  'clothes-drying': [(p) => `${p.place}${p.side}沿街乱拉绳索晾晒衣物`, (p) => `${p.place}${p.side}树木间乱拉乱挂横幅`],
  'greenbelt-damage': [(p, n) => `${p.place}${p.side}绿化带被踩踏、毁绿种菜约${n(5, 40, 5)}平方米`, (p) => `${p.place}${p.side}行道树被私自修剪、树池被占用`],
};

/**
 * A description for a problem of `category` (catalog id; `zh` is used for categories added to the
 * catalog after these templates were written).
 */
export function describe(category: string, zh: string, parts: DescriptionParts): string {
  const n = (min: number, max: number, step = 1) => min + step * intBetween(parts.rng, 0, Math.floor((max - min) / step));
  const templates = TEMPLATES[category];
  if (!templates) return `${parts.place}${parts.side}存在${zh}问题`;
  return pick(parts.rng, templates)(parts, n);
}
