/**
 * Every string the user sees, in Chinese (the default) and English. Pure data plus `translate`; the
 * React context that picks the language lives in use-i18n.tsx.
 *
 * `en` is typed by the keys of `zh`, so a key missing in English fails the type check; the unit test
 * also checks that no entry is empty and that placeholders match.
 */

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh';

/** Is `value` a supported UI language? */
export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

const zh = {
  'app.product': '巡查',
  'app.productLatin': 'Xuncha',
  'app.subtitle': '创建文明城市巡查地图',
  'app.loading': '正在加载城市数据…',
  'app.mapLabel': '城市地图',
  'nav.label': '页面',
  'nav.map': '地图',
  'nav.plan': '路线规划',
  'lang.switch': '切换语言',

  'layers.title': '图层',
  'layer.subdistricts': '街道边界',
  'layer.communities': '社区 / 小区',
  'layer.markets': '农贸市场',
  'layer.back-streets': '背街小巷',
  'layer.problems': '问题',

  'filters.title': '问题筛选',
  'filters.date': '上报日期',
  'filters.from': '开始',
  'filters.to': '结束',
  'filters.category': '问题类别',
  'filters.status': '状态',
  'filters.subdistrict': '街道',
  'filters.unit': '责任单位',
  'filters.all': '全部',
  'filters.reset': '清除筛选',
  'filters.count': '共 {n} 条问题',
  'filters.countDetail': '未办结 {open} 条 · 超期 {overdue} 条',
  'filters.counting': '正在统计…',
  'filters.empty': '没有符合条件的问题',
  'filters.dateOrder': '开始日期晚于结束日期，请调整日期范围',
  'filters.selected': '已选 {n} 项',

  'status.reported': '已上报',
  'status.assigned': '已交办',
  'status.overdue': '超期',
  'status.rectified': '已整改',
  'status.closed': '已销号',

  'legend.title': '图例',
  'legend.statuses': '问题状态',
  'legend.points': '点位',
  'legend.cluster': '问题聚合',
  'legend.clusterHint': '数字为问题数，红圈表示含超期问题；点击放大查看',
  'legend.subdistrict': '街道边界',
  'legend.hide': '收起',

  'kind.market': '农贸市场',
  'kind.community': '社区 / 小区',
  'kind.back-street': '背街小巷',

  'panel.close': '关闭',
  'panel.loading': '加载中…',
  'panel.problem': '问题详情',

  'problem.category': '问题类别',
  'problem.description': '问题描述',
  'problem.status': '当前状态',
  'problem.overdueSince': '已超过整改期限',
  'problem.timeline': '办理过程',
  'problem.reportedAt': '上报',
  'problem.assignedAt': '交办',
  'problem.deadline': '整改期限',
  'problem.rectifiedAt': '整改完成',
  'problem.closedAt': '复查销号',
  'problem.unit': '责任单位',
  'problem.subdistrict': '所属街道',
  'problem.noticeNo': '整改通知单',
  'problem.place': '关联点位',
  'problem.source': '问题来源',
  'problem.reporter': '上报人',
  'problem.recurrenceOf': '反复出现，前次问题',
  'problem.id': '问题编号',

  'source.inspection': '巡查发现',
  'source.public': '群众举报',
  'source.assessment': '测评发现',
  'source.unannounced': '暗访发现',

  'place.subdistrict': '所属街道',
  'place.unit': '包抓单位',
  'place.address': '地址',
  'place.length': '长度',
  'place.lengthValue': '{n} 米',
  'place.problems': '问题统计',
  'place.total': '累计问题',
  'place.open': '未办结',
  'place.overdue': '超期',
  'place.id': '点位编号',

  'common.none': '—',
  'error.title': '数据加载失败',
  'error.retry': '重试',
  'error.dismiss': '关闭提示',
  'error.map': '地图数据加载失败：{message}',
  'error.network': '无法连接服务器，请检查网络或服务是否运行',

  'drawer.open': '图层与筛选',
  'drawer.close': '收起',

  'route.open': '路线测算',
  'route.title': '两点路线测算',
  'route.close': '关闭',
  'route.pickStart': '在地图上点击起点',
  'route.pickEnd': '再点击终点',
  'route.pickAgain': '点击地图可重新选择起点',
  'route.clear': '清除',
  'route.profile': '出行方式',
  'route.time': '用时',
  'route.distance': '距离',
  'route.profile.walk': '步行',
  'route.profile.ebike': '电动自行车',
  'route.profile.car': '汽车',
  'route.failed': '无法到达',
  'route.snapStart': '起点距最近道路 {m} 米，路线从道路上开始',
  'route.snapEnd': '终点距最近道路 {m} 米，路线在道路上结束',
  'route.startMark': '起',
  'route.endMark': '终',

  'login.title': '巡查 · 创建文明城市',
  'login.subtitle': '请使用分配的账号登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.busy': '正在登录…',
  'login.help': '忘记密码请联系系统管理员',
  'user.logout': '退出登录',
  'user.password': '修改密码',
  'role.admin': '系统管理员',
  'role.leader': '领导',
  'role.inspector': '巡查员',
  'role.unit': '责任单位',
  'role.api': '接口客户端',
  'role.screen': '大屏',
  'password.title': '修改密码',
  'password.required': '首次登录请先设置新密码。',
  'password.current': '当前密码',
  'password.next': '新密码（至少 8 位）',
  'password.again': '再次输入新密码',
  'password.mismatch': '两次输入的新密码不一致',
  'password.save': '保存',
  'password.cancel': '取消',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.product': 'Xuncha',
  'app.productLatin': '巡查',
  'app.subtitle': 'Civilized-city inspection map',
  'app.loading': 'Loading the city…',
  'app.mapLabel': 'City map',
  'nav.label': 'Pages',
  'nav.map': 'Map',
  'nav.plan': 'Route planner',
  'lang.switch': 'Switch language',

  'layers.title': 'Layers',
  'layer.subdistricts': 'Subdistrict boundaries',
  'layer.communities': 'Communities',
  'layer.markets': 'Markets',
  'layer.back-streets': 'Back streets',
  'layer.problems': 'Problems',

  'filters.title': 'Filter problems',
  'filters.date': 'Reported between',
  'filters.from': 'From',
  'filters.to': 'To',
  'filters.category': 'Category',
  'filters.status': 'Status',
  'filters.subdistrict': 'Subdistrict',
  'filters.unit': 'Responsible unit',
  'filters.all': 'All',
  'filters.reset': 'Clear filters',
  'filters.count': '{n} problems',
  'filters.countDetail': '{open} open · {overdue} overdue',
  'filters.counting': 'Counting…',
  'filters.empty': 'No problems match these filters',
  'filters.dateOrder': 'The start date is after the end date; adjust the range',
  'filters.selected': '{n} selected',

  'status.reported': 'Reported',
  'status.assigned': 'Assigned',
  'status.overdue': 'Overdue',
  'status.rectified': 'Rectified',
  'status.closed': 'Closed',

  'legend.title': 'Legend',
  'legend.statuses': 'Problem status',
  'legend.points': 'Inspection points',
  'legend.cluster': 'Problem cluster',
  'legend.clusterHint': 'The number counts problems; a red ring means some are overdue. Click to zoom in.',
  'legend.subdistrict': 'Subdistrict boundary',
  'legend.hide': 'Hide',

  'kind.market': 'Market',
  'kind.community': 'Community',
  'kind.back-street': 'Back street',

  'panel.close': 'Close',
  'panel.loading': 'Loading…',
  'panel.problem': 'Problem',

  'problem.category': 'Category',
  'problem.description': 'Description',
  'problem.status': 'Status',
  'problem.overdueSince': 'Past the rectification deadline',
  'problem.timeline': 'Progress',
  'problem.reportedAt': 'Reported',
  'problem.assignedAt': 'Assigned',
  'problem.deadline': 'Deadline',
  'problem.rectifiedAt': 'Rectified',
  'problem.closedAt': 'Closed after look-back',
  'problem.unit': 'Responsible unit',
  'problem.subdistrict': 'Subdistrict',
  'problem.noticeNo': 'Rectification notice',
  'problem.place': 'Inspection point',
  'problem.source': 'Source',
  'problem.reporter': 'Reporter',
  'problem.recurrenceOf': 'Recurrence of',
  'problem.id': 'Problem no.',

  'source.inspection': 'Inspection',
  'source.public': 'Public report',
  'source.assessment': 'Assessment',
  'source.unannounced': 'Unannounced inspection',

  'place.subdistrict': 'Subdistrict',
  'place.unit': 'Responsible unit',
  'place.address': 'Address',
  'place.length': 'Length',
  'place.lengthValue': '{n} m',
  'place.problems': 'Problems',
  'place.total': 'Total',
  'place.open': 'Open',
  'place.overdue': 'Overdue',
  'place.id': 'Point no.',

  'common.none': '—',
  'error.title': 'Could not load data',
  'error.retry': 'Retry',
  'error.dismiss': 'Dismiss',
  'error.map': 'Map data failed to load: {message}',
  'error.network': 'Cannot reach the server; check the network or that the service is running',

  'drawer.open': 'Layers & filters',
  'drawer.close': 'Close',

  'route.open': 'Route',
  'route.title': 'Route between two points',
  'route.close': 'Close',
  'route.pickStart': 'Click the start on the map',
  'route.pickEnd': 'Now click the end',
  'route.pickAgain': 'Click the map to pick a new start',
  'route.clear': 'Clear',
  'route.profile': 'Mode',
  'route.time': 'Time',
  'route.distance': 'Distance',
  'route.profile.walk': 'Walk',
  'route.profile.ebike': 'E-bike',
  'route.profile.car': 'Car',
  'route.failed': 'No route',
  'route.snapStart': 'The start is {m} m from the nearest road; the route starts on the road',
  'route.snapEnd': 'The end is {m} m from the nearest road; the route ends on the road',
  'route.startMark': 'A',
  'route.endMark': 'B',

  'login.title': 'Xuncha · Civilized City',
  'login.subtitle': 'Sign in with the account you were given',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.help': 'Forgot your password? Ask the administrator',
  'user.logout': 'Sign out',
  'user.password': 'Change password',
  'role.admin': 'Administrator',
  'role.leader': 'Leader',
  'role.inspector': 'Inspector',
  'role.unit': 'Responsible unit',
  'role.api': 'API client',
  'role.screen': 'Big screen',
  'password.title': 'Change password',
  'password.required': 'Please set a new password before you start.',
  'password.current': 'Current password',
  'password.next': 'New password (8 characters or more)',
  'password.again': 'New password again',
  'password.mismatch': 'The two new passwords differ',
  'password.save': 'Save',
  'password.cancel': 'Cancel',
};

/** The whole dictionary, by language. */
export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

/** Is `key` in the dictionary? For keys built from data (e.g. `source.${value}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}

/**
 * The text for `key` in `lang`, with `{name}` placeholders replaced from `params`.
 *
 * @example translate('en', 'filters.count', { n: 12 }) // '12 problems'
 */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = MESSAGES[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
