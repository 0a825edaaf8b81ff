import { invalidField } from '@ordersystem/platform/errors';

export type Role = 'customer' | 'admin';
export const ROLES: readonly Role[] = ['customer', 'admin'];

/** A registered user, identified to the outside world by `id` and to the OpenID provider by (issuer, subject). */
export interface Customer {
  id: string;
  issuer: string;
  subject: string;
  email: string;
  name: string;
  phoneNumber: string;
  roles: Role[];
  createdAt: Date;
  updatedAt: Date;
}

/** What the identity provider told us about the person who just logged in. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export const NAME_MAX_LENGTH = 200;

/** A display name is 1..200 characters after trimming. */
export function validateName(raw: string, field = 'name'): string {
  const name = raw.trim();
  if (name.length === 0) throw invalidField(field, 'must not be empty');
  if ([...name].length > NAME_MAX_LENGTH) throw invalidField(field, `must be at most ${NAME_MAX_LENGTH} characters`);
  return name;
}

/**
 * The name to store from a provider identity: the provider's name cut to the limit, or the local
 * part of the email when the provider sends none (a profile must always have a name).
 */
export function nameFromProvider(identity: Pick<ProviderIdentity, 'name' | 'email'>): string {
  const name = identity.name.trim() || identity.email.split('@')[0] || 'customer';
  return [...name].slice(0, NAME_MAX_LENGTH).join('');
}

/**
 * Whether this login grants the admin role through configuration. Only a provider-verified email
 * counts: otherwise anyone able to register an account with an admin's address at some provider
 * would become admin.
 */
export function isConfiguredAdmin(
  identity: Pick<ProviderIdentity, 'email' | 'emailVerified'>,
  adminEmails: readonly string[],
): boolean {
  return identity.emailVerified && adminEmails.includes(identity.email.toLowerCase());
}

/** A role set with `customer` always present, no duplicates, in a stable order. */
export function normaliseRoles(roles: readonly Role[]): Role[] {
  const set = new Set<Role>(['customer', ...roles]);
  return ROLES.filter((role) => set.has(role));
}
