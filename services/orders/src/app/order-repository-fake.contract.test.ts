import { MemoryOrderRepository } from '../../test/memory/order-repository';
import { orderRepositoryContract } from '../../test/contracts/order-repository.contract';

// The fake the fast route tests use is held to the same contract as PgOrderRepository
// (test/order-repository.contract.int.test.ts), so the two cannot drift apart.
describe('the in-memory OrderRepository honours the OrderRepository contract', () => {
  orderRepositoryContract(async (encode) => {
    const orders = new MemoryOrderRepository(encode);
    return { orders, written: async (orderId) => orders.written(orderId) };
  });
});
