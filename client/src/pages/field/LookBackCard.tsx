/**
 * "附近 60 米有待复查问题": the nearest rectified problem within 100 m of me, offered for its look-back
 * (复查). The result goes into the record queue with the status I saw (rectified), so a problem
 * someone else closes meanwhile becomes a conflict instead of being overwritten.
 */
import { useState } from 'react';
import type { LookBackDue } from '../../api/field';
import type { Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { fieldQueue } from './queue';

interface LookBackCardProps {
  meta: Meta;
  due: LookBackDue & { distanceM: number };
  owner: string;
  /** Called once the look-back is queued (the card then offers the next one). */
  onQueued: (problemId: string) => void;
}

/** The card. */
export function LookBackCard({ meta, due, owner, onQueued }: LookBackCardProps) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const category = meta.categories.find((c) => c.id === due.category);
  const label = `${category?.[lang] ?? due.category} · ${due.description} (${due.id})`;
  const queue = async (to: 'closed' | 'assigned') => {
    setBusy(true);
    try {
      await fieldQueue().add(
        'transition',
        {
          problemId: due.id,
          to,
          expect: 'rectified',
          note: note.trim() || (to === 'closed' ? t('field.lookBackPass') : t('field.lookBackFail')),
          label,
          lngLat: due.lngLat,
          category: due.category,
        },
        owner,
      );
      setNote('');
      onQueued(due.id);
      if (navigator.onLine) void fieldQueue().sync(owner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="field-card field-lookback" data-testid="field-lookback" data-problem={due.id}>
      <small>{t('field.lookBackNear', { m: Math.round(due.distanceM) })}</small>
      <h2>{label}</h2>
      <input type="text" placeholder={t('field.lookBackNote')} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="field-conflict-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void queue('closed')} data-result="pass">
          {t('field.lookBackPass')}
        </button>
        <button type="button" disabled={busy || note.trim() === ''} onClick={() => void queue('assigned')} data-result="fail">
          {t('field.lookBackFail')}
        </button>
      </div>
    </article>
  );
}
