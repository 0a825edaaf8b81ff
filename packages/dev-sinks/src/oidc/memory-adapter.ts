type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number };

/**
 * oidc-provider storage in process memory with expiry (the provider's own in-memory adapter is
 * the same idea but warns on every start). Development only: a restart forgets sessions, which
 * at worst shows the login form again.
 */
export function memoryAdapterFactory() {
  const store = new Map<string, { payload: Payload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  const findBy = (field: 'uid' | 'userCode', value: string, model: string) =>
    [...store.entries()].find(([key, e]) => key.startsWith(`${model}:`) && e.payload[field] === value && live(key))?.[1]
      .payload;

  return class MemoryAdapter {
    constructor(readonly model: string) {}
    key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Payload, expiresIn: number) {
      store.set(this.key(id), { payload, expiresAt: Date.now() + (expiresIn || 3600) * 1000 });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      return findBy('uid', uid, this.model);
    }
    async findByUserCode(userCode: string) {
      return findBy('userCode', userCode, this.model);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}
