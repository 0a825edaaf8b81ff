import { create } from '@bufbuild/protobuf';
import { ListProductsRequestSchema, ProductSort } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { PaymentMethod, PlaceOrderRequestSchema } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
import { messageViolations } from './input-checks';

describe('messageViolations', () => {
  it('names every text field holding U+0000, by its path, nested and in lists', () => {
    const request = create(PlaceOrderRequestSchema, {
      note: 'leave at\0 the door',
      deliveryAddress: { line1: 'Main St', city: 'Nai\0robi' },
      lines: [{ productId: 'a' }, { productId: '\0' }],
      idempotencyKey: 'k',
      paymentMethod: PaymentMethod.PAY_ON_DELIVERY,
    });
    expect(messageViolations(PlaceOrderRequestSchema, request).map((v) => v.field)).toEqual([
      'lines[1].product_id',
      'delivery_address.city',
      'note',
    ]);
  });

  it('names an enum number the schema does not define, and accepts the defined ones', () => {
    expect(
      messageViolations(ListProductsRequestSchema, create(ListProductsRequestSchema, { sort: 99 as ProductSort })),
    ).toEqual([{ field: 'sort', description: expect.stringContaining('unknown value 99') as string }]);
    expect(
      messageViolations(
        ListProductsRequestSchema,
        create(ListProductsRequestSchema, { sort: ProductSort.NEWEST, query: 'tea' }),
      ),
    ).toEqual([]);
  });
});
