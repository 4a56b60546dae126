import { useMemo } from 'react';
import { qrShape } from './phone-access';

/** Modules of light margin around the symbol: the four the QR standard asks for, so cameras find the edges. */
const QUIET_ZONE = 4;

/** A QR code of `text`, drawn as SVG in the page (nothing is fetched); `label` is what a screen reader says. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, d } = useMemo(() => qrShape(text), [text]);
  const side = size + 2 * QUIET_ZONE;
  return (
    <svg
      className="qr-code"
      viewBox={`${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-testid="qr-code"
      data-text={text}
    >
      <rect x={-QUIET_ZONE} y={-QUIET_ZONE} width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
