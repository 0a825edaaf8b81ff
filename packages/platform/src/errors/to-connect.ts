import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { isDatabaseUnavailable } from '../db/pg-errors.js';
import { AppError, type ErrorKind } from './app-error.js';

const codes: Record<ErrorKind, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
};

/** What the client sees instead of an unexpected error; the cause stays in our logs. */
export const INTERNAL_MESSAGE = 'internal error';
export const DATABASE_UNAVAILABLE = 'database unavailable; retry later';

/**
 * The one place where failures become wire errors. AppErrors keep their kind and field details;
 * ConnectErrors raised deliberately (by Connect itself or a handler) pass through; a lost database
 * connection is `unavailable` (the client may retry; it is an outage, not a bug); anything else
 * is a bug and becomes `internal` with no detail leaked.
 */
export interface MappedError {
  error: ConnectError;
  /** A bug: log it as an error with its cause. */
  unexpected: boolean;
  /** A dependency outage (the database went away): log it as a warning with its cause. */
  outage?: boolean;
}

export function toConnectError(error: unknown): MappedError {
  if (error instanceof AppError) {
    const details =
      error.violations.length > 0
        ? [{ desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [...error.violations] }) }]
        : [];
    return { error: new ConnectError(error.message, codes[error.kind], undefined, details), unexpected: false };
  }
  if (error instanceof ConnectError) return { error, unexpected: error.code === Code.Internal || error.code === Code.Unknown };
  if (isDatabaseUnavailable(error)) return { error: new ConnectError(DATABASE_UNAVAILABLE, Code.Unavailable), unexpected: false, outage: true };
  return { error: new ConnectError(INTERNAL_MESSAGE, Code.Internal), unexpected: true };
}

/** The reverse direction, for clients: a remote failure becomes a local AppError kind. */
export function kindOf(code: Code): ErrorKind | undefined {
  return (Object.entries(codes) as [ErrorKind, Code][]).find(([, c]) => c === code)?.[0];
}
