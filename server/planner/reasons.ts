/** Why a stop is not in any route, in the words the page and the task sheet show (zh first). */
import type { DropReasonCode } from '../contract/plans';

const PROFILE_ZH: Record<string, string> = { walk: '步行', ebike: '电动自行车', car: '汽车' };

/** `{ zh, en }` for a drop reason; `profile` names how the team travels (unsnappable stops). */
export function reasonText(code: DropReasonCode, profile: string): { zh: string; en: string } {
  switch (code) {
    case 'no-skilled-team':
      return { zh: '没有巡查组具备该点位所需的技能', en: 'No team has the skills this stop needs' };
    case 'window-unreachable':
      return { zh: '没有巡查组能在该点位的时间窗内到达', en: 'No team can get there within its time window' };
    case 'over-budget':
      return { zh: '即使只去这一个点位，也超出每个巡查组的时长', en: "Even on its own it does not fit in any team's time budget" };
    case 'over-capacity':
      return { zh: '超出每个巡查组的容量', en: "Exceeds every team's capacity" };
    case 'lower-priority':
      return { zh: '时长已排满更重要的点位，放不下', en: 'The time budgets are taken by more valuable stops' };
    case 'lock-conflict':
      return { zh: '锁定到该组后，与该组其他锁定点位无法同时完成', en: "Locked to its team, it does not fit with that team's other locked stops" };
    case 'unsnappable':
      return {
        zh: `距最近可${PROFILE_ZH[profile] ?? profile}通行的道路超过 500 米，无法到达`,
        en: `More than 500 m from the nearest road usable by ${profile}: cannot be reached`,
      };
    case 'unreachable':
      return { zh: '所在道路与其他点位不连通', en: 'Its street does not connect to the other stops' };
    case 'removed':
      return { zh: '已在编辑时移出路线', en: 'Taken out of the routes while editing' };
  }
}
