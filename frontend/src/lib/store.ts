import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/**
 * Client state that does not belong in the GraphQL cache: the session's tokens and the guest cart id.
 * Everything else (products, carts, orders) is server state read through urql.
 */
export interface SessionState {
  accessToken: string | null;
  refreshToken: string | null;
  cartId: string | null;
  signIn: (accessToken: string, refreshToken: string | null) => void;
  signOut: () => void;
  setCartId: (cartId: string | null) => void;
}

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      accessToken: null,
      refreshToken: null,
      cartId: null,
      signIn: (accessToken, refreshToken) => set({ accessToken, refreshToken }),
      signOut: () => set({ accessToken: null, refreshToken: null, cartId: null }),
      setCartId: (cartId) => set({ cartId }),
    }),
    { name: 'agora.session' },
  ),
);

/** A fresh idempotency key for one user action (a retry of the same action reuses it). */
export function newKey(): string {
  return globalThis.crypto.randomUUID();
}
