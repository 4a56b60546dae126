// NOTE: types for qrcode's encoder core (qrcode/lib/core/qrcode.js, a plain CommonJS module of the
// `qrcode` package). @types/qrcode is not used in the browser's code: it references Node's types
// (`/// <reference types="node" />`), which would let node globals type-check in the client.
declare module 'qrcode/lib/core/qrcode' {
  /** The symbol's modules: `size` × `size`, row-major, 1 for a dark module. */
  export interface BitMatrix {
    size: number;
    data: Uint8Array;
  }
  export interface QRCode {
    modules: BitMatrix;
    version: number;
  }
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCode;
}
