import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";
import { TICKET_ALG } from "@arena/shared";

/** The header every ticket is signed with (what jsonwebtoken writes for HS256). */
const HEADER = Buffer.from(JSON.stringify({ alg: TICKET_ALG, typ: "JWT" })).toString("base64url");
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A compact JWS split into its parts, decoded but not verified. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `header.payload`, the signed input. */
  signingInput: string;
  signature: string;
}

/**
 * Signs `claims` as an HS256 JWT (RFC 7519 compact form, the bytes jsonwebtoken would produce).
 * Tickets are signed and verified once per join, so this is node:crypto's HMAC directly rather
 * than a general JWT library's option checking.
 */
export function signHs256(claims: object, key: KeyObject): string {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${hs256(input, key)}`;
}

/** Splits and JSON-decodes a compact JWS; null if it is not one (three base64url parts, two JSON objects). */
export function decodeJwt(token: string): DecodedJwt | null {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return null;
  const header = jsonObject(parts[0]);
  const payload = jsonObject(parts[1]);
  if (!header || !payload) return null;
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: parts[2] };
}

/** True when `jwt` is signed HS256 under `key` (header alg checked, constant-time MAC compare). */
export function hasValidHs256Signature(jwt: DecodedJwt, key: KeyObject): boolean {
  if (jwt.header.alg !== TICKET_ALG) return false;
  const expected = Buffer.from(hs256(jwt.signingInput, key));
  const given = Buffer.from(jwt.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hs256(input: string, key: KeyObject): string {
  return createHmac("sha256", key).update(input).digest("base64url");
}

function jsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
