/**
 * The history an imported problem's timestamps imply. Imports carry no history, only the times of each
 * step; until a problem changes here its history is derived from them, and on its first change the
 * derived steps are written to the store ahead of the new one (so stored history is always complete).
 */
import type { ProblemProps, ProblemStatus } from '../contract/problems';
import type { HistoryAction } from '../contract/workflow';

/** Who the derived steps are attributed to, when the import does not say. */
export const IMPORT_ACTOR = '导入';

export interface DerivedStep {
  at: string;
  action: HistoryAction;
  from: ProblemStatus | null;
  to: ProblemStatus;
  actor: string;
  note: string;
  unitId: string | null;
  deadline: string | null;
}

/** Steps of an imported problem, oldest first: report, then assign / rectify / pass as far as it got. */
export function deriveHistory(p: ProblemProps): DerivedStep[] {
  const steps: DerivedStep[] = [
    {
      at: p.reportedAt,
      action: 'report',
      from: null,
      to: 'reported',
      actor: p.reporter || IMPORT_ACTOR,
      note: p.description,
      unitId: p.unitId,
      deadline: null,
    },
  ];
  let status: ProblemStatus = 'reported';
  const step = (at: string | null, action: HistoryAction, to: ProblemStatus, extra: Partial<DerivedStep> = {}) => {
    if (at === null) return;
    steps.push({ at, action, from: status, to, actor: IMPORT_ACTOR, note: '', unitId: null, deadline: null, ...extra });
    status = to;
  };
  step(p.assignedAt, 'assign', 'assigned', { unitId: p.unitId, deadline: p.deadline, note: p.noticeNo ? `整改通知单 ${p.noticeNo}` : '' });
  step(p.rectifiedAt, 'rectify', 'rectified');
  step(p.closedAt, 'pass', 'closed');
  return steps;
}
