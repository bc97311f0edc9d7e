/**
 * Deterministic numbers from integers (no state, no Math.random): the same seed and
 * inputs always give the same output, so the server can recompute any dot position
 * and tests are reproducible. Not cryptographic; the seed itself stays on the server.
 */

/** A 32-bit avalanche hash of a seed and any number of integer inputs (murmur3 finaliser). */
export function hash32(seed: number, ...inputs: number[]): number {
  let h = seed >>> 0;
  for (const input of inputs) {
    h = Math.imul(h ^ (input >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A number in [0, 1) derived from the seed and inputs. */
export function unitFloat(seed: number, ...inputs: number[]): number {
  return hash32(seed, ...inputs) / 4294967296;
}
