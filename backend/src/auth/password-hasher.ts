import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id at OWASP's Password Storage Cheat Sheet minimum: m = 19 MiB (19456 KiB),
 * t = 2, p = 1. argon2id because OWASP lists it first (memory-hard against GPUs, the "id"
 * hybrid resists side channels); this parameter set is its documented baseline and costs
 * tens of milliseconds here (see docs/benchmarks.md), off the event loop (libuv pool).
 */
export const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and verifies passwords; the PHC string carries its own parameters and salt. */
export interface PasswordHasher {
  /** A PHC-format argon2id hash of `password` with a fresh random salt. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `encoded`. */
  verify(encoded: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verification (for unknown usernames), always false. */
  verifyDummy(password: string): Promise<false>;
}

export function createArgon2Hasher(options: { memoryCost: number; timeCost: number; parallelism: number } = ARGON2_OPTIONS): PasswordHasher {
  const params = { ...options, algorithm: 2 as never };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, params),
    verify: (encoded, password) => verify(encoded, password).catch(() => false),
    async verifyDummy(password) {
      dummy ??= hash("dummy-password-for-timing", params);
      await verify(await dummy, password).catch(() => false);
      return false;
    },
  };
}
