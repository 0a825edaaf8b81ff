import { ListProductsRequestSchema } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { ListOrdersRequestSchema, PlaceOrderRequestSchema } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { locateJsonError, unknownEnumNames } from './json-paths';

describe('locateJsonError names the field a JSON request cannot be decoded at', () => {
  it.each([
    [PlaceOrderRequestSchema, { deliveryAddress: 5 }, 'delivery_address', 'must be a JSON object, got 5'],
    [
      PlaceOrderRequestSchema,
      { note: 'ok', deliveryAddress: { line1: 5 } },
      'delivery_address.line1',
      'expected string, got 5',
    ],
    [
      PlaceOrderRequestSchema,
      { lines: [{ quantity: '1' }, { quantity: 'many' }] },
      'lines[1].quantity',
      'expected bigint (int64): many out of range',
    ],
    [PlaceOrderRequestSchema, { lines: [{}, 7] }, 'lines[1]', 'must be a JSON object, got 7'],
    [PlaceOrderRequestSchema, { lines: 5 }, 'lines', 'expected Array, got 5'],
    [
      ListOrdersRequestSchema,
      { createdAfter: 'yesterday' },
      'created_after',
      'must be an RFC 3339 date-time such as "2026-01-31T09:30:00Z"',
    ],
    [ListProductsRequestSchema, { page_size: 'x' }, 'page_size', 'expected number (uint32), got "x"'],
  ])('%#: %j → %s', (desc, json, field, description) => {
    expect(locateJsonError(desc, json)).toEqual({ field, description });
  });

  it('finds nothing to blame in JSON that is not an object or decodes fine', () => {
    expect(locateJsonError(PlaceOrderRequestSchema, undefined)).toBeUndefined();
    expect(locateJsonError(PlaceOrderRequestSchema, [1])).toBeUndefined();
    expect(locateJsonError(PlaceOrderRequestSchema, { note: 'fine', unknownKey: 5 })).toBeUndefined();
  });
});

describe('unknownEnumNames', () => {
  it('names enum values given by a name the schema does not know, at any depth', () => {
    expect(unknownEnumNames(ListProductsRequestSchema, { sort: 'PRODUCT_SORT_CHEAPEST' }).map((v) => v.field)).toEqual([
      'sort',
    ]);
    expect(
      unknownEnumNames(PlaceOrderRequestSchema, { paymentMethod: 'PAYMENT_METHOD_BITCOIN' }).map((v) => v.field),
    ).toEqual(['payment_method']);
  });

  it('accepts known names, numbers (checked on the decoded message) and absent fields', () => {
    expect(unknownEnumNames(ListProductsRequestSchema, { sort: 'PRODUCT_SORT_NAME' })).toEqual([]);
    expect(unknownEnumNames(ListProductsRequestSchema, { sort: 2 })).toEqual([]);
    expect(unknownEnumNames(ListProductsRequestSchema, {})).toEqual([]);
    expect(unknownEnumNames(ListProductsRequestSchema, undefined)).toEqual([]);
  });
});
