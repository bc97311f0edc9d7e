import type { BreakerState, CircuitBreaker } from "./circuit-breaker.ts";

/** One dependency as /readyz checks it. */
export interface DependencyCheck {
  /** "db", "redis". */
  name: string;
  /** Resolves when the dependency answers a trivial request; rejects or resolves false otherwise. */
  ping(): Promise<unknown>;
  /** Its breaker, reported alongside. */
  breaker?: CircuitBreaker;
}

/** What /readyz says about one dependency. */
export interface DependencyReport {
  status: "up" | "down";
  /** The breaker's state ("closed" when the process has none for it). */
  breaker: BreakerState;
}

/** Every dependency's report; `ready` only when all are up. */
export interface ReadinessReport {
  ready: boolean;
  dependencies: Record<string, DependencyReport>;
}

/** Pings every dependency at once, each bounded by `timeoutMs` (a frozen one is "down", not a hang). */
export async function checkDependencies(checks: DependencyCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const reports = await Promise.all(
    checks.map(async (check): Promise<[string, DependencyReport]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const answered = await Promise.race([check.ping().then((ok) => ok !== false, () => false), timeout]);
      clearTimeout(timer);
      return [check.name, { status: answered ? "up" : "down", breaker: check.breaker?.state ?? "closed" }];
    }),
  );
  return { ready: reports.every(([, r]) => r.status === "up"), dependencies: Object.fromEntries(reports) };
}
