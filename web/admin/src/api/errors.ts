import { ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';

export interface ShownError {
  message: string;
  /** Every offending field the API named, e.g. `products[3].sku`. */
  fields: { field: string; description: string }[];
}

/** The API's own words for a failed call: its message and the field violations it carries. */
export function shownError(err: unknown): ShownError {
  const e = ConnectError.from(err);
  return {
    message: e.rawMessage,
    fields: e
      .findDetails(BadRequestSchema)
      .flatMap((d) => d.fieldViolations.map(({ field, description }) => ({ field, description }))),
  };
}
