/**
 * The closed set of failure kinds every service speaks. Domain and application code throw
 * these; only the transport edge (to-connect.ts) knows how they look on the wire.
 * This file imports nothing so that domain code can depend on it without a framework.
 */
export type ErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'unavailable';

/** One offending input field, named by its path in the request (e.g. `lines[2].quantity`). */
export interface FieldViolation {
  field: string;
  description: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input: names every offending field so a client can fix its request in one go. */
export function invalidArgument(violations: FieldViolation[]): AppError {
  const summary = violations.map((v) => `${v.field}: ${v.description}`).join('; ');
  return new AppError('invalid_argument', summary, violations);
}

export function invalidField(field: string, description: string): AppError {
  return invalidArgument([{ field, description }]);
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const alreadyExists = (message: string, field?: string) =>
  new AppError('already_exists', message, field ? [{ field, description: message }] : []);
export const failedPrecondition = (message: string, field?: string) =>
  new AppError('failed_precondition', message, field ? [{ field, description: message }] : []);
export const permissionDenied = (message = 'permission denied') => new AppError('permission_denied', message);
export const unauthenticated = (message = 'authentication required') => new AppError('unauthenticated', message);
export const unavailable = (message: string, cause?: unknown) => new AppError('unavailable', message, [], { cause });
export const resourceExhausted = (message: string) => new AppError('resource_exhausted', message);

/** Collects violations while validating a whole request, then throws once. */
export class Violations {
  private readonly list: FieldViolation[] = [];

  add(field: string, description: string): this {
    this.list.push({ field, description });
    return this;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw invalidArgument(this.list);
  }
}
