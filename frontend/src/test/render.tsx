import { render } from '@testing-library/react';
import { getOperationAST } from 'graphql';
import { Client, cacheExchange, makeErrorResult, makeResult, type Exchange, type Operation } from 'urql';
import { filter, fromValue, makeSubject, mergeMap, pipe, type Subject } from 'wonka';
import { App } from '../App';
import { useSession } from '../lib/store';

type Vars = Record<string, unknown>;
export type Handler = (variables: Vars) => unknown;

/** Results per operation name; an Error gives a GraphQL error result. Subscriptions read from `subjects`. */
export function mockClient(handlers: Record<string, Handler>, subjects: Record<string, Subject<unknown>> = {}) {
  const calls: Array<{ name: string; variables: Vars }> = [];
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op: Operation) => op.kind !== 'teardown'),
      mergeMap((op: Operation) => {
        const name = getOperationAST(op.query)?.name?.value ?? '';
        const variables = (op.variables ?? {}) as Vars;
        calls.push({ name, variables });
        if (op.kind === 'subscription') {
          const subject = subjects[name] ?? (subjects[name] = makeSubject());
          return pipe(
            subject.source,
            mergeMap((data) => fromValue(data instanceof Error ? makeErrorResult(op, data) : makeResult(op, { data: data as Record<string, unknown> }))),
          );
        }
        const handler = handlers[name];
        if (!handler) return fromValue(makeErrorResult(op, new Error(`no mock for ${name}`)));
        const data = handler(variables);
        return fromValue(data instanceof Error ? makeErrorResult(op, data) : makeResult(op, { data: data as Record<string, unknown> }));
      }),
    );
  const client = new Client({ url: 'http://test/graphql', exchanges: [cacheExchange, exchange], requestPolicy: 'network-only' });
  return { client, calls, subjects, called: (name: string) => calls.filter((c) => c.name === name) };
}

export function renderAt(path: string, handlers: Record<string, Handler>, options: { signedIn?: boolean; cartId?: string; subjects?: Record<string, Subject<unknown>> } = {}) {
  useSession.setState({ accessToken: options.signedIn ? 'token' : null, refreshToken: null, cartId: options.cartId ?? null });
  const mock = mockClient(handlers, options.subjects);
  const view = render(<App client={mock.client} path={path} />);
  return { ...view, ...mock };
}

export const money = (amount: string, currencyCode = 'EUR') => ({ amount, currencyCode, __typename: 'Money' });

export const product = (n: number, extra: Record<string, unknown> = {}) => ({
  __typename: 'Product',
  id: `P${n}`,
  slug: `product-${n}`,
  name: `Product ${n}`,
  price: money(`${n}0.00`),
  images: n % 2 ? [{ __typename: 'ProductImage', id: `I${n}`, alt: '', small: `/img/${n}.webp` }] : [],
  rating: { __typename: 'Rating', average: '4.5', count: n },
  ...extra,
});

export const cost = () => ({
  subtotalAmount: money('20.00'),
  shippingAmount: money('4.90'),
  taxAmount: money('3.80'),
  discountAmount: money('2.00'),
  giftCardAmount: money('0.00'),
  totalAmount: money('26.70'),
});

export const cart = (extra: Record<string, unknown> = {}) => ({
  __typename: 'Cart',
  id: 'C1',
  status: 'ACTIVE',
  totalQuantity: 2,
  lines: [
    { __typename: 'CartLine', id: 'L1', quantity: 2, sku: 'TEE-S', name: 'Tee / S', unitPrice: money('10.00'), totalPrice: money('20.00'), merchandise: { id: 'V1', product: { slug: 'tee' } } },
  ],
  cost: cost(),
  discountCodes: [],
  problems: [],
  buyerIdentity: { email: null },
  shippingAddress: null,
  deliveryOptions: [],
  selectedDeliveryOption: null,
  ...extra,
});
