import { fromBinary } from '@bufbuild/protobuf';
import { ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';

/**
 * What a client may see of an upstream call's failure. Errors the upstream answered are already
 * safe Connect errors: code, message and details pass through, but not the upstream's response
 * metadata (none of its headers may leak onto the public response). A `cause` means the failure
 * happened locally (connection refused, reset), whose message names internal addresses: the
 * client gets the code with a generic message instead.
 */
export function publicUpstreamError(err: ConnectError): ConnectError {
  const message = err.cause === undefined ? err.rawMessage : 'upstream unavailable';
  const error = new ConnectError(message, err.code);
  error.details.push(...err.details.map(readableDetail));
  return error;
}

/** Known detail types are decoded so Connect JSON clients also get them as readable `debug` JSON. */
function readableDetail(detail: ConnectError['details'][number]): ConnectError['details'][number] {
  if ('desc' in detail || detail.type !== BadRequestSchema.typeName) return detail;
  return { desc: BadRequestSchema, value: fromBinary(BadRequestSchema, detail.value) };
}
