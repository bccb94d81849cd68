import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cart, money, product, renderAt } from '../test/render';
import { useSession } from '../lib/store';

const categories = () => ({ categories: [{ id: 'K1', name: 'Clothing', slug: 'clothing', parent: null }, { id: 'K2', name: 'Tees', slug: 'tees', parent: { id: 'K1' } }] });
const edges = (items: unknown[]) => items.map((node) => ({ node }));

describe('home', () => {
  it('shows categories, trending and new products', async () => {
    renderAt('/', {
      Categories: categories,
      TopRated: () => ({ search: { edges: edges([product(1)]) } }),
      Newest: () => ({ products: { edges: edges([product(2), product(3)]) } }),
    });
    expect(await screen.findByRole('link', { name: 'Clothing' })).toHaveAttribute('href', '/categories/clothing');
    expect(screen.queryByRole('link', { name: 'Tees' })).toBeNull();
    const trending = screen.getByRole('region', { name: 'Trending now' });
    expect(within(trending).getByText('Product 1')).toBeInTheDocument();
    expect(within(trending).getByRole('img', { name: /4.5 out of 5 stars, 1 reviews/ })).toBeInTheDocument();
    expect(screen.getByText('Product 3')).toBeInTheDocument();
  });
  it('degrades only the failing section when a subgraph fails', async () => {
    renderAt('/', {
      Categories: categories,
      TopRated: () => new Error('search is down'),
      Newest: () => ({ products: { edges: edges([product(2)]) } }),
    });
    expect(await screen.findByText('Trending now are unavailable right now')).toBeInTheDocument();
    expect(screen.getByText('Product 2')).toBeInTheDocument();
  });
  it('says so when there is nothing yet', async () => {
    renderAt('/', { Categories: () => ({ categories: [] }), TopRated: () => ({ search: { edges: [] } }), Newest: () => ({ products: { edges: [] } }) });
    expect(await screen.findByText('No products yet.')).toBeInTheDocument();
  });
});

const searchResult = (extra: Record<string, unknown> = {}) => ({
  search: {
    totalCount: 2,
    pageInfo: { hasNextPage: false, endCursor: null },
    facets: [
      { name: 'category', values: [{ value: 'K2', count: 2, label: 'Tees' }] },
      { name: 'color', values: [{ value: 'Navy', count: 1, label: 'Navy' }] },
      { name: 'rating', values: [{ value: '4', count: 1, label: '4' }] },
      { name: 'inStock', values: [{ value: 'true', count: 2, label: 'true' }] },
      { name: 'price', values: [{ value: '25-50', count: 2, label: '25-50' }] },
    ],
    edges: edges([product(1), product(2)]),
    ...extra,
  },
});

describe('search', () => {
  it('shows results and facets, and filters by the ticked values', async () => {
    const { called } = renderAt('/search?q=teee', { Search: () => searchResult() });
    expect(await screen.findByRole('heading', { name: 'Results for “teee”' })).toBeInTheDocument();
    expect(screen.getByText('2 products')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tees (2)' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Navy (1)' }));
    await userEvent.click(screen.getByRole('checkbox', { name: '4 stars & up (1)' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'In stock (2)' }));
    await userEvent.click(screen.getByRole('checkbox', { name: '25-50 (2)' }));
    await waitFor(() =>
      expect(called('Search').at(-1)?.variables.filters).toEqual({
        categoryIds: ['K2'], attributes: [{ name: 'color', values: ['Navy'] }], ratingMin: 4, inStock: true, priceMin: '25', priceMax: '50',
      }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Navy (1)' }));
    await waitFor(() => expect(called('Search').at(-1)?.variables.filters).not.toHaveProperty('attributes'));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'PRICE_ASC');
    await waitFor(() => expect(called('Search').at(-1)?.variables.sort).toBe('PRICE_ASC'));
  });
  it('explains an empty result and a failure', async () => {
    renderAt('/search?q=zzz', { Search: () => searchResult({ totalCount: 0, edges: [], facets: [] }) });
    expect(await screen.findByText(/No products match/)).toBeInTheDocument();
  });
  it('shows an error when search is down', async () => {
    renderAt('/search', { Search: () => new Error('down') });
    expect(await screen.findByText('Search is unavailable right now')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'All products' })).toBeInTheDocument();
  });
  it('browses a category through search filtered to it', async () => {
    const { called } = renderAt('/categories/tees', { CategoryPage: () => ({ category: { id: 'K2', name: 'Tees', slug: 'tees', children: [], parent: null } }), Search: () => searchResult() });
    expect(await screen.findByRole('heading', { name: 'Tees' })).toBeInTheDocument();
    await waitFor(() => expect(called('Search').at(-1)?.variables.filters).toEqual({ categoryIds: ['K2'] }));
  });
  it('says when a category does not exist', async () => {
    renderAt('/categories/nope', { CategoryPage: () => ({ category: null }) });
    expect(await screen.findByText('This category does not exist.')).toBeInTheDocument();
  });
});

describe('autocomplete', () => {
  it('suggests as you type and opens the chosen product with the keyboard', async () => {
    const { called } = renderAt('/', {
      Categories: () => ({ categories: [] }), TopRated: () => ({ search: { edges: [] } }), Newest: () => ({ products: { edges: [] } }),
      Suggestions: ({ prefix }) => ({ searchSuggestions: [{ text: `${prefix} shirt`, product: { id: 'P1', slug: 'tee-shirt' } }, { text: `${prefix}s`, product: null }] }),
      ProductPage: () => ({ product: null }),
    });
    const box = screen.getByRole('combobox', { name: 'Search products' });
    await userEvent.type(box, 'tee');
    expect(await screen.findByRole('option', { name: 'tee shirt' })).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-expanded', 'true');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(screen.getByRole('option', { name: 'tee shirt' })).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('This product does not exist.')).toBeInTheDocument();
    expect(called('Suggestions').at(-1)?.variables).toEqual({ prefix: 'tee' });
  });
  it('searches the typed text on Enter and closes on Escape', async () => {
    renderAt('/', {
      Categories: () => ({ categories: [] }), TopRated: () => ({ search: { edges: [] } }), Newest: () => ({ products: { edges: [] } }),
      Suggestions: () => ({ searchSuggestions: [{ text: 'boots', product: null }] }),
      Search: () => searchResult(),
    });
    const box = screen.getByRole('combobox', { name: 'Search products' });
    await userEvent.type(box, 'bo');
    await screen.findByRole('option', { name: 'boots' });
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(await screen.findByRole('option', { name: 'boots', hidden: true }));
    expect(await screen.findByRole('heading', { name: 'Results for “boots”' })).toBeInTheDocument();
  });
});

const productPage = () => ({
  product: {
    id: 'P1', slug: 'tee', name: 'Summit Tee', description: 'Soft cotton.', price: money('19.00'), compareAtPrice: money('25.00'),
    category: { id: 'K2', name: 'Tees', slug: 'tees' },
    images: [{ id: 'I1', alt: 'Front', medium: '/m1', large: '/l1', srcset: '/l1 800w' }, { id: 'I2', alt: 'Back', medium: '/m2', large: '/l2', srcset: '' }],
    variants: [
      { id: 'V1', sku: 'TEE-S', name: 'S', price: money('19.00'), options: [{ name: 'Size', value: 'S' }], availability: { inStock: true, quantityAvailable: 5 } },
      { id: 'V2', sku: 'TEE-M', name: 'M', price: money('21.00'), options: [{ name: 'Size', value: 'M' }], availability: { inStock: false, quantityAvailable: 0 } },
    ],
  },
});
const reviews = (count = 1) => ({
  product: {
    id: 'P1', rating: { average: '4.0', count },
    reviews: { totalCount: count, edges: count ? edges([{ id: 'R1', rating: 4, title: 'Nice', body: 'Fits well', authorName: 'Ann', createdAt: '2026-11-01T10:00:00Z' }]) : [] },
  },
});

describe('product page', () => {
  it('shows variants with availability and adds to a new cart', async () => {
    const { called } = renderAt('/products/tee', {
      ProductPage: productPage, ProductReviews: () => reviews(),
      CartCreate: () => ({ cartCreate: { cart: cart(), userErrors: [] } }), CartPage: () => ({ cart: cart() }),
    });
    expect(await screen.findByRole('heading', { name: 'Summit Tee' })).toBeInTheDocument();
    expect(screen.getByText('In stock (5 available)')).toBeInTheDocument();
    expect(screen.getByText('Fits well')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Variant' }), 'V2');
    expect(screen.getByText('Out of stock')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Variant' }), 'V1');
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Quantity' }), { target: { value: '2' } });
    await userEvent.click(screen.getByRole('button', { name: 'Add to cart' }));
    expect(await screen.findByText(/Added to your cart/)).toBeInTheDocument();
    expect(called('CartCreate')[0].variables.lines).toEqual([{ merchandiseId: 'V1', quantity: 2 }]);
    expect(useSession.getState().cartId).toBe('C1');
  });
  it('adds to the existing cart, and starts a new one when that cart is gone', async () => {
    let gone = false;
    const { called } = renderAt('/products/tee', {
      ProductPage: productPage, ProductReviews: () => reviews(0), CartPage: () => ({ cart: cart() }),
      CartLinesAdd: () => ({ cartLinesAdd: gone ? { cart: null, userErrors: [{ field: ['cartId'], message: 'gone', code: 'CART_NOT_FOUND' }] } : { cart: cart(), userErrors: [] } }),
      CartCreate: () => ({ cartCreate: { cart: { ...cart(), id: 'C2' }, userErrors: [] } }),
    }, { cartId: 'C1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Add to cart' }));
    await screen.findByText(/Added to your cart/);
    expect(called('CartCreate')).toHaveLength(0);
    gone = true;
    await userEvent.click(screen.getByRole('button', { name: 'Add to cart' }));
    await waitFor(() => expect(useSession.getState().cartId).toBe('C2'));
    expect(screen.getByText('No reviews yet. Be the first to write one.')).toBeInTheDocument();
  });
  it('shows why adding failed', async () => {
    renderAt('/products/tee', {
      ProductPage: productPage, ProductReviews: () => reviews(), CartPage: () => ({ cart: cart() }),
      CartLinesAdd: () => ({ cartLinesAdd: { cart: null, userErrors: [{ field: ['lines'], message: 'At most 99 per line', code: 'MAXIMUM_QUANTITY_EXCEEDED' }] } }),
    }, { cartId: 'C1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Add to cart' }));
    expect(await screen.findByText('At most 99 per line')).toBeInTheDocument();
  });
  it('keeps the product when reviews fail, and posts a review with field errors first', async () => {
    let attempt = 0;
    renderAt('/products/tee', {
      ProductPage: productPage, ProductReviews: () => new Error('reviews down'),
      ReviewCreate: () => (attempt++ === 0
        ? { reviewCreate: { review: null, userErrors: [{ field: ['input', 'title'], message: 'A title is required', code: 'REQUIRED' }] } }
        : { reviewCreate: { review: { id: 'R9', status: 'PENDING' }, userErrors: [] } }),
    });
    expect(await screen.findByText('Reviews are unavailable right now')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Summit Tee' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Title'), 'x');
    await userEvent.type(screen.getByLabelText('Your name'), 'Bo');
    await userEvent.click(screen.getByRole('button', { name: 'Post review' }));
    expect(await screen.findByText('A title is required')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Rating' }), '3');
    await userEvent.type(screen.getByLabelText('Review'), 'ok');
    await userEvent.click(screen.getByRole('button', { name: 'Post review' }));
    expect(await screen.findByText('Thank you! Your review will appear once approved.')).toBeInTheDocument();
  });
  it('handles a missing product and a failure', async () => {
    renderAt('/products/none', { ProductPage: () => new Error('catalog down') });
    expect(await screen.findByText('catalog down')).toBeInTheDocument();
  });
});
