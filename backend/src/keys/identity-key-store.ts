import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { SigningKey } from "@arena/shared/tokens/identity-token";
import { IDENTITY_ALG } from "@arena/shared";

/** A public key as published in the JWKS document (RFC 7517). */
export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  /** RFC 7638 thumbprint of the key. */
  kid: string;
  alg: typeof IDENTITY_ALG;
  use: "sig";
}

/** The backend's identity keys: one signs, all (current + older) verify. KeyObjects are built once. */
export interface IdentityKeyStore {
  /** The key that signs new identity tokens (kid = its RFC 7638 thumbprint). */
  readonly signing: SigningKey;
  /** Public key for `kid` (the current key or an older one still accepted), or undefined. */
  resolve(kid: string): KeyObject | undefined;
  /** The JWKS document: every key that verifies, current first. */
  jwks(): { keys: PublicJwk[] };
}

function importKey(make: () => KeyObject, what: string): KeyObject {
  try {
    return make();
  } catch (err) {
    throw new Error(`${what} is not a valid PEM key (${(err as Error).message}).`);
  }
}

function assertP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new Error(`${what} must be an EC P-256 key (ES256).`);
  }
}

/** The public JWK of a P-256 key, with `kid` = RFC 7638 SHA-256 thumbprint. */
export function publicJwk(publicKey: KeyObject): PublicJwk {
  const jwk = publicKey.export({ format: "jwk" }) as { crv: string; kty: string; x: string; y: string };
  // RFC 7638 §3.2: the required members, lexicographic order, no whitespace.
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const kid = createHash("sha256").update(canonical).digest("base64url");
  return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid, alg: IDENTITY_ALG, use: "sig" };
}

/** Splits concatenated PEM blocks. */
export function splitPems(text: string | undefined): string[] {
  return text?.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}

/**
 * Builds a key store from the current private key and older public keys (PEM text or
 * KeyObjects). Older keys equal to the current one are ignored.
 */
export function createIdentityKeyStore(signingKey: string | KeyObject, olderKeys: Array<string | KeyObject> = []): IdentityKeyStore {
  const privateKey = typeof signingKey === "string" ? importKey(() => createPrivateKey(signingKey), "IDENTITY_SIGNING_KEY") : signingKey;
  assertP256(privateKey, "IDENTITY_SIGNING_KEY");
  const current = publicJwk(createPublicKey(privateKey));
  const byKid = new Map<string, { key: KeyObject; jwk: PublicJwk }>();
  byKid.set(current.kid, { key: createPublicKey(privateKey), jwk: current });
  for (const older of olderKeys) {
    const key = importKey(() => createPublicKey(older), "IDENTITY_VERIFY_KEYS");
    assertP256(key, "IDENTITY_VERIFY_KEYS");
    const jwk = publicJwk(key);
    if (!byKid.has(jwk.kid)) byKid.set(jwk.kid, { key, jwk });
  }
  const document = { keys: [...byKid.values()].map((entry) => entry.jwk) };
  return {
    signing: { kid: current.kid, privateKey },
    resolve: (kid) => byKid.get(kid)?.key,
    jwks: () => document,
  };
}
