/**
 * 手机接入: the QR codes of the field page's HTTPS addresses, or — over plain HTTP — what to run so
 * phones get HTTPS (README "HTTPS on the intranet"); then the local CA to install on each phone, its
 * fingerprint and the steps for Android, HarmonyOS and iOS.
 */
import { useState } from 'react';
import type { SystemTls } from '../../../../server/contract/system';
import { getSystemStatus } from '../../api/system';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { daysUntil, fingerprintLines, httpsFieldAddresses, originOf, suggestedHosts, tlsInitCommand } from './phone-access';
import { QrCode } from './QrCode';

/** The README's start command with HTTPS on 8443 and the plain-HTTP port redirecting to it. */
const HTTPS_START = 'HOST=0.0.0.0 PORT=8443 HTTP_PORT=8080 npm start';
/** The server warns this many days before its certificate expires; the panel does too. */
const EXPIRY_WARNING_DAYS = 30;

export function PhonePanel() {
  const { t } = useI18n();
  const status = useRequest(getSystemStatus, []);
  return (
    <section aria-labelledby="admin-phone" data-testid="admin-phone" data-state={status.data ? 'ready' : status.error ? 'error' : 'loading'}>
      <h2 id="admin-phone">{t('admin.phone.title')}</h2>
      <p className="muted">{t('admin.phone.help')}</p>
      {status.error && <ErrorBanner messages={[describeError(status.error, t)]} onRetry={status.retry} />}
      {!status.data && status.loading && <p role="status">{t('panel.loading')}</p>}
      {status.data && <PhoneAccess tls={status.data.tls} />}
    </section>
  );
}

function PhoneAccess({ tls }: { tls: SystemTls }) {
  const { t, lang } = useI18n();
  const pageOrigin = window.location.origin;
  const addresses = httpsFieldAddresses(tls, pageOrigin);
  const secure = tls.https || tls.requestHttps;
  const cert = tls.certificate;
  // The time the status was read: the expiry warning counts whole days, so it need not tick.
  const [now] = useState(Date.now);
  const daysLeft = cert ? daysUntil(cert.notAfter, now) : null;
  return (
    <>
      {addresses.length > 0 ? (
        <>
          <p>{t('admin.phone.scan')}</p>
          <ul className="phone-qr-list" data-testid="phone-addresses">
            {addresses.map((a) => (
              <li key={a} className="phone-qr">
                <QrCode text={a} label={t('admin.phone.qrLabel', { address: a })} />
                <a href={a}>{a}</a>
              </li>
            ))}
          </ul>
        </>
      ) : secure ? (
        <p className="phone-warning" data-testid="phone-unreachable">
          {t('admin.phone.unreachable')}
        </p>
      ) : (
        <HttpOnly tls={tls} pageOrigin={pageOrigin} />
      )}
      {cert && (
        <p className="muted" data-testid="phone-certificate">
          {t('admin.phone.certificate', {
            hosts: cert.hosts.join(lang === 'zh' ? '、' : ', '),
            until: (formatCityTime(cert.notAfter) ?? cert.notAfter).slice(0, 10),
          })}
        </p>
      )}
      {daysLeft !== null && daysLeft <= EXPIRY_WARNING_DAYS && (
        <p className="phone-failure" role="alert">
          {t('admin.phone.certificateSoon', { days: Math.max(0, daysLeft) })}
        </p>
      )}
      <CaSection tls={tls} caOrigin={addresses.length > 0 ? originOf(addresses[0]) : pageOrigin} secure={secure} />
    </>
  );
}

/** Plain HTTP: why phones need HTTPS, and the README's two commands with this server's addresses filled in. */
function HttpOnly({ tls, pageOrigin }: { tls: SystemTls; pageOrigin: string }) {
  const { t } = useI18n();
  return (
    <div className="phone-warning" data-testid="phone-http-only">
      <h3>{t('admin.phone.httpOnly')}</h3>
      <p>{t('admin.phone.httpWhy')}</p>
      <ol className="phone-steps">
        <li>
          {t('admin.phone.step.init')}
          <pre>
            <code>{tlsInitCommand(suggestedHosts(tls, pageOrigin), t('admin.phone.placeholder'))}</code>
          </pre>
        </li>
        <li>
          {t('admin.phone.step.restart')}
          <pre>
            <code>{HTTPS_START}</code>
          </pre>
        </li>
        <li>{t('admin.phone.step.reopen')}</li>
      </ol>
      <p className="muted">{t('admin.phone.proxy')}</p>
      {tls.phoneAddresses.length > 0 && (
        <>
          <p className="muted">{t('admin.phone.httpAddresses')}</p>
          <ul>
            {tls.phoneAddresses.map((a) => (
              <li key={a}>
                <code>{a}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The local CA: download (also as a QR code for the phone), fingerprint, and the install steps per phone system. */
function CaSection({ tls, caOrigin, secure }: { tls: SystemTls; caOrigin: string; secure: boolean }) {
  const { t } = useI18n();
  const ca = tls.ca;
  if (!ca)
    return (
      <section aria-labelledby="admin-ca">
        <h2 id="admin-ca">{t('admin.ca.title')}</h2>
        <p className="muted" data-testid="ca-none">
          {t(secure ? 'admin.ca.noneOwn' : 'admin.ca.noneHttp')}
        </p>
      </section>
    );
  const url = `${caOrigin}${ca.url}`;
  return (
    <section aria-labelledby="admin-ca" data-testid="admin-ca">
      <h2 id="admin-ca">{t('admin.ca.title')}</h2>
      <p className="muted">{t('admin.ca.help')}</p>
      <div className="phone-ca">
        <figure className="phone-qr">
          <QrCode text={url} label={t('admin.ca.qrLabel', { address: url })} />
          <figcaption>{t('admin.ca.scan')}</figcaption>
        </figure>
        <div>
          <p>
            <a href={ca.url} download="xuncha-ca.crt" className="phone-download" data-testid="ca-download">
              {t('admin.ca.download')}
            </a>
          </p>
          <p>
            {t('admin.ca.subject')}
            <code>{ca.subject}</code>
          </p>
          <p>{t('admin.ca.fingerprint')}</p>
          <code className="phone-fingerprint" data-testid="ca-fingerprint">
            {fingerprintLines(ca.fingerprint).map((line) => (
              <span key={line}>{line}</span>
            ))}
          </code>
        </div>
      </div>
      <div className="phone-os-list">
        <section aria-labelledby="ca-android" className="phone-os">
          <h3 id="ca-android">{t('admin.ca.android')}</h3>
          <ol>
            <li>{t('admin.ca.get', { url })}</li>
            <li>{t('admin.ca.android.install')}</li>
            <li>{t('admin.ca.android.check')}</li>
            <li>{t('admin.ca.open')}</li>
          </ol>
        </section>
        <section aria-labelledby="ca-harmony" className="phone-os">
          <h3 id="ca-harmony">{t('admin.ca.harmony')}</h3>
          <ol>
            <li>{t('admin.ca.get', { url })}</li>
            <li>{t('admin.ca.harmony.install')}</li>
            <li>{t('admin.ca.harmony.check')}</li>
            <li>{t('admin.ca.open')}</li>
          </ol>
        </section>
        <section aria-labelledby="ca-ios" className="phone-os">
          <h3 id="ca-ios">{t('admin.ca.ios')}</h3>
          <ol>
            <li>{t('admin.ca.ios.get', { url })}</li>
            <li>{t('admin.ca.ios.install')}</li>
            <li>{t('admin.ca.ios.check')}</li>
            <li>{t('admin.ca.ios.trust')}</li>
            <li>{t('admin.ca.open')}</li>
          </ol>
        </section>
      </div>
    </section>
  );
}
