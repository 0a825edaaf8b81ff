import { type Code, ConnectError } from '@connectrpc/connect';
import { codeToString } from '@connectrpc/connect/protocol-connect';
import { BadRequestSchema, type FieldViolation } from '@ordersystem/contracts/ordersystem/common/v1/error_details';

/** A failed call as the API describes it: what to show, what to fix and when to retry. */
export interface ApiError {
  code: Code;
  /** The Connect code as on the wire ("invalid_argument"). */
  codeName: string;
  message: string;
  /** For invalid_argument (and some failed_precondition/already_exists): every offending field by path, e.g. `lines[2].quantity`. */
  fieldViolations: Pick<FieldViolation, 'field' | 'description'>[];
  /** For resource_exhausted from a rate limit: seconds to wait (the Retry-After header). */
  retryAfterSeconds?: number;
}

/** Reads any error thrown by a client call into the API's typed error details. */
export function apiError(err: unknown): ApiError {
  const e = ConnectError.from(err);
  const retryAfter = Number(e.metadata.get('retry-after') ?? NaN);
  return {
    code: e.code,
    codeName: codeToString(e.code),
    message: e.rawMessage,
    fieldViolations: e
      .findDetails(BadRequestSchema)
      .flatMap((d) => d.fieldViolations.map(({ field, description }) => ({ field, description }))),
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
}
