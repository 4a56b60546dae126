/**
 * Turns MapLibre 'error' events into one short line per distinct failure, so a broken tile endpoint
 * shows one banner line instead of one per tile.
 */

/** The parts of MapLibre's AJAXError we read. NOTE: AJAXError is not exported as a value, so we duck-type it. */
interface HttpErrorLike {
  status: number;
  url: string;
  body?: Blob;
}

function isHttpError(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as HttpErrorLike).status === 'number' && typeof (err as HttpErrorLike).url === 'string';
}

/**
 * A key that is the same for every failing tile of one source and status (for de-duplication), and
 * the message to show: the server's own `{ error }` sentence when its body carries one.
 */
export async function describeMapError(err: unknown, sourceId: string | undefined): Promise<{ key: string; message: string }> {
  if (isHttpError(err)) {
    const what = sourceId ? `${sourceId} tiles` : err.url.replace(/\/\d+\/\d+\/\d+\.pbf/, '/{z}/{x}/{y}.pbf').split('?')[0];
    let sentence = '';
    if (err.body && err.body.size > 0 && err.body.size < 10_000) {
      const text = await err.body.text();
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') sentence = parsed.error;
      } catch (parseErr) {
        // Not the API's JSON error body (a proxy page, say): the status alone is the message.
        if (!(parseErr instanceof SyntaxError)) throw parseErr;
      }
    }
    return { key: `${what} ${err.status} ${sentence}`, message: `${what} (HTTP ${err.status})${sentence ? `: ${sentence}` : ''}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { key: message, message };
}
