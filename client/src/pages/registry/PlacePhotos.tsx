/**
 * 点位照片: the photos of a point in the registry editor — thumbnails in order, each removable, and an
 * upload that adds more (POST /api/media, then saved with the point's other fields).
 */
import { useState } from 'react';
import { uploadPhotos } from '../../api/ledger';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { PLACE_PHOTOS_MAX } from '../../../../server/contract/registry';

interface Props {
  /** Media hashes, in the order shown. */
  photos: string[];
  onChange: (photos: string[]) => void;
  disabled?: boolean;
}

export function PlacePhotos({ photos, onChange, disabled = false }: Props) {
  const { t } = useI18n();
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const room = PLACE_PHOTOS_MAX - photos.length;

  async function add(files: File[]) {
    if (files.length === 0) return;
    setUploading(true);
    setError(null);
    try {
      const stored = (await uploadPhotos(files.slice(0, room))).photos.map((p) => p.hash);
      onChange([...photos, ...stored.filter((h) => !photos.includes(h))]);
      if (files.length > room) setError(t('registry.photos.tooMany', { n: PLACE_PHOTOS_MAX }));
    } catch (err) {
      setError(describeError(err as Error, t));
    } finally {
      setUploading(false);
    }
  }

  return (
    <fieldset className="place-photos" data-testid="place-photos">
      <legend>{t('registry.field.photos')}</legend>
      {photos.length === 0 && <p className="hint">{t('registry.photos.none')}</p>}
      <ul>
        {photos.map((hash, i) => (
          <li key={hash}>
            <a href={`/media/${hash}/screen`} target="_blank" rel="noreferrer">
              <img src={`/media/${hash}/thumb`} alt={t('registry.photos.alt', { n: i + 1 })} width={72} height={72} loading="lazy" />
            </a>
            <button
              type="button"
              className="place-photo-remove"
              disabled={disabled}
              onClick={() => onChange(photos.filter((h) => h !== hash))}
              aria-label={t('registry.photos.remove', { n: i + 1 })}
              title={t('registry.photos.remove', { n: i + 1 })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {room > 0 && (
        <label className="place-photos-add">
          {uploading ? t('registry.photos.uploading') : t('registry.photos.add')}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            disabled={disabled || uploading}
            data-testid="place-photos-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              void add(files);
            }}
          />
        </label>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
