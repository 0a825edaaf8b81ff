import { create, fromBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { codeToHttpStatus } from '@connectrpc/connect/protocol-connect';
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
/** What the client sees when another service could not be reached; its address stays in our logs. */
export const UPSTREAM_UNAVAILABLE = 'upstream unavailable';

export interface MappedError {
  error: ConnectError;
  /** A bug: log it as an error with its cause. */
  unexpected: boolean;
  /** A dependency outage (the database went away): log it as a warning with its cause. */
  outage?: boolean;
  /** The HTTP status for answers written outside Connect (the gateway's plain routes and limits). */
  httpStatus: number;
}

/**
 * The one place where failures become wire errors. AppErrors keep their kind and field details
 * (and a Retry-After as response metadata); ConnectErrors raised deliberately (by Connect itself
 * or a handler) pass through; a lost database connection is `unavailable` (the client may retry;
 * it is an outage, not a bug); anything else is a bug and becomes `internal` with no detail leaked.
 */
export function toConnectError(error: unknown): MappedError {
  if (error instanceof AppError) {
    const details =
      error.violations.length > 0
        ? [{ desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [...error.violations] }) }]
        : [];
    const metadata =
      error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) };
    const mapped = new ConnectError(error.message, codes[error.kind], metadata, details);
    return { error: mapped, unexpected: false, httpStatus: error.tooLarge ? 413 : codeToHttpStatus(mapped.code) };
  }
  if (error instanceof ConnectError) {
    return {
      error,
      unexpected: error.code === Code.Internal || error.code === Code.Unknown,
      httpStatus: codeToHttpStatus(error.code),
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      error: new ConnectError(DATABASE_UNAVAILABLE, Code.Unavailable),
      unexpected: false,
      outage: true,
      httpStatus: 503,
    };
  }
  return { error: new ConnectError(INTERNAL_MESSAGE, Code.Internal), unexpected: true, httpStatus: 500 };
}

/** The reverse direction, for clients: a remote failure becomes a local AppError kind. */
export function kindOf(code: Code): ErrorKind | undefined {
  return (Object.entries(codes) as [ErrorKind, Code][]).find(([, c]) => c === code)?.[0];
}

/**
 * What may be passed on of a failed call to another service (the gateway relays its upstreams'
 * answers to the public). An answer the upstream gave keeps its code, message and details, but
 * not its response metadata: none of its headers may leak. A failure of the connection itself is
 * `unavailable` with a generic message: connect-node reports a reset or broken HTTP/2 stream (an
 * upstream killed mid-call) as `aborted`, `canceled` or `internal`, which would tell the client
 * its request conflicted or hit a bug, and its messages name internal addresses. Only our own
 * deadline, or our caller leaving (`callerSignal` aborted), keep their code.
 */
export function relayUpstreamError(err: unknown, callerSignal?: AbortSignal): ConnectError {
  if (!(err instanceof ConnectError)) return new ConnectError(UPSTREAM_UNAVAILABLE, Code.Unavailable);
  if (isUpstreamAnswer(err)) {
    const relayed = new ConnectError(err.rawMessage, err.code);
    relayed.details.push(...err.details.map(readableDetail));
    return relayed;
  }
  const ownDeadline = err.code === Code.DeadlineExceeded;
  const callerLeft = err.code === Code.Canceled && callerSignal?.aborted === true;
  if (err.cause === undefined && (ownDeadline || callerLeft)) return new ConnectError(err.rawMessage, err.code);
  return new ConnectError(UPSTREAM_UNAVAILABLE, Code.Unavailable);
}

/**
 * An error the upstream sent: it has response metadata (gRPC's grpc-status trailer, Connect's
 * headers). Failures made locally have none, or carry the Node error as `cause`.
 */
function isUpstreamAnswer(err: ConnectError): boolean {
  return err.cause === undefined && [...err.metadata.keys()].length > 0;
}

/** Known detail types are decoded so Connect JSON clients also get them as readable `debug` JSON. */
function readableDetail(detail: ConnectError['details'][number]): ConnectError['details'][number] {
  if ('desc' in detail || detail.type !== BadRequestSchema.typeName) return detail;
  return { desc: BadRequestSchema, value: fromBinary(BadRequestSchema, detail.value) };
}
