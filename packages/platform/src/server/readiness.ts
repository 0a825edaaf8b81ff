/** A dependency the service cannot serve without (database, Redis, Kafka, an upstream). */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 1_500;

/**
 * Readiness = not draining and every dependency answers. Shared by HTTP /readyz and the gRPC
 * health service so both probes always agree.
 */
export class Readiness {
  private draining = false;

  constructor(private readonly checks: ReadinessCheck[] = []) {}

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Called first on shutdown so load balancers stop sending work before we stop accepting it. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    if (this.draining) checks.shutdown = 'draining';
    await Promise.all(
      this.checks.map(async ({ name, check }) => {
        checks[name] = await withTimeout(check(), CHECK_TIMEOUT_MS).then(
          () => 'ok',
          (err: unknown) => `failing: ${err instanceof Error ? err.message : String(err)}`,
        );
      }),
    );
    return { ready: Object.values(checks).every((s) => s === 'ok'), checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
