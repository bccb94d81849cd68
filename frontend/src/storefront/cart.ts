import { useCallback, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CartCreateMutation, CartLinesAddMutation, CartQuery } from '../lib/operations';
import { newKey, useSession } from '../lib/store';

/** The shopper's cart (guest or signed-in): read it, and add a variant (creating the cart on first add). */
export function useCart() {
  const cartId = useSession((s) => s.cartId);
  const setCartId = useSession((s) => s.setCartId);
  const [result, refetch] = useQuery({ query: CartQuery, variables: { id: cartId ?? '' }, pause: !cartId });
  const [, createCart] = useMutation(CartCreateMutation);
  const [, addLines] = useMutation(CartLinesAddMutation);
  const [error, setError] = useState<string | null>(null);

  const add = useCallback(
    async (variantId: string, quantity = 1): Promise<boolean> => {
      setError(null);
      const lines = [{ merchandiseId: variantId, quantity }];
      const key = newKey();
      if (cartId) {
        const r = await addLines({ cartId, lines, key });
        const errs = r.data?.cartLinesAdd.userErrors ?? [];
        if (!r.error && errs.length === 0) return true;
        if (!errs.some((e) => e.code === 'CART_NOT_FOUND' || e.code === 'CART_NOT_ACTIVE')) {
          setError(errs[0]?.message ?? r.error?.message ?? 'Could not add to cart');
          return false;
        }
      }
      const r = await createCart({ lines, key: newKey() });
      const payload = r.data?.cartCreate;
      if (payload?.cart && payload.userErrors.length === 0) {
        setCartId(payload.cart.id);
        return true;
      }
      setError(payload?.userErrors[0]?.message ?? r.error?.message ?? 'Could not add to cart');
      return false;
    },
    [cartId, addLines, createCart, setCartId],
  );

  return { cartId, cart: cartId ? (result.data?.cart ?? null) : null, fetching: result.fetching, error: result.error, addError: error, add, refetch };
}
