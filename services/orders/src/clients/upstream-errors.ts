import { Code, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { AppError, kindOf, unavailable } from '@ordersystem/platform';

/**
 * Turns a failed upstream call into our own error kinds. Refusals the caller can act on keep
 * their kind, message and field violations (the catalog names `lines[2].quantity`, which is
 * also our request's field); a missing referenced thing becomes failed_precondition, because
 * not_found on a PlaceOrder would read as "this order does not exist". Everything else —
 * unreachable, deadline, overloaded, internal — is `unavailable`: the caller may retry.
 */
export function upstreamError(service: string, err: unknown): AppError {
  if (!(err instanceof ConnectError)) return unavailable(`${service} is unavailable`, err);
  const kind = kindOf(err.code);
  const violations = err
    .findDetails(BadRequestSchema)
    .flatMap((d) => d.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
  switch (kind) {
    case 'invalid_argument':
    case 'failed_precondition':
    case 'already_exists':
      return new AppError(kind, err.rawMessage, violations, { cause: err });
    case 'not_found':
      return new AppError('failed_precondition', err.rawMessage, violations, { cause: err });
    default:
      return unavailable(
        err.code === Code.DeadlineExceeded ? `${service} did not answer in time` : `${service} is unavailable`,
        err,
      );
  }
}
