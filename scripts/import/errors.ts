/** A problem with an input file or option; the message names the file and line/element and says how to fix it. */
export class ImportError extends Error {
  override name = 'ImportError';
}
