import { customerRepositoryContract } from '../../test/contracts/customer-repository.contract';
import { createMemoryCustomerRepository } from '../../test/memory';

// The same suite runs against PostgreSQL in test/customer-repository.contract.int.test.ts.
describe('CustomerRepository in memory (the fake behind the fast routes tests)', () => {
  customerRepositoryContract(async () => createMemoryCustomerRepository());
});
