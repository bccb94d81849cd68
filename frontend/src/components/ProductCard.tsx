import { Link } from 'react-router';
import { Money, Stars } from './ui';

export interface CardProduct {
  id: string;
  slug: string;
  name: string;
  price: { amount: string; currencyCode: string };
  images: ReadonlyArray<{ id: string; alt: string; small: string }>;
  rating: { average: string; count: number };
}

export function ProductCard({ product }: { product: CardProduct }) {
  const image = product.images[0];
  return (
    <li className="rounded border border-slate-200 p-3">
      <Link to={`/products/${product.slug}`} className="block focus:outline-2 focus:outline-blue-700">
        {image ? (
          <img src={image.small} alt={image.alt || product.name} loading="lazy" width={300} height={300} className="mb-2 aspect-square w-full rounded object-cover" />
        ) : (
          <div className="mb-2 aspect-square w-full rounded bg-slate-100" aria-hidden="true" />
        )}
        <span className="block font-medium">{product.name}</span>
      </Link>
      <p className="mt-1">
        <Money value={product.price} />
      </p>
      {product.rating.count > 0 ? <Stars average={product.rating.average} count={product.rating.count} /> : null}
    </li>
  );
}

export function ProductGrid({ products }: { products: ReadonlyArray<CardProduct> }) {
  return (
    <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {products.map((p) => (
        <ProductCard key={p.id} product={p} />
      ))}
    </ul>
  );
}
