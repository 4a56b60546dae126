import { AppError } from '../errors';

/**
 * A photo or clip the server will not take: wrong type (415), too large (413), not a readable image or
 * clip, or a clip too long (422). Nothing of the request is stored when one is raised.
 */
export class PhotoError extends AppError {
  constructor(status: 413 | 415 | 422, message: string, options?: { cause?: unknown }) {
    super(status, message, options);
  }
}
