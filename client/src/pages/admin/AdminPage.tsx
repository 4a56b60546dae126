/**
 * 系统管理 — the administrator's page: accounts (create, disable, reset a password), API keys for other
 * city systems, read-only screen tokens for wall PCs with the assessment window the big screen counts
 * down to, how the 红黑榜 weighs the 测评 得分率, the working-day calendar deadlines count through, the audit log of every write, phone access (HTTPS addresses as QR codes, the CA to install)
 * and the backups.
 */
import { useState } from 'react';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { AssessmentPanel } from './AssessmentPanel';
import { AuditPanel } from './AuditPanel';
import { BackupPanel } from './BackupPanel';
import { BasemapPanel } from './BasemapPanel';
import { CalendarPanel } from './CalendarPanel';
import { FormulaPanel } from './FormulaPanel';
import { PhonePanel } from './PhonePanel';
import { RankingWeightsPanel } from './RankingWeightsPanel';
import { TokensPanel } from './TokensPanel';
import { UsersPanel } from './UsersPanel';

const TABS = ['users', 'keys', 'screens', 'rankings', 'calendar', 'basemap', 'audit', 'phone', 'backups'] as const;
type Tab = (typeof TABS)[number];

export function AdminPage({ meta }: PageProps) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('users');
  return (
    <div className="admin-page">
      <div className="admin-tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`admin-tab-${k}`}>
            {t(`admin.tab.${k}`)}
          </button>
        ))}
      </div>
      <div className="admin-body">
        {tab === 'users' && <UsersPanel meta={meta} />}
        {tab === 'keys' && <TokensPanel kind="api-keys" />}
        {tab === 'screens' && <TokensPanel kind="screen-tokens" />}
        {tab === 'screens' && <AssessmentPanel />}
        {tab === 'rankings' && <FormulaPanel />}
        {tab === 'rankings' && <RankingWeightsPanel />}
        {tab === 'calendar' && <CalendarPanel />}
        {tab === 'basemap' && <BasemapPanel />}
        {tab === 'audit' && <AuditPanel />}
        {tab === 'phone' && <PhonePanel />}
        {tab === 'backups' && <BackupPanel />}
      </div>
    </div>
  );
}
