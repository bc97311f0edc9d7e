import type { SkinLook } from "@arena/shared/progression/skins";
import type { AuthSession } from "./auth-session.ts";
import { requestJson } from "./http-client.ts";

/** One ledger row of `GET /api/profile`. */
export interface LedgerRow {
  id: string;
  amount: number;
  reason: "match" | "login_bonus" | "skin_unlock" | "admin_adjust";
  reference: string;
  created_at: string;
}

/** `GET /api/profile`. */
export interface Profile {
  username: string;
  balance: number;
  lifetime_earned: number;
  login_streak: number;
  owned_skins: string[];
  equipped_skin: string;
  /** The last 20 rows, newest first. */
  ledger: LedgerRow[];
}

/** One skin of `GET /api/skins`. */
export interface SkinOffer {
  id: string;
  name: string;
  price: number;
  look: SkinLook;
  owned: boolean;
  equipped: boolean;
}

/** The backend's progression API (docs/progression.md): profile, skins, unlock, equip. */
export class ProgressionApi {
  constructor(
    private readonly backendUrl: string,
    private readonly auth: AuthSession,
  ) {}

  profile(): Promise<Profile> {
    return this.auth.withToken((token) => requestJson<Profile>(`${this.backendUrl}/api/profile`, { token }));
  }

  /** The catalogue; owned/equipped are false when not logged in. */
  async skins(): Promise<SkinOffer[]> {
    const token = await this.auth.accessToken();
    const body = await requestJson<{ skins: SkinOffer[] }>(`${this.backendUrl}/api/skins`, { token: token ?? undefined });
    return body.skins;
  }

  /** Spends points on a skin; throws INSUFFICIENT_POINTS (with `balance` and `price` in its details) when short. */
  unlock(skinId: string): Promise<{ spent: boolean; balance: number }> {
    return this.auth.withToken((token) => requestJson<{ spent: boolean; balance: number }>(this.#skinUrl(skinId, "unlock"), { body: {}, token }));
  }

  /** Wears an owned skin; the answer's fresh access JWT carries it to the next room ticket. */
  async equip(skinId: string): Promise<void> {
    const body = await this.auth.withToken((token) => requestJson<{ access_token: string }>(this.#skinUrl(skinId, "equip"), { body: {}, token }));
    this.auth.adoptAccessToken(body.access_token);
  }

  #skinUrl(skinId: string, action: "unlock" | "equip"): string {
    return `${this.backendUrl}/api/skins/${encodeURIComponent(skinId)}/${action}`;
  }
}
