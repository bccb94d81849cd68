import { useSearchParams, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ProductGrid } from '../components/ProductCard';
import { Empty, ErrorNotice, Loading } from '../components/ui';
import { CategoryQuery, SearchQuery } from '../lib/operations';
import type { SearchSort } from '../gql/graphql';

const SORTS: ReadonlyArray<[SearchSort, string]> = [
  ['RELEVANCE', 'Relevance'],
  ['PRICE_ASC', 'Price: low to high'],
  ['PRICE_DESC', 'Price: high to low'],
  ['NEWEST', 'Newest'],
  ['RATING', 'Rating'],
];

const FACET_TITLES: Record<string, string> = { category: 'Category', price: 'Price', inStock: 'Availability', rating: 'Rating' };

/** Search results with facet filters; the state lives in the URL so results can be shared and go back works. */
export function SearchResults({ query, categoryId, heading }: { query: string; categoryId?: string; heading: string }) {
  const [params, setParams] = useSearchParams();
  const sort = (params.get('sort') as SearchSort | null) ?? 'RELEVANCE';
  const selected = params.getAll('f');
  const filters: { categoryIds?: string[]; attributes?: { name: string; values: string[] }[]; inStock?: boolean; ratingMin?: number; priceMin?: string; priceMax?: string } = {};
  const categoryIds = selected.filter((f) => f.startsWith('category:')).map((f) => f.slice(9));
  if (categoryId) categoryIds.push(categoryId);
  if (categoryIds.length) filters.categoryIds = categoryIds;
  const attributes = new Map<string, string[]>();
  for (const f of selected) {
    const [name, value] = [f.slice(0, f.indexOf(':')), f.slice(f.indexOf(':') + 1)];
    if (name === 'inStock') filters.inStock = value === 'true';
    else if (name === 'rating') filters.ratingMin = Number(value);
    else if (name === 'price') {
      const [lo, hi] = value.split('-');
      filters.priceMin = lo;
      if (hi && hi !== '*') filters.priceMax = hi;
    } else if (name !== 'category') attributes.set(name, [...(attributes.get(name) ?? []), value]);
  }
  if (attributes.size) filters.attributes = [...attributes].map(([name, values]) => ({ name, values }));

  const [{ data, fetching, error }] = useQuery({ query: SearchQuery, variables: { query, first: 24, filters, sort } });

  const toggle = (facet: string, value: string) => {
    const key = `${facet}:${value}`;
    const next = new URLSearchParams(params);
    next.delete('f');
    const values = selected.includes(key) ? selected.filter((f) => f !== key) : [...selected, key];
    values.forEach((v) => next.append('f', v));
    setParams(next);
  };
  const results = data?.search;
  return (
    <>
      <h1 className="mb-2 text-2xl font-bold">{heading}</h1>
      <div className="mb-4 flex flex-wrap items-center gap-4">
        <p aria-live="polite">{results ? `${results.totalCount} products` : ''}</p>
        <label className="ml-auto text-sm">
          Sort by{' '}
          <select
            value={sort}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              next.set('sort', e.target.value);
              setParams(next);
            }}
            className="rounded border border-slate-400 px-2 py-1"
          >
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <aside aria-label="Filters">
          {(results?.facets ?? []).filter((f) => f.values.length > 0).map((facet) => (
            <fieldset key={facet.name} className="mb-4">
              <legend className="mb-1 font-semibold">{FACET_TITLES[facet.name] ?? facet.name}</legend>
              {facet.values.map((v) => {
                const key = `${facet.name}:${v.value}`;
                return (
                  <label key={key} className="block text-sm">
                    <input type="checkbox" checked={selected.includes(key)} onChange={() => toggle(facet.name, v.value)} className="mr-2" />
                    {facet.name === 'rating' ? `${v.label} stars & up` : facet.name === 'inStock' ? (v.value === 'true' ? 'In stock' : 'Out of stock') : v.label} ({v.count})
                  </label>
                );
              })}
            </fieldset>
          ))}
        </aside>
        <div>
          {fetching && !results ? <Loading /> : null}
          {error && !results ? <ErrorNotice error={error} title="Search is unavailable right now" /> : null}
          {results && results.edges.length === 0 ? <Empty>No products match. Try fewer filters or another word.</Empty> : null}
          {results && results.edges.length > 0 ? <ProductGrid products={results.edges.map((e) => e.node)} /> : null}
        </div>
      </div>
    </>
  );
}

export function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  return <SearchResults query={q} heading={q ? `Results for “${q}”` : 'All products'} />;
}

export function CategoryPage() {
  const { slug = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: CategoryQuery, variables: { slug } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} />;
  const category = data?.category;
  if (!category) return <Empty>This category does not exist.</Empty>;
  return <SearchResults query="" categoryId={category.id} heading={category.name} />;
}
