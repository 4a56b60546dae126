/**
 * Plausible Chinese names for the demo city: roads (…大道/…路/…街), lanes (…巷/…胡同/…里), communities
 * (…小区/…社区/…家园/…苑), markets (…农贸市场/…集贸市场/…菜市场), subdistricts (…街道) and people.
 * The city is invented; the stems are common words of North-China place names.
 */
import { type Rng, pick } from './random';

const ARTERIAL_STEMS = [
  '东昌', '建设', '兴华', '光岳', '柳园', '花园', '振兴', '湖南', '昌润', '利民', '育新', '文化', '卫育', '闸口',
  '龙山', '铁塔', '站前', '向阳', '民主', '人民', '新华', '和平', '红星', '长江', '黄河', '泰山', '嵩山', '华山',
  '汇通', '科技', '开发', '中华', '世纪', '金柱', '东岳', '运河', '凤凰', '松桂', '光明', '朝阳', '启明', '兴业',
  '聚源', '永安', '太平', '安康', '富民', '崇文', '景阳', '嘉明', '晨光', '香江', '益民', '裕昌', '瑞祥', '福安',
  '丰泽', '博文', '怡和', '宏图', '万寿', '通衢', '鲁西', '聊阳', '东方', '前进', '胜利', '团结', '友谊', '幸福',
];

const STREET_STEMS = [
  '米市', '双街', '楼西', '楼东', '大寺', '清孝', '馆驿', '县角', '东关', '西关', '南关', '北关', '仁和', '礼让',
  '义和', '信义', '孝友', '育英', '书院', '考院', '文庙', '城隍', '府前', '察院', '状元', '三元', '太和', '平安',
  '吉祥', '如意', '福寿', '同乐', '庆丰', '丰收', '柳林', '杨柳', '槐荫', '桃园', '梨园', '杏林', '枣园', '桑园',
  '菱角', '荷花', '芙蓉', '牡丹', '海棠', '玉兰', '紫薇', '银杏', '梧桐', '松柏', '竹园', '兰亭', '清风', '明月',
  '晓园', '春晖', '秋实', '夏荷', '冬青', '金鸡', '凤鸣', '鹤鸣', '鹿鸣', '龙湾', '虎山', '白马', '青龙', '卧龙',
  '玉带', '锦绣', '金水', '银河', '碧水', '新兴', '新建', '新民', '新风', '新胜', '光荣', '建国', '建华', '建新',
  '振华', '兴隆', '兴旺', '兴安', '永康', '永丰', '永兴', '长兴', '长青', '长春', '盛世', '盛景', '安居', '乐业',
  '崇德', '尚德', '明德', '厚德', '怀德', '立新', '红旗', '东风', '北斗', '星光', '曙光', '黎明', '东升', '旭日',
  '华光', '瑞丰', '鸿运', '金桥', '银桥', '玉泉', '清泉', '甘泉', '石桥', '东湖', '西湖', '南湖', '北湖', '荷塘',
  '莲池', '菊园', '梅园', '兰园', '竹林', '松林', '枫林', '杉林', '桂园', '槐树', '柿园', '榴园', '葡萄', '苹果',
  '红枫', '翠竹', '紫荆', '丁香', '月季', '百合', '迎春', '向日', '含笑', '木兰', '合欢', '凌霄', '石榴', '樱桃',
];

const LANE_WORDS = [
  '鼓楼', '兴隆', '桃花', '油坊', '粮市', '盐店', '铜锣', '打铁', '染坊', '纸坊', '豆腐', '面粉', '花椒', '竹竿',
  '扁担', '灯笼', '钱庄', '当铺', '学堂', '药王', '井台', '水井', '板桥', '小桥', '柳树', '椿树', '榆树', '杨树',
  '梨花', '杏花', '菊花', '牌坊', '旗杆', '鸡市', '马市', '羊市', '骡马', '布市', '绸缎', '草市', '柴市', '木市',
  '铁匠', '皮匠', '箍桶', '酱园', '醋坊', '糖坊', '酒坊', '茶馆', '戏楼', '庙前', '观音', '关帝', '文昌', '火神',
  '龙王', '三官', '玉皇', '娘娘', '二郎', '马神', '仓库', '盐仓', '粮仓', '钟楼', '鼓架', '书铺', '笔墨', '纱厂',
  '线坊', '绣花', '剪子', '锅饼', '烧饼', '馍坊', '粉坊', '香油', '磨坊', '碾子', '石磨', '石狮', '石碑', '石井',
  '花园', '菜园', '果园', '瓜园', '苇塘', '荷塘', '鱼池', '泥湾', '高台', '土地', '公馆', '衙门', '贡院', '驿站',
];

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林',
  '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于',
  '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆',
  '范', '金', '石', '贾', '夏', '付', '方', '白', '孟', '秦', '邱', '尹', '薛', '闫', '段', '雷', '侯', '史', '郝',
];

const GIVEN_NAMES = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰',
  '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '丽娟', '晓东', '春梅', '国庆', '卫东', '红梅', '建军', '玉兰',
  '文博', '子涵', '浩然', '雨萱', '立新', '振宇', '金凤', '淑芬', '德明', '建国', '秀英', '宏伟', '爱华', '俊杰',
];

const COMMUNITY_STEMS = [
  '阳光', '幸福', '和谐', '金色', '锦绣', '翡翠', '书香', '水岸', '湖畔', '凤凰城', '东方', '星河', '金地', '绿洲',
  '昌盛', '康居', '怡景', '颐和', '盛世', '名都', '华府', '丽景', '香榭', '鲁西', '运河', '光岳', '古城', '柳园',
  '育新', '振兴', '建设', '东关', '新华', '铁塔', '兴华', '利民', '民主', '文化', '龙山', '站前', '向阳', '胜利',
  '团结', '安居', '乐居', '宜居', '御景', '天润', '鸿福', '润泽', '君悦', '瑞祥', '中央', '天成', '嘉和', '泰和',
  '永和', '祥和', '惠民', '福泽', '金秋', '春天', '花城', '香山', '翠苑', '绿园', '龙湾', '水韵', '清华', '博雅',
  '状元', '文苑', '儒林', '杏坛', '紫金', '银座', '金港', '新城', '滨河', '湖景', '东湖', '西湖', '南湖', '北湖',
  '棉纺厂', '供销社', '电业局', '粮食局', '邮电', '农机厂', '化肥厂', '印刷厂', '纺织', '自来水', '交通局', '卫校',
  '师范', '二中', '一中', '人民医院', '建行', '工行', '烟草', '税务', '气象', '水利', '林业', '畜牧', '民政', '法院',
];

const COMMUNITY_SUFFIXES = ['小区', '小区', '小区', '社区', '社区', '家园', '苑'];
const OLD_TOWN_COMMUNITY_SUFFIXES = ['社区', '社区', '小区'];
const MARKET_SUFFIXES = ['农贸市场', '农贸市场', '集贸市场', '菜市场'];
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Subdistrict names, the first ones given by what the area contains (see subdistricts.ts). */
export const SUBDISTRICT_STEMS = [
  '柳园', '凤凰', '光岳', '闸口', '站前', '昌润', '兴华', '文轩', '龙山', '道口铺', '阎寺', '东关', '西关', '南关',
  '北关', '花园', '建设', '铁塔', '振兴', '育新', '启明', '朝阳', '向阳', '新华', '和平', '利民', '嘉明', '双街',
  '梁水', '堂邑', '许营', '郑家', '沙镇', '斗虎屯', '于集', '张炉集', '侯营', '广平', '顾官屯', '朱老庄',
];

const PROPERTY_STEMS = [
  '鲁西', '昌润', '金色家园', '安泰', '诚信', '宏达', '万家', '恒信', '惠民', '嘉和', '康居', '瑞丰', '顺达', '天润',
  '鑫源', '阳光', '怡居', '永安', '兴华', '中昌', '东岳', '凤城', '华信', '锦程', '聚福', '乐家', '绿城', '美家',
];

/** 1 → 一, 12 → 十二, 35 → 三十五 (1–99). */
export function chineseNumber(n: number): string {
  if (n < 10) return ORDINALS[n - 1];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : ORDINALS[tens - 1]}十${ones === 0 ? '' : ORDINALS[ones - 1]}`;
}

/** The n-th name of an endless numbered series over a stem list: 槐荫, …, 槐荫二, …, 槐荫三 … */
function numbered(stems: readonly string[], n: number): string {
  const round = Math.floor(n / stems.length);
  const stem = stems[n % stems.length];
  return round === 0 ? stem : `${stem}${round < 99 ? chineseNumber(round + 1) : round + 1}`;
}

/** Keeps names unique across the city and draws them from the pools. */
export class NameBook {
  private readonly used = new Set<string>();
  private readonly laneCounters = new Map<string, number>();
  private arterialIndex = 0;
  private readonly arterialStems: string[];

  constructor(private readonly rng: Rng) {
    this.arterialStems = [...ARTERIAL_STEMS];
    // A per-city order of arterial stems, so different seeds name the grid differently.
    for (let i = this.arterialStems.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [this.arterialStems[i], this.arterialStems[j]] = [this.arterialStems[j], this.arterialStems[i]];
    }
  }

  /** Marks a name as taken (e.g. a fixed name such as 滨河北路). */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /**
   * Draws up to 40 names; if all are taken, walks `fallback(0), fallback(1), …`, which must give a
   * different name for every n, so this always ends.
   */
  private unique(make: () => string, fallback: (n: number) => string): string {
    for (let i = 0; i < 40; i++) {
      const name = make();
      if (!this.used.has(name)) return this.reserve(name);
    }
    for (let n = 0; ; n++) {
      const name = fallback(n);
      if (!this.used.has(name)) return this.reserve(name);
    }
  }

  /** A stem for an arterial (the same stem can carry 东/西 or 南/北 halves). */
  arterialStem(): string {
    if (this.arterialIndex < this.arterialStems.length) return this.arterialStems[this.arterialIndex++];
    return `${pick(this.rng, STREET_STEMS)}${ORDINALS[this.arterialIndex++ % ORDINALS.length]}`;
  }

  /** A street name ending in 路 or 街. */
  street(suffix: '路' | '街'): string {
    return this.unique(
      () => `${pick(this.rng, STREET_STEMS)}${suffix}`,
      (n) => `${numbered(STREET_STEMS, n)}${suffix}`,
    );
  }

  /**
   * A lane name: numbered after the street it leaves (育英街三巷), a family lane (王家巷), or an old
   * trade/landmark name (油坊胡同, 文昌里).
   */
  lane(parent: string | null): string {
    const r = this.rng();
    if (parent && r < 0.5) {
      const n = (this.laneCounters.get(parent) ?? 0) + 1;
      this.laneCounters.set(parent, n);
      const side = n <= 10 ? '' : ['东', '西', '南', '北'][Math.floor((n - 11) / 10) % 4];
      const name = `${parent}${side}${ORDINALS[(n - 1) % 10]}巷`;
      if (n <= 50 && !this.used.has(name)) return this.reserve(name);
    }
    return this.unique(
      () => {
        const q = this.rng();
        if (q < 0.3) return `${pick(this.rng, SURNAMES)}家巷`;
        if (q < 0.6) return `${pick(this.rng, LANE_WORDS)}胡同`;
        if (q < 0.8) return `${pick(this.rng, LANE_WORDS)}巷`;
        return `${pick(this.rng, LANE_WORDS)}里`;
      },
      (n) => `${numbered(LANE_WORDS, n)}巷`,
    );
  }

  /** A community name (…小区/…社区/…家园/…苑); old-town ones are mostly 社区. */
  community(oldTown: boolean): string {
    const suffixes = oldTown ? OLD_TOWN_COMMUNITY_SUFFIXES : COMMUNITY_SUFFIXES;
    return this.unique(
      () => `${pick(this.rng, COMMUNITY_STEMS)}${pick(this.rng, suffixes)}`,
      (n) => `${numbered(COMMUNITY_STEMS, n)}${suffixes[n % suffixes.length]}`,
    );
  }

  /** A market name after the street or area it stands on. */
  market(streetName: string | null): string {
    return this.unique(
      () => {
        const stem = streetName && this.rng() < 0.6 ? streetName : pick(this.rng, STREET_STEMS);
        return `${stem}${pick(this.rng, MARKET_SUFFIXES)}`;
      },
      (n) => `${numbered(STREET_STEMS, n)}农贸市场`,
    );
  }

  /** A property-management company. */
  propertyCompany(): string {
    return this.unique(
      () => `${pick(this.rng, PROPERTY_STEMS)}物业服务有限公司`,
      (n) => `${numbered(PROPERTY_STEMS, n)}物业管理有限公司`,
    );
  }

  /** A person's name (surname + given name); repeats are allowed. */
  person(): string {
    return `${pick(this.rng, SURNAMES)}${pick(this.rng, GIVEN_NAMES)}`;
  }
}
