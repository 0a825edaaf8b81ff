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

/**
 * What an error may say beyond its kind. Deliberately few: each one is a fact a client acts on.
 */
export interface AppErrorOptions {
  cause?: unknown;
  /** When the client may try again (rate limits): sent as the `Retry-After` response header. */
  retryAfterSeconds?: number;
  /** resource_exhausted because the request itself is too big (HTTP 413), not too frequent (429). */
  tooLarge?: boolean;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly retryAfterSeconds?: number;
  readonly tooLarge: boolean;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.tooLarge = options.tooLarge ?? false;
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
export const resourceExhausted = (message: string, retryAfterSeconds?: number) =>
  new AppError('resource_exhausted', message, [], { retryAfterSeconds });
/** A request body over the size limit (HTTP 413). */
export const payloadTooLarge = (maxBytes: number) =>
  new AppError('resource_exhausted', `request body larger than ${maxBytes} bytes`, [], { tooLarge: true });

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
