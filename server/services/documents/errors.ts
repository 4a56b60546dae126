import { AppError } from '../../errors';

/** The request conflicts with the problem's state (e.g. a notice for a problem never assigned): 409. */
export class ConflictError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(409, message, options);
  }
}
