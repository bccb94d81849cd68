import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading, Money } from '../components/ui';
import { fieldErrors, humanize } from '../lib/format';
import { AdminProductsQuery, ProductCreateMutation, ProductUpdateMutation, StockAdjustMutation, StockQuery } from '../lib/operations';
import { newKey } from '../lib/store';
import { useCan } from './Layout';

type Row = { id: string; name: string; status: string; price: { amount: string; currencyCode: string }; variants: ReadonlyArray<{ id: string; sku: string; name: string }> };

/** Products (MANAGE_PRODUCTS) with create, edit and publish, and stock per warehouse (MANAGE_INVENTORY). */
export function ProductsPage() {
  const [search, setSearch] = useState('');
  const [after, setAfter] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AdminProductsQuery,
    variables: { first: 25, after, filter: { search: search.trim() || null, status: ['DRAFT', 'PUBLISHED'] } },
  });
  const rows = data?.products.edges.map((e) => e.node) ?? [];
  const current = rows.find((r) => r.id === selected) ?? null;
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Products</h1>
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div>
          <div className="max-w-sm"><Field label="Search products" type="search" value={search} onChange={(e) => { setSearch(e.target.value); setAfter(null); }} /></div>
          {fetching && !data ? <Loading /> : null}
          {error && !data ? <ErrorNotice error={error} /> : null}
          {data && rows.length === 0 ? <Empty>No products match.</Empty> : null}
          {rows.length ? (
            <table className="w-full text-left">
              <caption className="sr-only">Products ({data?.products.totalCount ?? rows.length})</caption>
              <thead><tr className="border-b border-slate-300"><th scope="col" className="py-2">Name</th><th scope="col">Status</th><th scope="col">Price</th><th scope="col">Variants</th></tr></thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id} className={`border-b border-slate-100 ${p.id === selected ? 'bg-blue-50' : ''}`}>
                    <td className="py-1"><button type="button" className="text-left underline" onClick={() => setSelected(p.id)}>{p.name}</button></td>
                    <td>{humanize(p.status)}</td>
                    <td><Money value={p.price} /></td>
                    <td>{p.variants.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {data?.products.pageInfo.hasNextPage ? <Button variant="secondary" className="mt-3 rounded border border-slate-500 px-3 py-1" onClick={() => setAfter(data.products.pageInfo.endCursor ?? null)}>Next page</Button> : null}
        </div>
        <div>
          {current ? <ProductEditor key={current.id} product={current} onSaved={() => refetch({ requestPolicy: 'network-only' })} /> : <ProductCreator onCreated={(id) => { setSelected(id); refetch({ requestPolicy: 'network-only' }); }} />}
        </div>
      </div>
    </>
  );
}

export function ProductCreator({ onCreated }: { onCreated: (id: string) => void }) {
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [sku, setSku] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [, create] = useMutation(ProductCreateMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const r = await create({ input: { name, price: { amount: price, currencyCode: 'EUR' }, variants: [{ sku }] }, key: newKey() });
    const payload = r.data?.productCreate;
    const errs = r.error ? { _: r.error.message } : fieldErrors(payload?.userErrors);
    setErrors(errs);
    if (payload?.product && Object.keys(errs).length === 0) onCreated(payload.product.id);
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-heading" className="rounded border border-slate-200 p-4">
      <h2 id="create-heading" className="mb-2 text-lg font-semibold">New product (draft)</h2>
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required />
      <Field label="Price (EUR)" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} error={errors.amount ?? errors.price} required />
      <Field label="SKU" value={sku} onChange={(e) => setSku(e.target.value)} error={errors.sku ?? errors.variants} required />
      {errors._ ? <ErrorNotice error={errors._} /> : null}
      <Button type="submit">Create</Button>
    </form>
  );
}

export function ProductEditor({ product, onSaved }: { product: Row; onSaved: () => void }) {
  const canStock = useCan('MANAGE_INVENTORY');
  const [name, setName] = useState(product.name);
  const [price, setPrice] = useState(product.price.amount);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');
  const [, update] = useMutation(ProductUpdateMutation);
  const save = async (status?: 'DRAFT' | 'PUBLISHED') => {
    setSaved('');
    const input = status ? { id: product.id, status } : { id: product.id, name, price: { amount: price, currencyCode: product.price.currencyCode } };
    const r = await update({ input, key: newKey() });
    const errs = r.error ? { _: r.error.message } : fieldErrors(r.data?.productUpdate.userErrors);
    setErrors(errs);
    if (Object.keys(errs).length === 0) {
      setSaved(status ? `Product ${status === 'PUBLISHED' ? 'published' : 'unpublished'}.` : 'Saved.');
      onSaved();
    }
  };
  return (
    <section aria-labelledby="edit-heading" className="rounded border border-slate-200 p-4">
      <h2 id="edit-heading" className="mb-2 text-lg font-semibold">Edit {product.name}</h2>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <Field label={`Price (${product.price.currencyCode})`} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} error={errors.amount ?? errors.price} />
        {errors._ ? <ErrorNotice error={errors._} /> : null}
        <div className="flex gap-2">
          <Button type="submit">Save</Button>
          {product.status === 'DRAFT' ? <Button variant="secondary" onClick={() => save('PUBLISHED')}>Publish</Button> : <Button variant="secondary" onClick={() => save('DRAFT')}>Unpublish</Button>}
        </div>
        <p aria-live="polite" className="mt-2 text-green-800">{saved}</p>
      </form>
      {canStock && product.variants.length ? <Stock variants={product.variants} /> : null}
    </section>
  );
}

export function Stock({ variants }: { variants: Row['variants'] }) {
  const [{ data, error }, refetch] = useQuery({ query: StockQuery, variables: { variantIds: variants.map((v) => v.id) }, requestPolicy: 'network-only' });
  const [, adjust] = useMutation(StockAdjustMutation);
  const [delta, setDelta] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const onAdjust = async (variantId: string, warehouseId: string) => {
    const key = `${variantId}:${warehouseId}`;
    const r = await adjust({ input: { variantId, warehouseId, delta: Number(delta[key] ?? 0), reason: 'admin adjustment' }, key: newKey() });
    setProblem(r.error?.message ?? r.data?.stockAdjust.userErrors[0]?.message ?? null);
    setDelta({ ...delta, [key]: '' });
    refetch({ requestPolicy: 'network-only' });
  };
  if (error && !data) return <ErrorNotice title="Stock is unavailable right now" />;
  if (!data) return <Loading label="Loading stock…" />;
  const warehouses = data.warehouses.filter((w) => w.active);
  return (
    <div className="mt-4">
      <h3 className="mb-2 font-semibold">Stock per warehouse</h3>
      {problem ? <ErrorNotice error={problem} title="Adjustment refused" /> : null}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Stock levels</caption>
        <thead><tr><th scope="col">SKU</th><th scope="col">Warehouse</th><th scope="col">On hand</th><th scope="col">Reserved</th><th scope="col">Adjust by</th></tr></thead>
        <tbody>
          {variants.flatMap((v) => warehouses.map((w) => {
            const level = data.stockLevels.find((l) => l.variantId === v.id && l.warehouse?.id === w.id);
            const key = `${v.id}:${w.id}`;
            return (
              <tr key={key}>
                <td>{v.sku}</td>
                <td>{w.name}</td>
                <td>{level?.onHand ?? 0}</td>
                <td>{level?.reserved ?? 0}</td>
                <td>
                  <label className="sr-only" htmlFor={`adj-${key}`}>Adjust {v.sku} in {w.name} by</label>
                  <input id={`adj-${key}`} type="number" value={delta[key] ?? ''} onChange={(e) => setDelta({ ...delta, [key]: e.target.value })} className="w-16 rounded border border-slate-400 px-1" />
                  <button type="button" className="ml-1 underline" aria-label={`Apply to ${v.sku} in ${w.name}`} onClick={() => onAdjust(v.id, w.id)}>Apply</button>
                </td>
              </tr>
            );
          }))}
        </tbody>
      </table>
    </div>
  );
}
