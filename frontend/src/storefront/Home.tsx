import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ProductGrid, type CardProduct } from '../components/ProductCard';
import { Empty, ErrorNotice, Loading } from '../components/ui';
import { CategoriesQuery, NewestQuery, TopRatedQuery } from '../lib/operations';

// Each part of the home page has its own query: a failing subgraph (search, catalog) degrades its
// section only.

function ProductSection({ id, title, products, fetching, failed, emptyText }: {
  id: string; title: string; products: ReadonlyArray<CardProduct>; fetching: boolean; failed: boolean; emptyText: string;
}) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="mb-3 text-xl font-semibold">{title}</h2>
      {fetching && products.length === 0 ? <Loading /> : null}
      {failed && products.length === 0 ? <ErrorNotice title={`${title} are unavailable right now`} /> : null}
      {!fetching && !failed && products.length === 0 ? <Empty>{emptyText}</Empty> : null}
      {products.length > 0 ? <ProductGrid products={products} /> : null}
    </section>
  );
}

export function Home() {
  const [categories] = useQuery({ query: CategoriesQuery });
  const [top] = useQuery({ query: TopRatedQuery });
  const [newest] = useQuery({ query: NewestQuery });
  const topLevel = (categories.data?.categories ?? []).filter((c) => !c.parent);
  const topProducts = top.data?.search.edges.map((e) => e.node) ?? [];
  const newestProducts = newest.data?.products.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Welcome to Agora</h1>
      {topLevel.length > 0 ? (
        <nav aria-label="Categories" className="mb-6">
          <ul className="flex flex-wrap gap-2">
            {topLevel.map((c) => (
              <li key={c.id}>
                <Link to={`/categories/${c.slug}`} className="inline-block rounded-full border border-slate-400 px-3 py-1 hover:bg-slate-100">
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {/* Trending: the best rated products (search ranks them); falls back to the catalog's list below. */}
      <ProductSection id="trending" title="Trending now" products={topProducts} fetching={top.fetching} failed={!!top.error} emptyText="No recommendations yet." />
      <ProductSection id="newest" title="Best sellers and new arrivals" products={newestProducts} fetching={newest.fetching} failed={!!newest.error} emptyText="No products yet." />
    </>
  );
}
