/**
 * Shrinks a camera photo on the phone before it is queued: a 12-megapixel JPEG is 4–8 MB, too much for
 * a weak signal and for IndexedDB on a small phone; 1600 px on the long side at JPEG 0.8 keeps what an
 * inspector needs to see (a stall, a sign) at about 200–400 kB.
 */
export const MAX_SIDE_PX = 1600;

/** The photo as a JPEG no larger than MAX_SIDE_PX; the original when the browser cannot decode it. */
export async function compressPhoto(file: Blob, maxSide = MAX_SIDE_PX, quality = 0.8): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (err) {
    // A format the browser cannot decode (HEIC on some phones): send it as taken, the server checks it.
    if (err instanceof DOMException || err instanceof TypeError) return file;
    throw err;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  // Keep the smaller one: a small PNG screenshot can grow as a JPEG.
  return out && out.size < file.size ? out : file;
}
