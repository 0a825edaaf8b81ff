import { invalidField, notFound } from '@ordersystem/platform/errors';
import { type Customer, type Role, normaliseRoles, validateName } from '../domain/customer.js';
import { normalisePhoneNumber } from '../domain/phone.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { CustomerRepository } from './ports.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ProfileDeps {
  customers: CustomerRepository;
  phoneRegion: string;
}

/** Profile reads and writes. Callers are already authorised; ids come from identity, never from the request, for "me". */
export function createProfiles(deps: ProfileDeps) {
  const get = async (id: string): Promise<Customer> => {
    // A malformed id can name no customer; answering not_found keeps ids opaque.
    const customer = isUuid(id) ? await deps.customers.findById(id) : undefined;
    if (!customer) throw notFound('customer');
    return customer;
  };

  return {
    get,

    async update(id: string, changes: { name?: string; phoneNumber?: string }): Promise<Customer> {
      const valid: { name?: string; phoneNumber?: string } = {};
      if (changes.name !== undefined) valid.name = validateName(changes.name);
      if (changes.phoneNumber !== undefined)
        valid.phoneNumber = normalisePhoneNumber(changes.phoneNumber, deps.phoneRegion);
      if (valid.name === undefined && valid.phoneNumber === undefined) return get(id);
      const updated = await deps.customers.updateProfile(id, valid);
      if (!updated) throw notFound('customer');
      return updated;
    },

    async setRoles(id: string, roles: Role[]): Promise<Customer> {
      const updated = isUuid(id) ? await deps.customers.setRoles(id, normaliseRoles(roles)) : undefined;
      if (!updated) throw notFound('customer');
      return updated;
    },

    /** Keyset pages in creation order; the token is bound to the query it was issued for. */
    async list(request: { query: string; pageSize: number; pageToken: string }) {
      if (request.pageSize > MAX_PAGE_SIZE) throw invalidField('page_size', `must be at most ${MAX_PAGE_SIZE}`);
      const limit = request.pageSize || DEFAULT_PAGE_SIZE;
      const query = request.query.trim();
      if (query.length > 200) throw invalidField('query', 'must be at most 200 characters');
      const afterSeq = request.pageToken ? decodePageToken(request.pageToken, query) : undefined;
      const rows = await deps.customers.list({ query, limit: limit + 1, ...(afterSeq ? { afterSeq } : {}) });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        customers: page.map((row) => row.customer),
        nextPageToken: rows.length > limit && last ? encodePageToken(last.seq, query) : '',
      };
    },
  };
}

export type Profiles = ReturnType<typeof createProfiles>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
